// Arrivals (src/load/schedule.ts): pure, driven by elapsed time.
import { describe, expect, it } from "vitest";
import { Arrivals, DEFAULT_RATE_PER_S } from "../../src/load/schedule.js";

describe("Arrivals", () => {
  it("places N calls in all at the default rate when no duration is given", () => {
    const a = new Arrivals({ calls: 25 });
    expect(a.take(0, 0)).toBe(1);
    // By 1 s the token bucket allows DEFAULT_RATE_PER_S + 1 starts in all.
    expect(a.take(1000, 1)).toBe(DEFAULT_RATE_PER_S);
    expect(a.take(10_000, 0)).toBe(25 - 1 - DEFAULT_RATE_PER_S);
    expect(a.finished(10_000)).toBe(true);
    expect(a.take(20_000, 0)).toBe(0);
  });

  it("holds N concurrent calls until the duration is over, replacing calls that ended", () => {
    const a = new Arrivals({ calls: 3, ratePerS: 1000, durationMs: 5000 });
    expect(a.take(0, 0)).toBe(1);
    expect(a.take(10, 1)).toBe(2);
    expect(a.take(2000, 3)).toBe(0);
    expect(a.take(2500, 1)).toBe(2);
    expect(a.count).toBe(5);
    expect(a.finished(4999)).toBe(false);
    expect(a.take(5000, 0)).toBe(0);
  });

  it("ramps the concurrency target linearly", () => {
    const a = new Arrivals({ calls: 10, rampMs: 10_000, durationMs: 60_000 });
    expect(a.target(0)).toBe(1);
    expect(a.target(5000)).toBe(6);
    expect(a.target(10_000)).toBe(10);
    expect(a.take(5000, 0)).toBe(6);
    expect(a.take(20_000, 6)).toBe(4);
  });

  it("limits starts to --rate", () => {
    const a = new Arrivals({ calls: 100, ratePerS: 2 });
    expect(a.take(0, 0)).toBe(1);
    expect(a.take(999, 1)).toBe(1);
    expect(a.take(3000, 2)).toBe(5);
  });
});
