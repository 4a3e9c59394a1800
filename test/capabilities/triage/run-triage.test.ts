import { describe, expect, it } from "vitest";
import {
  createUserSnapshotCache,
  runTriage,
  type TriageEngineInput,
} from "../../../src/capabilities/triage/run-triage.js";
import type { UserAuthSnapshotRequest } from "../../../src/graph/graph-gateway.js";
import {
  diagnosisFixture,
  EXCLUDE_GROUP,
  INCLUDE_GROUP,
  policyFixture,
  USER_ID,
  userSnapshotFixture,
} from "./conversation-fixtures.js";

function fakeGateway(policy = policyFixture(), memberOf = [INCLUDE_GROUP]) {
  const requests: UserAuthSnapshotRequest[] = [];
  return {
    requests,
    gateway: {
      getTenantPolicySnapshot: async () => policy,
      getUserAuthSnapshot: async (_userId: string, request: UserAuthSnapshotRequest) => {
        requests.push(request);
        return userSnapshotFixture({ memberOfGroupIds: { ok: true, value: memberOf } });
      },
    },
  };
}

describe("runTriage", () => {
  const now = () => new Date("2026-11-22T10:00:00Z");
  const diagnose = async (input: TriageEngineInput) => diagnosisFixture({ platform: input.platform });

  it("asks for the policy's include, exclude and TAP groups and for the last 24 hours of sign-ins", async () => {
    const { gateway, requests } = fakeGateway();
    await runTriage({ gateway, diagnose, now }, { userId: USER_ID, platform: "windows", aaGuid: null });
    expect(requests[0]?.groupIds.sort()).toEqual([EXCLUDE_GROUP, INCLUDE_GROUP].sort());
    expect(requests[0]?.signInsSince).toBe("2026-11-21T10:00:00.000Z");
    expect(requests[0]?.auditsSince).toBeUndefined();
    expect(requests[0]?.priority).toBe("interactive");
  });

  it("reads sign-ins for an end user even when the passkey method is off for the tenant (questions 2–4 still count)", async () => {
    const { gateway, requests } = fakeGateway(policyFixture({ state: "disabled" }));
    await runTriage({ gateway, diagnose, now }, { userId: USER_ID, platform: "windows", aaGuid: null });
    expect(requests[0]?.signInsSince).toBe("2026-11-21T10:00:00.000Z");
  });

  it("reads sign-ins again for a user it saw excluded moments ago, as for anyone", async () => {
    const { gateway, requests } = fakeGateway(policyFixture(), [INCLUDE_GROUP, EXCLUDE_GROUP]);
    const snapshots = createUserSnapshotCache();
    await runTriage({ gateway, diagnose, now, snapshots }, { userId: USER_ID, platform: "windows", aaGuid: null });
    await runTriage(
      { gateway, diagnose, now, snapshots },
      { userId: USER_ID, platform: "windows", aaGuid: null, fresh: true },
    );
    expect(requests.map((r) => r.signInsSince === undefined)).toEqual([false, false]);
  });

  it("re-evaluates a follow-up answer from the recent snapshot without reading Graph again", async () => {
    const { gateway, requests } = fakeGateway();
    const snapshots = createUserSnapshotCache();
    const seen: TriageEngineInput[] = [];
    const recording = async (input: TriageEngineInput) => {
      seen.push(input);
      return diagnosisFixture();
    };
    await runTriage(
      { gateway, diagnose: recording, now, snapshots },
      { userId: USER_ID, platform: "windows", aaGuid: null },
    );
    await runTriage(
      { gateway, diagnose: recording, now, snapshots },
      { userId: USER_ID, platform: "windows", aaGuid: null, answers: { windowsPinSet: false } },
    );
    expect(requests).toHaveLength(1);
    expect(seen[1]?.answers).toEqual({ windowsPinSet: false });
  });

  it("reads audits of the last week for an agent", async () => {
    const { gateway, requests } = fakeGateway();
    await runTriage({ gateway, diagnose, now }, { userId: USER_ID, platform: "unknown", aaGuid: null, forAgent: true });
    expect(requests[0]?.auditsSince).toBe("2026-11-15T10:00:00.000Z");
  });
});

describe("runTriage group names", () => {
  const now = () => new Date("2026-11-22T10:00:00Z");
  const names = { [INCLUDE_GROUP]: "Passkey pilot ring", [EXCLUDE_GROUP]: "Passkey rollout - excluded" };

  function namingGateway(answer: () => Promise<Record<string, string>>) {
    const asked: string[][] = [];
    const { gateway } = fakeGateway();
    return {
      asked,
      gateway: {
        ...gateway,
        getGroupDisplayNames: (ids: string[]) => {
          asked.push(ids);
          return answer();
        },
      },
    };
  }

  function recordingDiagnose() {
    const seen: TriageEngineInput[] = [];
    return {
      seen,
      diagnose: async (input: TriageEngineInput) => {
        seen.push(input);
        return diagnosisFixture();
      },
    };
  }

  it("names the policy's groups for an agent, in the engine's input and in the outcome", async () => {
    const { gateway, asked } = namingGateway(async () => names);
    const { seen, diagnose } = recordingDiagnose();
    const outcome = await runTriage(
      { gateway, diagnose, now },
      { userId: USER_ID, platform: "windows", aaGuid: null, forAgent: true },
    );
    expect(asked[0]?.sort()).toEqual([EXCLUDE_GROUP, INCLUDE_GROUP].sort());
    expect(seen[0]?.groupNames).toEqual(names);
    expect(outcome.groupNames).toEqual(names);
  });

  it("does not ask for group names in an end user's own triage, so their diagnosis shows no group names", async () => {
    const { gateway, asked } = namingGateway(async () => names);
    const { seen, diagnose } = recordingDiagnose();
    const outcome = await runTriage({ gateway, diagnose, now }, { userId: USER_ID, platform: "windows", aaGuid: null });
    expect(asked).toEqual([]);
    expect(seen[0]?.groupNames).toBeUndefined();
    expect(outcome.groupNames).toEqual({});
  });

  it("still triages with ids when the group names cannot be read", async () => {
    const { gateway } = namingGateway(async () => {
      throw new Error("Graph is unavailable");
    });
    const { seen, diagnose } = recordingDiagnose();
    const outcome = await runTriage(
      { gateway, diagnose, now },
      { userId: USER_ID, platform: "windows", aaGuid: null, forAgent: true },
    );
    expect(seen[0]?.groupNames).toEqual({});
    expect(outcome.diagnosis.userId).toBe(USER_ID);
  });
});
