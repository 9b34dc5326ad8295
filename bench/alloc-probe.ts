// Preloaded into a benchmarked server (`node --import ./bench/alloc-probe.ts
// ...`) to count the bytes it allocates on the V8 heap. V8 exposes no running
// total, so the probe adds up what each garbage collection found in use
// before it ran, minus what the previous one left behind; between two
// collections everything the heap grew by was allocated. Buffers' backing
// stores live outside the heap and are not counted.
//
// On SIGUSR2 it writes {"seq", "allocatedBytes"} to $BENCH_PROBE_FILE (the
// orchestrator reads it before and after each case). Nothing else changes in
// the server: no IPC channel, no timers.
import { renameSync, writeFileSync } from "node:fs";
import { GCProfiler, getHeapStatistics } from "node:v8";

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  let profiler = new GCProfiler();
  profiler.start();
  let allocated = 0;
  let usedAfterLast = getHeapStatistics().used_heap_size;
  let seq = 0;

  // Folds the collections seen since the last read into the total.
  const drain = () => {
    const result = profiler.stop();
    profiler = new GCProfiler();
    profiler.start();
    for (const gc of result?.statistics ?? []) {
      allocated += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - usedAfterLast);
      usedAfterLast = gc.afterGC.heapStatistics.usedHeapSize;
    }
  };

  process.on("SIGUSR2", () => {
    drain();
    const sinceLast = Math.max(0, getHeapStatistics().used_heap_size - usedAfterLast);
    seq++;
    writeFileSync(file + ".tmp", JSON.stringify({ seq, allocatedBytes: allocated + sinceLast }));
    renameSync(file + ".tmp", file);
  });
}
