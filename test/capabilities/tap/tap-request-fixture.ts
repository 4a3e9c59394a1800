import { randomUUID } from "node:crypto";
import type { TapRequest } from "../../../src/capabilities/tap/tap-request.js";

export const TENANT_ID = "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10";

/** A request in status "requested" with everything filled in; override what the test is about. */
export function aTapRequest(overrides: Partial<TapRequest> = {}): TapRequest {
  const now = new Date("2026-11-22T10:00:00.000Z").toISOString();
  return {
    id: randomUUID(),
    tenantId: TENANT_ID,
    status: "requested",
    requester: {
      id: "agent-id",
      userPrincipalName: "agent-1@contosopractice.onmicrosoft.com",
      displayName: "Agent One",
    },
    target: {
      id: randomUUID(),
      userPrincipalName: "no-mfa-method@contosopractice.onmicrosoft.com",
      displayName: "No MFA",
    },
    approver: {
      kind: "user",
      user: { id: "manager-id", userPrincipalName: "manager@contosopractice.onmicrosoft.com", displayName: "Manager" },
    },
    reason: "New phone, no MFA method left",
    identityVerification: "videoCallPhotoId",
    identityVerificationNote: null,
    lifetimeInMinutes: 60,
    isUsableOnce: true,
    multiUseJustification: null,
    confirmation: "pending",
    createdAt: now,
    expiresAt: new Date(Date.parse(now) + 30 * 60_000).toISOString(),
    updatedAt: now,
    decidedBy: null,
    decidedAt: null,
    denialReason: null,
    issuingAt: null,
    issuedAt: null,
    methodId: null,
    startDateTime: null,
    failure: null,
    isValueLost: false,
    revealedAt: null,
    aftermath: null,
    ...overrides,
  };
}
