// A small filesystem the test makes itself (tmpfs with a size limit), for what
// only a real disk shows: a full disk, a read-only mount. Mounting needs
// CAP_SYS_ADMIN; where the machine refuses, the test skips and says why.
import { execFileSync } from "node:child_process";
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Tmpfs {
  dir: string;
  /** Remounts read-only or read-write; fails while a file is open for writing (EBUSY). */
  remount(mode: "ro" | "rw"): void;
  /** Writes a filler file until the filesystem is full, then gives back `leave` bytes; returns its path. */
  fill(leave?: number): string;
  unmount(): void;
}

const run = (args: string[]) => execFileSync(args[0]!, args.slice(1), { stdio: ["ignore", "ignore", "pipe"] });

/** A tmpfs of `size` (such as "4m"), or why there is none. */
export function mountTmpfs(size: string): Tmpfs | { unavailable: string } {
  const dir = mkdtempSync(join(tmpdir(), "membership-tmpfs-"));
  try {
    run(["mount", "-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", dir]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const why = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    return { unavailable: `cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): ${why}` };
  }
  return {
    dir,
    remount: (mode) => run(["mount", "-o", `remount,${mode}`, dir]),
    fill(leave = 0) {
      const path = join(dir, "filler");
      const fd = openSync(path, "w");
      const chunk = Buffer.alloc(4096, 1);
      let size = 0;
      try {
        for (;;) size += writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
        ftruncateSync(fd, Math.max(0, size - leave));
      } finally {
        closeSync(fd);
      }
      return path;
    },
    unmount() {
      run(["umount", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
