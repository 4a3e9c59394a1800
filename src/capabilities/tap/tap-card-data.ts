import type { CardMessage } from "../../cards/card-message.js";
import { type LocalizedText, localizedText } from "../../cards/localized-text.js";
import type { TemporaryAccessPassPolicy } from "../../graph/model.js";
import type { TapRequest } from "./tap-request.js";
import { confirmationText, verificationText, yesNoText } from "./tap-words.js";

export const LIFETIME_CHOICES = [60, 120, 180, 240] as const;

/** The choices the form offers: 60–240 minutes, clamped into the tenant policy's min/max. */
export function lifetimeBounds(policy: TemporaryAccessPassPolicy): {
  minimum: number;
  maximum: number;
  choices: number[];
} {
  const minimum = policy.minimumLifetimeInMinutes ?? 60;
  const maximum = policy.maximumLifetimeInMinutes ?? 480;
  const choices = [...new Set(LIFETIME_CHOICES.map((m) => clampLifetime(m, minimum, maximum)))];
  return { minimum, maximum, choices };
}

export function clampLifetime(minutes: number, minimum: number, maximum: number): number {
  return Math.min(Math.max(Math.round(minutes), minimum), maximum);
}

/**
 * Text someone typed (a reason, a note, a display name), escaped so that Teams' card markdown shows it as typed:
 * "**urgent**" stays asterisks, "[click](…)" is no link, "# title" no heading. ("${…}" is kept literal by renderCard.)
 */
