import { RefusalError } from "../../refusal/refusal-error.js";

/**
 * Named refusals of the TAP flow. Each message states the rule that was broken; `rule` is a stable key (audited,
 * and the locale key `tap.error.<rule>` for people).
 */
export class TapRuleError extends RefusalError {
  constructor(rule: string, message: string) {
    super(rule, message, `tap.error${rule.charAt(0).toUpperCase()}${rule.slice(1)}`);
  }
}

export class RequesterNotAgentError extends TapRuleError {
  constructor() {
    super("requesterNotAgent", "Only members of the Helpdesk Agents group may request a Temporary Access Pass");
  }
}

export class SelfRequestError extends TapRuleError {
  constructor() {
    super("selfRequest", "The target of a Temporary Access Pass must not be the requester");
  }
}

export class TargetNotFoundError extends TapRuleError {
  constructor() {
    super("targetNotFound", "The target user must exist in the directory");
  }
}

export class TargetDisabledError extends TapRuleError {
  constructor() {
    super("targetDisabled", "The target account must be enabled");
  }
}

export class ExternalGuestError extends TapRuleError {
  constructor() {
    super("externalGuest", "A Temporary Access Pass can be issued only to members, never to external guests");
  }
}

export class PrivilegedTargetError extends TapRuleError {
  constructor(readonly roles: string[]) {
    super(
      "privilegedTarget",
      "A target holding a privileged directory role (active or eligible) must be handled by a Privileged Authentication Administrator",
    );
  }
}

export class TapMethodDisabledError extends TapRuleError {
  constructor() {
    super("tapMethodDisabled", "The Temporary Access Pass method must be enabled in the Authentication Methods policy");
  }
}

export class TargetNotInTapPolicyError extends TapRuleError {
  constructor() {
    super(
      "targetNotInTapPolicy",
      "The target must be included (and not excluded) by the Temporary Access Pass policy to sign in with one",
    );
  }
}

export class PendingRequestExistsError extends TapRuleError {
  constructor(readonly pendingRequestId: string) {
    super("pendingRequestExists", "A target may have only one pending Temporary Access Pass request at a time");
  }
}

export class IdentityVerificationRequiredError extends TapRuleError {
  constructor() {
    super(
      "identityVerificationRequired",
      "The request must say how the caller's identity was verified, chosen from the listed methods",
    );
  }
}

export class ReasonRequiredError extends TapRuleError {
  constructor() {
    super("reasonRequired", "The request must give a reason");
  }
}

export class MultiUseNotAllowedError extends TapRuleError {
  constructor(readonly why: "policy" | "justification") {
    super(
      "multiUseNotAllowed",
      why === "policy"
        ? "A multi-use Temporary Access Pass is allowed only when the tenant policy does not force one-time use"
        : "A multi-use Temporary Access Pass needs a justification",
    );
  }
}

export class NoApproverError extends TapRuleError {
  constructor() {
    super(
      "noApprover",
      "A request needs an approver who is neither the requester nor the target: the target's manager or the TAP Approvers group",
    );
  }
}

export class RequestNotFoundError extends TapRuleError {
  constructor() {
    super("requestNotFound", "The Temporary Access Pass request must exist");
  }
}

export class WrongTenantError extends TapRuleError {
  constructor() {
    super("wrongTenant", "Actions must come from the tenant the request belongs to");
  }
}

export class NotTargetError extends TapRuleError {
  constructor() {
    super("notTarget", "Only the target user may confirm or decline that they asked for help");
  }
}

export class NotApproverError extends TapRuleError {
  constructor(readonly why: "notApprover" | "requester" | "target") {
    super(
      "notApprover",
      why === "requester"
        ? "Approver must not be the requester"
        : why === "target"
          ? "Approver must not be the target"
          : "Only the target's manager (or a TAP Approvers member when there is none) may approve or deny",
    );
  }
}

export class ApproverReportsToTargetError extends TapRuleError {
  constructor() {
    super(
      "approverReportsToTarget",
      "No one may approve a Temporary Access Pass for a person above them: the approver reports to the target",
    );
  }
}

export class SecondApproverNotAdminError extends TapRuleError {
  constructor(readonly why: "notAdmin" | "firstApprover") {
    super(
      "secondApproverNotAdmin",
      why === "firstApprover"
        ? "The second approval must come from a different person than the first"
        : "The second approval of a pass for someone holding a role in the bot must come from a Helpdesk Admin",
    );
  }
}

export class UnreachableNotAllowedError extends TapRuleError {
  constructor(readonly why: "botRole" | "verification") {
    super(
      "unreachableNotAllowed",
      why === "botRole"
        ? "A person who holds a role in the bot must confirm the request in Teams themselves"
        : "Skipping the person's confirmation needs a stated verification method: say how their identity was verified",
    );
  }
}

export class NotRequesterError extends TapRuleError {
  constructor() {
    super("notRequester", "Only the requesting agent may reveal the Temporary Access Pass, in their personal chat");
  }
}

export class NotPersonalChatError extends TapRuleError {
  constructor() {
    super("notPersonalChat", "The Temporary Access Pass is revealed only in the requester's personal chat");
  }
}

export class DenialReasonRequiredError extends TapRuleError {
  constructor() {
    super("denialReasonRequired", "Denying a request needs a reason");
  }
}

/** The request is not in a state that allows this action (already decided, expired, replayed old card…). */
export class InvalidTransitionError extends TapRuleError {
  constructor(
    readonly from: string,
    readonly action: string,
  ) {
    super("invalidTransition", `A request in status "${from}" cannot be ${action}`);
  }
}

export class NotAdminError extends TapRuleError {
  constructor() {
    super("notAdmin", "Only members of the Helpdesk Admins group may read the audit ledger");
  }
}

/** The value was never held by this process, or was already revealed: it is gone for good. */
export class TapValueGoneError extends TapRuleError {
  constructor() {
    super(
      "valueGone",
      "A Temporary Access Pass value is shown once and held only in memory; it is gone — request a new one",
    );
  }
}

/** An ETag-conditional write lost to another writer (another instance, another click): re-read and decide again. */
export class StaleRequestError extends TapRuleError {
  constructor() {
    super("staleRequest", "A request changes only from the version last read; another writer changed it first");
  }
}
