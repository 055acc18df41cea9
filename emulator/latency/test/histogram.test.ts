import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../histogram.js";

describe("LatencyHistogram (load/bench)", () => {
  it("summarises within HDR precision and merges encoded shards", () => {
    const a = new LatencyHistogram();
    for (let i = 1; i <= 100; i++) a.recordMs(i);
    a.recordMs(Number.NaN); // ignored
    const s = a.summary();
    expect(s.n).toBe(100);
    expect(s.p50Ms).toBeCloseTo(50, 0);
    expect(s.p99Ms).toBeCloseTo(99, 0);
    expect(s.approximate).toBe(true);
    const merged = new LatencyHistogram(a.encode());
    merged.add(a);
    expect(merged.count).toBe(200);
    expect(merged.summary().maxMs).toBeCloseTo(100, 0);
  });
});
