import { localizedText } from "../../cards/localized-text.js";
import { GraphUnavailableError, NotFoundError } from "../../graph/graph-errors.js";
import { checkTapPreconditions } from "./check-tap-preconditions.js";
import { graphFailureCause } from "./graph-failure-cause.js";
import { deliver, notifyApprover } from "./notify.js";
import { auditTap } from "./tap-audit.js";
import { noticeCard, statusCard } from "./tap-card-data.js";
import type { TapDependencies } from "./tap-dependencies.js";
import { StaleRequestError, TapRuleError } from "./tap-errors.js";
import { tapFailureOf } from "./tap-failure-of.js";
import type { Versioned } from "./tap-ports.js";
import type { TapFailure, TapRequest } from "./tap-request.js";
import { TapSecret } from "./tap-secret.js";
import { tapStateMachine } from "./tap-state-machine.js";
import { failureText } from "./tap-words.js";

/** A TAP Graph created at most this long before our issuing write still counts as ours (clock skew). */
const CLOCK_SKEW_MS = 30_000;

/** What one "Issue and show" press produced: the request as it stands, and the value when this turn created it. */
export interface IssueOutcome {
  request: TapRequest;
  /** Present only for the press that created the pass; it goes into that turn's response and nowhere else. */
  value: TapSecret | null;
}

/**
 * Creates the TAP of an approved request exactly once, inside the requesting agent's own turn: only the writer that
 * wins the ETag-conditional approved→issuing transition calls Graph, whatever the instance or number of presses. The
 * value is returned to the caller (the Action.Execute response) and never kept: the request is stored `issued` with
 * `revealedAt` in the same write.
 */
export async function issueTap(deps: TapDependencies, approved: Versioned<TapRequest>): Promise<IssueOutcome> {
  const none = (request: TapRequest): IssueOutcome => ({ request, value: null });
  const refusal = await recheckPreconditions(deps, approved.value);
  if (refusal === "deferred") return none(approved.value);
  if (refusal) return none(await failBeforeIssuing(deps, approved, refusal));
  await deps.atIssuanceStep?.("beforeIssuingWrite", approved.value.id);
  let issuing: Versioned<TapRequest>;
  try {
    issuing = await deps.store.update(
      tapStateMachine(approved.value, { type: "beginIssuing" }, deps.clock().toISOString()),
      approved.etag,
    );
  } catch (error) {
    if (error instanceof StaleRequestError) {
      return none((await deps.store.get(approved.value.id))?.value ?? approved.value);
    }
    throw error;
  }
  await auditTap(deps, "tap.issuing", issuing.value, null, { issuingAt: issuing.value.issuingAt });
  await deps.atIssuanceStep?.("issuingWritten", issuing.value.id);

  const request = issuing.value;
  let method: Awaited<ReturnType<TapDependencies["graph"]["createTemporaryAccessPass"]>>;
  try {
    method = await deps.graph.createTemporaryAccessPass(request.target.id, {
      lifetimeInMinutes: request.lifetimeInMinutes,
      isUsableOnce: request.isUsableOnce,
    });
  } catch (error) {
    // A 5xx or a dropped connection leaves the outcome unknown: Graph may have created it. Look before deciding.
    if (error instanceof GraphUnavailableError) return none(await reconcileIssuing(deps, issuing, error));
    return none(await markFailed(deps, issuing, tapFailureOf(error)));
  }

  await deps.atIssuanceStep?.("graphCreated", request.id);
  const value = method.temporaryAccessPass ? new TapSecret(method.temporaryAccessPass) : null;
  const startDateTime = method.startDateTime ?? method.createdDateTime ?? deps.clock().toISOString();

  let issued: Versioned<TapRequest>;
  try {
    issued = await deps.store.update(
      tapStateMachine(
        request,
        { type: "markIssued", methodId: method.id, startDateTime, isValueLost: !value },
        deps.clock().toISOString(),
      ),
      issuing.etag,
    );
  } catch (error) {
    if (!(error instanceof StaleRequestError)) throw error;
    // Someone reconciled this request while Graph was answering: the TAP must not outlive that verdict, and its value
    // is never shown.
    await deleteOrphan(deps, request, method.id);
    return none((await deps.store.get(request.id))?.value ?? request);
  }
  await auditTap(deps, "tap.issued", issued.value, null, {
    methodId: method.id,
    startDateTime,
    lifetimeInMinutes: request.lifetimeInMinutes,
    isUsableOnce: request.isUsableOnce,
    approvedBy: request.decidedBy?.id ?? null,
  });
  if (value) await auditTap(deps, "tap.revealed", issued.value, request.requester.id, { methodId: method.id });
  await deliver(deps, issued.value, issued.value.target, noticeCard(issued.value));
  return { request: issued.value, value };
}

