// LoadWindows and the run's verdict (src/load/windows.ts, verdict.ts): pure aggregation in windows.
import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../emulator/latency/histogram.js";
import { LatenessRecorder } from "../../emulator/media/lateness.js";
import type { CallOutcome } from "../../src/load/types.js";
import { verdictOf } from "../../src/load/verdict.js";
import { LoadWindows, mergeWindows } from "../../src/load/windows.js";

const T0 = 1_000_000_000;
const outcome = (o: Partial<CallOutcome>): CallOutcome => ({ index: 0, callId: "c-1", shard: 0, startedUs: T0, endedUs: T0, ok: true, turnMs: [], bridgeOverheadMs: [], cut: false, ...o });

function lateness(values: number[]): string {
  const r = new LatenessRecorder();
  for (const v of values) r.record(v);
  return r.encode();
}

describe("LoadWindows", () => {
  it("puts each outcome in the window it ended in and keeps totals", () => {
    const w = new LoadWindows(T0, 1000);
    w.callStarted(T0 + 10_000);
    w.callStarted(T0 + 20_000);
    w.outcome(outcome({ endedUs: T0 + 1_500_000, turnMs: [100, 200], bridgeOverheadMs: [20] }));
    w.outcome(outcome({ index: 1, endedUs: T0 + 2_500_000, ok: false, reason: "no-bxml" }));
    const f = w.figures();
    expect(f.map((x) => x.tMs)).toEqual([0, 1000, 2000]);
    expect(f[0].started).toBe(2);
    expect(f[1].completed).toBe(1);
    expect(f[1].turn.n).toBe(2);
    expect(f[2].failed["no-bxml"]).toBe(1);
    const t = w.totals();
    expect(t.completed).toBe(1);
    expect(t.failed["no-bxml"]).toBe(1);
    expect(t.turn.p50Ms).toBeCloseTo(100, 0);
    expect(t.bridgeOverhead.n).toBe(1);
  });

  it("mergeWindows: a span's percentiles from the windows' histograms, exactly as one histogram of every sample; a window without them is refused", () => {
    const w = new LoadWindows(T0, 1000);
    // Window 0 holds a stall (many late ticks), windows 1-3 are quiet: the span's p99 is not any window's, nor their mean.
    const per = [
      [...Array.from({ length: 90 }, () => 500), ...Array.from({ length: 10 }, () => 9000)],
      Array.from({ length: 100 }, (_, i) => 400 + i),
      Array.from({ length: 100 }, (_, i) => 300 + i),
      Array.from({ length: 100 }, (_, i) => 200 + i),
    ];
    per.forEach((v, i) => w.tick({ shard: i % 2, atUs: T0 + i * 1_000_000 + 500_000, active: 1, lateness: lateness(v), elu: 0.5 }));
    w.outcome(outcome({ endedUs: T0 + 2_100_000, turnMs: [700, 900], bridgeOverheadMs: [30] }));
    const f = w.figures();
    expect(f[0].hdr?.lateness).toEqual(expect.any(String));
    const all = new LatencyHistogram(lateness(per.flat())).summary();
    const span = mergeWindows(f);
    expect(span.lateness).toEqual(all);
    expect(span.lateness.p99Ms).toBeCloseTo(9, 1);
    // The quiet part alone (what a steady-state figure reads once the stall is behind it).
    expect(mergeWindows(f.slice(1)).lateness).toEqual(new LatencyHistogram(lateness(per.slice(1).flat())).summary());
    expect(mergeWindows(f.slice(1)).lateness.p99Ms).toBeCloseTo(0.498, 2);
    expect(span.turn.n).toBe(2);
    expect(span.bridgeOverhead.maxMs).toBeCloseTo(30, 0);
    expect(() => mergeWindows([{ ...f[3], hdr: undefined as never }])).toThrow(/no histograms/);
    expect(() => mergeWindows([f[0], { ...f[1], hdr: { ...f[1].hdr, lateness: "not a histogram" } }])).toThrow(/window at 1000 ms: hdr\.lateness is not an encoded histogram/);
  });

  it("summarises windows two minutes behind the newest (their histograms let go): the same figures; an outcome landing there later counts in the totals", () => {
    const w = new LoadWindows(T0, 1000);
    const fill = (s: number) => {
      w.callStarted(T0 + s * 1_000_000);
      w.outcome(outcome({ index: s, endedUs: T0 + s * 1_000_000 + 500_000, turnMs: [100 + s] }));
      w.tick({ shard: 0, atUs: T0 + s * 1_000_000 + 900_000, active: 1, lateness: lateness([1000 + s, 2000]), elu: 0.5 });
      w.active(T0 + s * 1_000_000 + 900_000, 1);
    };
    fill(0);
    fill(5);
    const early = w.figures();
    fill(300);
    const f = w.figures();
    expect(f.length).toBe(301);
    expect(f.slice(0, 6)).toEqual(early);
    expect(w.figure(5)).toEqual(early[5]);
    expect(f[300].turn.n).toBe(1);
    // Long after: its window keeps what it said; the totals count it.
    w.outcome(outcome({ index: 9, endedUs: T0 + 5_200_000, ok: false, reason: "no-bxml" }));
    expect(w.figures()[5]).toEqual(early[5]);
    expect(w.totals().failed["no-bxml"]).toBe(1);
    expect(w.totals().turn.n).toBe(3);
  });

  it("merges shards' lateness histograms exactly instead of averaging percentiles", () => {
    const w = new LoadWindows(T0, 1000);
    // Shard 0 on time, shard 1 late: the merged p99 is shard 1's lateness, not a mean of the two.
    w.tick({ shard: 0, atUs: T0 + 1000, active: 1, lateness: lateness(Array(98).fill(100)), elu: 0.2 });
    w.tick({ shard: 1, atUs: T0 + 2000, active: 1, lateness: lateness([40_000, 40_000]), elu: 0.6 });
    const t = w.totals();
    expect(t.lateness.n).toBe(100);
    expect(t.lateness.p99Ms).toBeCloseTo(40, 0);
    expect(t.shards.map((s) => [s.shard, s.busyPct])).toEqual([
      [0, 20],
      [1, 60],
    ]);
    const all = new LatencyHistogram(lateness([1, 2, 3]));
    expect(all.count).toBe(3);
  });

  it("fills windows nobody reported in, carrying the active count", () => {
    const w = new LoadWindows(T0, 1000);
    w.active(T0, 3);
    w.outcome(outcome({ endedUs: T0 + 3_200_000 }));
    const f = w.figures();
    expect(f).toHaveLength(4);
    expect(f[1].active).toBe(3);
    expect(w.totals().peakActive).toBe(3);
  });

  it("gives one window's figures alone exactly as the whole list has them, gaps included", () => {
    const w = new LoadWindows(T0, 1000);
    w.active(T0, 3);
    w.outcome(outcome({ endedUs: T0 + 1_500_000, turnMs: [420] }));
    w.active(T0 + 1_600_000, 2);
    w.outcome(outcome({ endedUs: T0 + 4_200_000 }));
    const all = w.figures();
    expect(w.lastIndex()).toBe(all.length - 1);
    expect(all.map((_f, i) => w.figure(i))).toEqual(all);
    expect(new LoadWindows(T0, 1000).lastIndex()).toBe(-1);
  });

  it("records a dead shard with the calls it held", () => {
    const w = new LoadWindows(T0);
    w.outcome(outcome({ shard: 1, ok: false, reason: "worker-died" }));
    w.shardDied(1, 1, "exited with code 1");
    expect(w.totals().shards[0]).toMatchObject({ shard: 1, calls: 1, died: { calls: 1, message: "exited with code 1" } });
  });
});

describe("verdictOf", () => {
  it("says latency figures are untrustworthy when bwemu's own lateness p99 passes 5 ms, without blaming the app", () => {
    const w = new LoadWindows(T0);
    w.outcome(outcome({ turnMs: [300] }));
    w.tick({ shard: 0, atUs: T0, active: 1, lateness: lateness(Array(100).fill(9_000)), elu: 1 });
    const v = verdictOf(w.totals(), false);
    expect(v.trustworthy).toBe(false);
    expect(v.untrustworthy).toMatch(/bwemu's own pacing was late \(p99 9\.0 ms/);
    expect(v.exitCode).toBe(0);
  });

  it("exits 1 for the app's failures and 3 when only bwemu failed", () => {
    const app = new LoadWindows(T0);
    app.outcome(outcome({ ok: false, reason: "missing-reply" }));
    expect(verdictOf(app.totals(), false)).toMatchObject({ exitCode: 1, failed: 1, trustworthy: true });
    const own = new LoadWindows(T0);
    own.outcome(outcome({ ok: false, reason: "worker-died" }));
    expect(verdictOf(own.totals(), true)).toMatchObject({ exitCode: 3 });
    expect(verdictOf(own.totals(), true).summary).toMatch(/^partial run/);
  });
});
