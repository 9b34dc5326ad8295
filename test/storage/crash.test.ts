// SIGKILL in the middle of a concurrent write load, three times: after each
// kill the file is whole, every acknowledged write is in it and served after
// the restart, and the audit trail has no gap. scripts/crash-test.ts runs the
// same rounds many more times.
import { describe, expect, it } from "vitest";
import { runCrashRounds } from "../helpers/crash-rounds.ts";

describe("crash safety", () => {
  it("keeps every acknowledged AddProjectMember across three SIGKILLs", async () => {
    const checks = await runCrashRounds({ rounds: 3, usersPerRound: 150, inFlight: 8 });
    expect(checks).toHaveLength(3);
    for (const c of checks) {
      expect(c.acknowledgedThisRound).toBeGreaterThan(0);
      expect(c.integrity).toBe("ok");
      expect(c.missingOnDisk).toEqual([]);
      expect(c.missingAfterRestart).toEqual([]);
      expect(c.sequencesWithoutEvent).toEqual([]);
      expect(c.auditCount).toBe(c.auditMax); // sequences 1..max, none missing
      expect(c.staleLastSequence).toBe(0);
      expect(c.membershipsWithoutEvent).toBe(0);
    }
  }, 60_000);
});