/** Deletes a pass whose value nobody will see; a failed delete is recorded as failed, never as done. */
async function deleteOrphan(deps: TapDependencies, request: TapRequest, methodId: string): Promise<boolean> {
  try {
    await deps.graph.deleteTemporaryAccessPass(request.target.id, methodId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) {
      await auditTap(deps, "tap.orphanDeleteFailed", request, null, {
        methodId,
        cause: graphFailureCause(error) ?? (error instanceof Error ? error.name : "unknown"),
      });
      return false;
    }
  }
  await auditTap(deps, "tap.orphanDeleted", request, null, { methodId });
  return true;
}

/** Rules whose failure a new request cannot cure by itself: "Request again" is not offered. */
const FINAL_RULES = new Set([
  "requesterNotAgent",
  "targetNotFound",
  "targetDisabled",
  "externalGuest",
  "privilegedTarget",
  "selfRequest",
  "wrongTenant",
]);

/**
 * The directory may have changed during the approval window (the target became privileged, was disabled or
 * excluded from the TAP policy; the requester left the agents group): the request-time rules are checked again, from
 * Graph, just before issuance. Returns null when all hold, the failure when one is broken or Graph refused to answer
 * (403, 404…), or "deferred" when Graph was unavailable (the request stays `approved`; the reconciler retries later).
 */
async function recheckPreconditions(
  deps: TapDependencies,
  request: TapRequest,
): Promise<TapFailure | "deferred" | null> {
  try {
    await checkTapPreconditions(
      deps,
      { id: request.requester.id, tenantId: request.tenantId, name: null },
      request.target.id,
    );
    return null;
  } catch (error) {
    if (error instanceof TapRuleError) {
      return {
        key: error.rule === "targetNotFound" ? "targetGone" : error.rule,
        message: error.message,
        retryable: !FINAL_RULES.has(error.rule),
      };
    }
    if (error instanceof GraphUnavailableError) {
      await auditTap(deps, "tap.issueDeferred", request, null, {
        stage: "preconditions",
        cause: graphFailureCause(error) ?? null,
      });
      return "deferred";
    }
    return tapFailureOf(error);
  }
}

/**
 * A rule broken (or Graph refusing to tell) at issuance: the approved request fails (conditional on the version read, so an instance that already
 * won approved→issuing keeps its issuance), Graph is never asked for a pass, and requester, target and approver are told.
 */
function failBeforeIssuing(
  deps: TapDependencies,
  approved: Versioned<TapRequest>,
  failure: TapFailure,
): Promise<TapRequest> {
  return markFailed(deps, approved, failure, { stage: "preconditions", tellTargetAndApprover: true });
}

/**
 * An `issuing` request whose Graph call never reported back (a crash, an outage). Never re-issues blindly: lists the
 * target's TAPs. One created since the issuing write is ours, but nobody saw its value — it is deleted (a live pass
 * nobody holds is only risk) and the approved request offered again: the agent presses "Issue and show" once more.
 * If Graph cannot be read, or a delete fails, the request stays `issuing` for the next reconciliation (a failed delete
 * is audited as such, never as done).
 */
