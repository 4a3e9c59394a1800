import { type GraphCall, permissionFor } from "../../../graph/graph-permissions.js";
import type { ReadProblem } from "../../../graph/model.js";
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

/** The gateway call that reads each subject: its permission comes from the one permission source. */
const CALL_FOR: Record<ReadSubject, GraphCall> = {
  fido2Policy: "getPasskeyPolicy",
  tapPolicy: "getTemporaryAccessPassPolicy",
  groupMembership: "checkMemberGroups",
  methods: "listAuthenticationMethods",
  devices: "listRegisteredDevices",
  signIns: "listSignIns",
  policyChanges: "listDirectoryAudits",
};

/** Says what could not be read and why, so an `unknown` verdict is never silent about its cause. */
export function describeReadProblem(subject: ReadSubject, problem: ReadProblem): LocalizedText {
  switch (problem.kind) {
    case "accessDenied":
      return diagnosisText(`missing.${subject}.accessDenied`, {
        permission: problem.missingPermission ?? permissionFor(CALL_FOR[subject]),
      });
    case "throttled":
      return diagnosisText(`missing.${subject}.throttled`, { seconds: problem.retryAfterSeconds });
    case "unavailable":
    // The triage reads a person it has just found: a 404 there is a race with a deletion, told as Graph not answering.
    case "notFound":
      return diagnosisText(`missing.${subject}.unavailable`, { detail: problem.detail });
    case "notRequested":
      return diagnosisText(`missing.${subject}.notRequested`);
  }
}