export function literal(typed: string): string {
  return typed
    .replace(/[\\`*_[\]~]/g, (character) => `\\${character}`)
    .replace(/^(\s*)([#>+-])/gm, (_whole, indent: string, marker: string) => `${indent}\\${marker}`)
    .replace(/^(\s*)(\d+)\./gm, (_whole, indent: string, digits: string) => `${indent}${digits}\\.`);
}

function who(person: { displayName: string | null; userPrincipalName: string }): string {
  return literal(person.displayName ? `${person.displayName} (${person.userPrincipalName})` : person.userPrincipalName);
}

/** What the confirm, approval and issued cards say about a request (typed text escaped, choices as text). */
export type TapRequestFacts = {
  requestId: string;
  requesterName: string;
  targetName: string;
  reason: string;
  triageSummary: string;
  identityVerification: LocalizedText;
  identityVerificationNote: string;
  lifetimeInMinutes: number;
  isUsableOnce: LocalizedText;
  multiUseJustification: string;
  confirmation: LocalizedText;
  isConfirmed: boolean;
  expiresAt: string;
};

/** The data of cards/tap-request-form.card.json: the agent's form, bounded by the tenant's TAP policy. */
export type TapRequestFormData = {
  targetUserId: string;
  targetName: string;
  policyMinimum: number;
  policyMaximum: number;
  lifetimeChoices: Array<{ value: string }>;
  defaultLifetime: string;
  isMultiUseAllowed: boolean;
  triageSummary: string;
  isBotRoleTarget: boolean;
};

/** The data of cards/tap-approval.card.json. */
export type TapApprovalData = TapRequestFacts & {
  unreachableVerification: LocalizedText | "";
  requiresSecondApproval: boolean;
  isSecondApproval: boolean;
  firstApproverName: string;
  askReason: boolean;
};

/** The data of cards/tap-issued.card.json. */
export type TapIssuedData = TapRequestFacts & { approverName: string; startDateTime: string };

/** The data of cards/tap-revealed.card.json: the only card data that ever holds the pass. */
export type TapRevealedData = {
  requestId: string;
  targetName: string;
  temporaryAccessPass: string;
  lifetimeInMinutes: number;
  isUsableOnce: LocalizedText;
  startDateTime: string;
};

/** The data of cards/tap-notice.card.json: the target is told a pass was issued for them. */
export type TapNoticeData = {
  requestId: string;
  requesterName: string;
  approverName: string;
  lifetimeInMinutes: number;
  startDateTime: string;
  isUsableOnce: LocalizedText;
};

/** The data of cards/tap-status.card.json. */
export type TapStatusData = {
  requestId: string;
  title: LocalizedText;
  message: LocalizedText | string;
  targetName: string;
  offerRetry: boolean;
  offerIssue: boolean;
  offerCancel: boolean;
  targetUserId: string;
};

declare module "../../cards/card-message.js" {
  interface CardDataByName {
    "tap-request-form": TapRequestFormData;
    "tap-confirm": TapRequestFacts;
    "tap-approval": TapApprovalData;
    "tap-issued": TapIssuedData;
    "tap-revealed": TapRevealedData;
    "tap-notice": TapNoticeData;
    "tap-status": TapStatusData;
  }
}

function requestFacts(request: TapRequest): TapRequestFacts {
  return {
    requestId: request.id,
    requesterName: who(request.requester),
    targetName: who(request.target),
    reason: literal(request.reason),
    triageSummary: literal(request.triageSummary ?? ""),
    identityVerification: verificationText(request.identityVerification),
    identityVerificationNote: literal(request.identityVerificationNote ?? ""),
    lifetimeInMinutes: request.lifetimeInMinutes,
    isUsableOnce: yesNoText(request.isUsableOnce),
    multiUseJustification: literal(request.multiUseJustification ?? ""),
    confirmation: confirmationText(request.confirmation),
    isConfirmed: request.confirmation === "confirmed",
    expiresAt: request.expiresAt,
  };
}

export function requestFormCard(
  target: { id: string; userPrincipalName: string; displayName: string | null },
  policy: TemporaryAccessPassPolicy,
  extra: { triageSummary?: string; isBotRoleTarget?: boolean } = {},
): CardMessage<"tap-request-form"> {
  const bounds = lifetimeBounds(policy);
  const defaultLifetime = clampLifetime(60, bounds.minimum, bounds.maximum);
  return {
    name: "tap-request-form",
    data: {
      targetUserId: target.id,
      targetName: who(target),
      policyMinimum: bounds.minimum,
      policyMaximum: bounds.maximum,
      lifetimeChoices: bounds.choices.map((value) => ({ value: String(value) })),
      defaultLifetime: String(defaultLifetime),
      isMultiUseAllowed: policy.isUsableOnce !== true,
      // Read-only: the server's triage says why a pass is needed, and submitting recomputes it (the form sends no copy).
      triageSummary: literal(extra.triageSummary ?? ""),
      isBotRoleTarget: extra.isBotRoleTarget ?? false,
    },
  };
}

export function confirmCard(request: TapRequest): CardMessage<"tap-confirm"> {
  return { name: "tap-confirm", data: requestFacts(request) };
}

/**
 * The approver's card: the request, the triage summary, and — in red — that the person did not confirm in Teams and
 * how the agent says their identity was verified instead. `askReason` re-shows it after Deny without a reason.
 */
export function approvalCard(request: TapRequest, options: { askReason?: boolean } = {}): CardMessage<"tap-approval"> {
  const isSecondApproval = Boolean(request.requiresSecondApproval && request.firstApproval);
  return {
    name: "tap-approval",
    data: {
      ...requestFacts(request),
      unreachableVerification:
        request.confirmation === "unreachable"
          ? localizedText("tap.approvalUnreachableVerifiedBy", {
              note: literal(request.identityVerificationNote ?? ""),
            })
          : "",
      requiresSecondApproval: Boolean(request.requiresSecondApproval),
      isSecondApproval,
      firstApproverName: request.firstApproval ? who(request.firstApproval.by) : "",
      askReason: Boolean(options.askReason),
    },
  };
}

export function issuedCard(request: TapRequest): CardMessage<"tap-issued"> {
  return {
    name: "tap-issued",
    data: {
      ...requestFacts(request),
      approverName: request.decidedBy ? who(request.decidedBy) : "",
      startDateTime: request.startDateTime ?? request.issuedAt ?? "",
    },
  };
}

/** The only card that ever carries the value: the Action.Execute response to the requester's Reveal. */
export function revealedCard(request: TapRequest, value: string): CardMessage<"tap-revealed"> {
  return {
    name: "tap-revealed",
    data: {
      requestId: request.id,
      targetName: who(request.target),
      temporaryAccessPass: value,
      lifetimeInMinutes: request.lifetimeInMinutes,
      isUsableOnce: yesNoText(request.isUsableOnce),
      startDateTime: request.startDateTime ?? "",
    },
  };
}

export function noticeCard(request: TapRequest): CardMessage<"tap-notice"> {
  return {
    name: "tap-notice",
    data: {
      requestId: request.id,
      requesterName: who(request.requester),
      approverName: request.decidedBy ? who(request.decidedBy) : "",
      lifetimeInMinutes: request.lifetimeInMinutes,
      startDateTime: request.startDateTime ?? request.issuedAt ?? "",
      isUsableOnce: yesNoText(request.isUsableOnce),
    },
  };
}

/** "Saved, but … could not reach <who>; they must open the bot once": names the person, for a card sent to one. */
export function deliveryFailedTo(person: { displayName: string | null; userPrincipalName: string }): LocalizedText {
  return localizedText("tap.statusDeliveryFailedTo", { who: who(person) });
}

/**
 * Any outcome as title + message (submitted, confirmed, denied, expired, failed, revoked, value gone…), with an
 * optional "Request again" for the target.
 */
export function statusCard(
  request: TapRequest | null,
  title: LocalizedText,
  message: LocalizedText | string,
  options: { offerRetry?: boolean; offerIssue?: boolean; offerCancel?: boolean } = {},
): CardMessage<"tap-status"> {
  return {
    name: "tap-status",
    data: {
      requestId: request?.id ?? "",
      title,
      message,
      targetName: request ? who(request.target) : "",
      offerRetry: Boolean(options.offerRetry && request),
      offerIssue: Boolean(options.offerIssue && request),
      offerCancel: Boolean(options.offerCancel && request),
      targetUserId: request?.target.id ?? "",
    },
  };
}