export async function reconcileIssuing(
  deps: TapDependencies,
  issuing: Versioned<TapRequest>,
  /** The outage that left the outcome unknown, when this instance saw it. */
  outage?: GraphUnavailableError,
): Promise<TapRequest> {
  const request = issuing.value;
  let methods: Awaited<ReturnType<TapDependencies["graph"]["listTemporaryAccessPasses"]>>;
  try {
    methods = await deps.graph.listTemporaryAccessPasses(request.target.id, "interactive");
  } catch (error) {
    await auditTap(deps, "tap.reconcileDeferred", request, null, {
      error: error instanceof Error ? error.name : "unknown",
    });
    return request;
  }
  const since = Date.parse(request.issuingAt ?? request.updatedAt) - CLOCK_SKEW_MS;
  const ours = methods.filter((m) => Date.parse(m.createdDateTime ?? m.startDateTime ?? "") >= since);
  for (const method of ours) {
    if (!(await deleteOrphan(deps, request, method.id))) return request;
  }
  await auditTap(deps, "tap.reconciled", request, null, {
    foundCreated: ours.length,
    deletedMethodIds: ours.map((m) => m.id).join(" "),
    ...(outage ? { cause: graphFailureCause(outage) ?? null } : {}),
  });
  let reoffered: Versioned<TapRequest>;
  try {
    reoffered = await deps.store.update(
      tapStateMachine(request, { type: "reoffer" }, deps.clock().toISOString()),
      issuing.etag,
    );
  } catch (error) {
    if (error instanceof StaleRequestError) return (await deps.store.get(request.id))?.value ?? request;
    throw error;
  }
  await auditTap(deps, "tap.reoffered", reoffered.value, null, {
    reason: ours.length > 0 ? "interruptedDeleted" : outage ? "graphUnavailable" : "interruptedNone",
  });
  await deliver(
    deps,
    reoffered.value,
    reoffered.value.requester,
    statusCard(
      reoffered.value,
      localizedText("tap.statusReofferedTitle"),
      localizedText(outage ? "tap.failureGraphUnavailable" : "tap.statusReofferedMessage"),
      { offerIssue: true },
    ),
  );
  return reoffered.value;
}

/**
 * Marks the request failed with an ETag-conditional write (a lost race returns what the winner stored), audits it and
 * tells the requester — with a "request again" offer when the failure is retryable — and, when asked, target and approver.
 */
async function markFailed(
  deps: TapDependencies,
  current: Versioned<TapRequest>,
  failure: TapFailure,
  options: { stage?: "preconditions"; tellTargetAndApprover?: boolean } = {},
): Promise<TapRequest> {
  let failed: Versioned<TapRequest>;
  try {
    failed = await deps.store.update(
      tapStateMachine(current.value, { type: "markFailed", failure }, deps.clock().toISOString()),
      current.etag,
    );
  } catch (error) {
    if (error instanceof StaleRequestError) return (await deps.store.get(current.value.id))?.value ?? current.value;
    throw error;
  }
  await auditTap(deps, "tap.failed", failed.value, null, {
    failure: failure.key,
    message: failure.message,
    retryable: failure.retryable,
    cause: failure.cause ?? null,
    ...(options.stage ? { stage: options.stage } : {}),
  });
  const title = localizedText("tap.statusFailedTitle");
  const message = failureText(failure);
  await deliver(
    deps,
    failed.value,
    failed.value.requester,
    statusCard(failed.value, title, message, { offerRetry: failure.retryable }),
  );
  if (options.tellTargetAndApprover) {
    await deliver(deps, failed.value, failed.value.target, statusCard(failed.value, title, message));
    await notifyApprover(deps, failed.value, statusCard(failed.value, title, message));
  }
  return failed.value;
}
