// A budget of failed authentications per client address. An address that
// spends its budget within one window is refused with RESOURCE_EXHAUSTED until
// the window ends: every call that needs a token, valid ones included. Valid
// calls must be refused too, or a guesser past the budget would still learn
// which guess succeeded. Successful calls spend nothing and never wait.
//
// The window is fixed and opens at an address's first failure. Addresses come
// from the socket, never from headers a client can write. IPv6 clients count
// per /64, the block one host is usually given, so a host cannot refill its
// budget by hopping addresses within it.
import type { Clock } from "../kernel/clock.ts";
import { resourceExhausted, type DomainError } from "../kernel/errors.ts";
import type { Logger } from "../logger.ts";

export interface AuthFailureLimiterOptions {
  /** Failed authentications an address may have per window; 0 turns the limit off. */
  budget: number;
  windowMs: number;
  clock: Clock;
  log: Logger;
  /** Addresses remembered at most; past it, ended windows and then the oldest are dropped. */
  maxEntries?: number;
}

interface Entry {
  start: number;
  failures: number;
}

export interface AuthFailureLimiter {
  /** Throws RESOURCE_EXHAUSTED with a retry hint while the address is over its budget. */
  check(address: string | undefined): void;
  recordFailure(address: string | undefined): void;
  /** Addresses remembered now (for tests of the memory bound). */
  size(): number;
}

export function createAuthFailureLimiter(o: AuthFailureLimiterOptions): AuthFailureLimiter {
  const maxEntries = o.maxEntries ?? 50_000;
  // Insertion order is window-start order (a new window re-inserts), so the oldest come first.
  const entries = new Map<string, Entry>();
  const current = (key: string, now: number) => {
    const e = entries.get(key);
    if (e && now - e.start >= o.windowMs) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };

  /** The oldest windows go first, which puts every ended one before any open one. */
  function evict(): void {
    for (const key of entries.keys()) {
      if (entries.size <= maxEntries) return;
      entries.delete(key);
    }
  }

  return {
    check(address) {
      if (o.budget === 0) return;
      const now = o.clock.now();
      const e = current(clientKey(address), now);
      if (e && e.failures >= o.budget) throw exhausted(e.start + o.windowMs - now);
    },
    recordFailure(address) {
      if (o.budget === 0) return;
      const now = o.clock.now();
      const key = clientKey(address);
      const e = current(key, now);
      if (!e) {
        entries.set(key, { start: now, failures: 1 });
        if (entries.size > maxEntries) evict();
      } else if (++e.failures === o.budget) {
        o.log.warn("failed authentications over budget; address refused until the window ends", {
          client: key,
          retryAfterS: seconds(e.start + o.windowMs - now),
        });
      }
    },
    size: () => entries.size,
  };
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** The edge gives the hint as a message, a retry-after header or trailer, and google.rpc.RetryInfo (rpc/error-mapper.ts). */
function exhausted(ms: number): DomainError {
  const s = seconds(ms);
  return resourceExhausted("auth.too_many_failures", `too many failed authentications from this address; retry after ${s} s`, s * 1000);
}

/** IPv4 (also when mapped into IPv6) counts per address, IPv6 per /64. */
export function clientKey(address: string | undefined): string {
  if (address === undefined || address === "") return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  // Socket addresses are well formed: a colon means IPv6.
  if (!address.includes(":")) return address;
  return `${expandIPv6(address).slice(0, 4).join(":")}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros ("2001:db8::1" → 2001,db8,0,0,0,0,0,1). */
function expandIPv6(address: string): string[] {
  const a = address.split("%", 1)[0]!.toLowerCase();
  const parts = (s: string) => (s === "" ? [] : s.split(":").flatMap((g) => (g.includes(".") ? ["0", "0"] : [g])));
  const [head, tail] = a.includes("::") ? a.split("::", 2) as [string, string] : [a, undefined];
  const h = parts(head);
  const t = tail === undefined ? [] : parts(tail);
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups.map((g) => parseInt(g, 16).toString(16));
}
