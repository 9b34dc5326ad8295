import { randomInt } from "node:crypto";

// Ids are 19-digit decimal strings: 13 digits of milliseconds, then 6 digits
// that are random per millisecond and counted up within one. Equal length
// makes string order equal numeric order, so ids sort by creation time and
// keyset pages follow insertion order on one node; the random part keeps
// nodes of a future shared store from colliding.
export interface IdGenerator {
  next(): string;
}

export function createIdGenerator(now: () => number = Date.now): IdGenerator {
  let lastMs = -1;
  let counter = 0;
  return {
    next() {
      const ms = now();
      if (ms > lastMs) {
        lastMs = ms;
        counter = randomInt(0, 500_000);
      } else {
        counter += 1;
        if (counter > 999_999) {
          lastMs += 1;
          counter = 0;
        }
      }
      return String(lastMs).padStart(13, "0") + String(counter).padStart(6, "0");
    },
  };
}
