// In-process wake-ups for change-stream readers. Readers re-read the audit
// trail after each wake-up, so a missed or merged notification loses nothing.
import type { ChangeNotifier } from "../kernel/store.ts";

export function createChangeNotifier(): ChangeNotifier & { close(): void } {
  let waiters = new Set<() => void>();
  const wakeAll = () => {
    const current = waiters;
    waiters = new Set();
    for (const w of current) w();
  };
  return {
    notify: () => wakeAll(),
    wait(signal) {
      if (signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          waiters.delete(done);
          signal.removeEventListener("abort", done);
          resolve();
        };
        waiters.add(done);
        signal.addEventListener("abort", done, { once: true });
      });
    },
    close: () => wakeAll(),
  };
}
