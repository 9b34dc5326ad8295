// Preloaded into a benchmarked server (`node --import ./bench/alloc-probe.ts
// ...`) to count the requests it answers and the bytes it allocates on the
// V8 heap, neither of which the server reports itself.
// - Requests: Node's diagnostics channels for a finished HTTP/2 stream and a
//   finished HTTP/1.1 response (public hooks; nothing is patched).
// - Allocation: V8 keeps no running total, so the probe adds up what each
//   garbage collection found in use before it ran, minus what the previous
//   one left behind: between two collections, all the heap grew by was
//   allocated. Buffers' backing stores live outside the heap and are not counted.
// On SIGUSR2 it writes {"seq", "allocatedBytes", "served"} to
// $BENCH_PROBE_FILE; the orchestrator reads it before and after each run.
import { subscribe } from "node:diagnostics_channel";
import { renameSync, writeFileSync } from "node:fs";
import { GCProfiler, getHeapStatistics } from "node:v8";

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  let profiler = new GCProfiler();
  profiler.start();
  let allocated = 0;
  let usedAfterLast = getHeapStatistics().used_heap_size;
  let seq = 0;
  let served = 0;
  const count = () => void served++;
  subscribe("http2.server.stream.finish", count);
  subscribe("http.server.response.finish", count);

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
    writeFileSync(file + ".tmp", JSON.stringify({ seq, allocatedBytes: allocated + sinceLast, served }));
    renameSync(file + ".tmp", file);
  });
}
