import type { ReadProblem } from "../../graph/model.js";
import type { LocalizedText } from "./diagnosis.js";
import { diagnosisText } from "./diagnosis-text.js";

/** The part of the Graph state a question needed, with the least-privileged permission that reads it (graph.md §8). */
export type ReadSubject =
  | "fido2Policy"
  | "tapPolicy"
  | "groupMembership"
  | "methods"
  | "devices"
  | "signIns"
  | "policyChanges";

const PERMISSION_FOR: Record<ReadSubject, string> = {
  fido2Policy: "Policy.Read.AuthenticationMethod",
  tapPolicy: "Policy.Read.AuthenticationMethod",
  groupMembership: "GroupMember.Read.All",
  methods: "UserAuthenticationMethod.Read.All",
  devices: "User.Read.All",
  signIns: "AuditLog.Read.All",
  policyChanges: "AuditLog.Read.All",
};

/** Says what could not be read and why, so an `unknown` verdict is never silent about its cause. */
export function describeReadProblem(subject: ReadSubject, problem: ReadProblem): LocalizedText {
  switch (problem.kind) {
    case "accessDenied":
      return diagnosisText(`missing.${subject}.accessDenied`, {
        permission: problem.missingPermission ?? PERMISSION_FOR[subject],
      });
    case "throttled":
      return diagnosisText(`missing.${subject}.throttled`, { seconds: problem.retryAfterSeconds });
    case "unavailable":
      return diagnosisText(`missing.${subject}.unavailable`, { detail: problem.detail });
    case "notRequested":
      return diagnosisText(`missing.${subject}.notRequested`);
  }
}
