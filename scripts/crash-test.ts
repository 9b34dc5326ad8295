// Many crash rounds against the real process (the same rounds as
// test/storage/crash.test.ts runs three of):
//   node scripts/crash-test.ts [kills=20]
// Prints one line per kill and a summary; exits 1 if any round lost an
// acknowledged write, left a gap in the audit trail or a damaged file.
import { runCrashRounds, type RoundCheck } from "../test/helpers/crash-rounds.ts";

const kills = Number(process.argv[2] ?? 20);
if (!Number.isInteger(kills) || kills < 1) {
  process.stderr.write("usage: node scripts/crash-test.ts [kills ≥ 1]\n");
  process.exit(2);
}

/** The ways a round can be wrong, in words; empty when it is right. */
function problems(c: RoundCheck): string[] {
  return [
    c.integrity === "ok" ? "" : `integrity_check: ${c.integrity}`,
    c.missingOnDisk.length ? `${c.missingOnDisk.length} acknowledged writes missing from the file` : "",
    c.missingAfterRestart.length ? `${c.missingAfterRestart.length} acknowledged writes not listed after the restart` : "",
    c.sequencesWithoutEvent.length ? `${c.sequencesWithoutEvent.length} acknowledged sequences without their audit event` : "",
    c.auditCount === c.auditMax ? "" : `audit trail has ${c.auditMax - c.auditCount} gaps below ${c.auditMax}`,
    c.staleLastSequence ? `${c.staleLastSequence} memberships with a stale last_sequence` : "",
    c.membershipsWithoutEvent ? `${c.membershipsWithoutEvent} memberships without their audit event` : "",
  ].filter((p) => p !== "");
}

let bad = 0;
const checks = await runCrashRounds({
  rounds: kills,
  usersPerRound: 300,
  inFlight: 8,
  onRound(c) {
    const p = problems(c);
    if (p.length) bad++;
    process.stdout.write(
      `kill ${String(c.round).padStart(3)} after ${String(c.killedAfterMs).padStart(3)} ms: ` +
        `${String(c.acknowledgedThisRound).padStart(4)} acknowledged, ${String(c.unanswered).padStart(2)} unanswered, ` +
        `audit 1..${c.auditMax}  ${p.length ? "FAIL " + p.join("; ") : "ok"}\n`,
    );
  },
});
const total = checks.at(-1)!;
process.stdout.write(
  `\n${checks.length} kills, ${total.acknowledged} acknowledged AddProjectMember calls in all, ` +
    `${checks.reduce((n, c) => n + c.unanswered, 0)} cut short by a kill; ` +
    `${bad === 0 ? "every acknowledged write survived, integrity ok, no audit gap" : `${bad} rounds FAILED`}\n`,
);
process.exit(bad === 0 ? 0 : 1);
