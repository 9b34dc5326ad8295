// The failure budget's bookkeeping on its own: which addresses share a
// budget, and that memory stays bounded however many addresses fail.
import { describe, expect, it } from "vitest";
import { clientKey, createAuthFailureLimiter } from "../../src/access/auth-failure-limiter.ts";
import { createManualClock } from "../../src/kernel/clock.ts";
import { DomainError } from "../../src/kernel/errors.ts";
import { createLogger } from "../../src/logger.ts";

describe("clientKey", () => {
  it("counts IPv4 per address, also when mapped into IPv6", () => {
    expect(clientKey("192.0.2.7")).toBe("192.0.2.7");
    expect(clientKey("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(clientKey("192.0.2.8")).not.toBe(clientKey("192.0.2.7"));
  });

  it("counts IPv6 per /64, however the address is written", () => {
    expect(clientKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:0db8:0001:0002:ffff:1:2:3")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("2001:db8:0:1::1")).toBe("2001:db8:0:1::/64");
    expect(clientKey("1:2::3:4:5:6:7")).toBe("1:2:0:3::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("puts a missing address (a socket already gone) in one shared bucket", () => {
    expect(clientKey(undefined)).toBe("unknown");
  });
});

describe("createAuthFailureLimiter", () => {
  const setup = (maxEntries: number) => {
    const clock = createManualClock(0);
    const limiter = createAuthFailureLimiter({ budget: 2, windowMs: 10_000, clock, log: createLogger("silent"), maxEntries });
    const blocked = (a: string) => {
      try {
        limiter.check(a);
        return false;
      } catch (err) {
        expect(err).toBeInstanceOf(DomainError);
        expect((err as DomainError).kind).toBe("resource_exhausted");
        expect((err as DomainError).retryAfterMs).toBeGreaterThan(0);
        return true;
      }
    };
    return { clock, limiter, blocked };
  };

  it("remembers at most maxEntries addresses, dropping the oldest window first", () => {
    const { clock, limiter, blocked } = setup(3);
    for (const a of ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]) {
      limiter.recordFailure(a);
      limiter.recordFailure(a);
      clock.advance(1);
    }
    expect(limiter.size()).toBe(3);
    expect(["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"].map(blocked)).toEqual([false, false, true, true, true]);
  });

  it("drops an address once its window has ended", () => {
    const { clock, limiter, blocked } = setup(100);
    limiter.recordFailure("10.0.0.1");
    limiter.recordFailure("10.0.0.1");
    expect(blocked("10.0.0.1")).toBe(true);
    clock.advance(10_000);
    expect(blocked("10.0.0.1")).toBe(false);
    expect(limiter.size()).toBe(0);
  });

  it("is off with a budget of 0", () => {
    const limiter = createAuthFailureLimiter({ budget: 0, windowMs: 1000, clock: createManualClock(0), log: createLogger("silent") });
    for (let i = 0; i < 100; i++) limiter.recordFailure("10.0.0.1");
    expect(() => limiter.check("10.0.0.1")).not.toThrow();
    expect(limiter.size()).toBe(0);
  });
});
