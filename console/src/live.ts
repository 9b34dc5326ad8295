// Live updates: WatchMemberships streams the project's membership events as
// they are committed (over gRPC-web or Connect, whichever the console
// speaks). The stream replays from after_sequence, so after a drop the
// console resumes from the last event it saw and misses none.
import type { Api } from "./api.ts";

/** Calls `changed` (at most once per burst of events) until `signal` aborts; `state` reports "live" or "reconnecting". */
export function watchProject(api: Api, projectId: string, signal: AbortSignal, changed: () => void, state: (s: "live" | "reconnecting") => void): void {
  let after = 0n;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(changed, 150);
  };
  void (async () => {
    while (!signal.aborted) {
      try {
        state("live");
        for await (const { event } of api.members.watchMemberships({ projectId, afterSequence: after }, { signal })) {
          if (!event) continue;
          // The first call also replays the history the list already shows: one reload more, then quiet.
          after = event.sequence;
          soon();
        }
      } catch {
        if (signal.aborted) break;
      }
      state("reconnecting");
      await new Promise((r) => setTimeout(r, 2000));
    }
    clearTimeout(timer);
  })();
}
