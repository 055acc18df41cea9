import { describe, expect, it } from "vitest";
import { Timeline } from "../../timeline.js";
import { ManualClock } from "../../clock.js";
import {
  aggregate,
  aggregateCalls,
  computeCallLatency,
  formatCallLatency,
  nearestRank,
  playAudioDurationFromText,
  type StubTurnLike,
} from "../index.js";

const CALL = "c-test-1";
const SID = "s-test-1";

/** A synthetic carrier timeline; every time is given in µs and placed exactly. */
class Script {
  readonly tl = new Timeline(new ManualClock());
  constructor(readonly callId = CALL, readonly streamId = SID) {}
  start(t: number): this {
    this.tl.append("ws.frame", { streamId: this.streamId, direction: "out", eventType: "start", bytes: 300 }, { t, callId: this.callId });
    return this;
  }
  play(t: number, durationMs?: number, text?: string, silent?: true): this {
    this.tl.append("ws.frame", { streamId: this.streamId, direction: "in", eventType: "playAudio", bytes: 400, text }, { t, callId: this.callId });
    if (durationMs !== undefined)
      this.tl.append("audio.queued", { streamId: this.streamId, contentType: "audio/pcmu", samples8k: durationMs * 8, durationMs, ...(silent && { silent }) }, { t, callId: this.callId });
    return this;
  }
  clear(t: number): this {
    this.tl.append("ws.frame", { streamId: this.streamId, direction: "in", eventType: "clear", bytes: 20 }, { t, callId: this.callId });
    return this;
  }
  utter(index: number, onUs: number, endUs: number | undefined, bargeIn = false): this {
    this.tl.append("caller.utterance", { index, phase: "start", frame: 0, bargeIn }, { t: onUs, callId: this.callId });
    if (endUs !== undefined) this.tl.append("caller.utterance", { index, phase: "end", frame: 10, bargeIn }, { t: endUs, callId: this.callId });
    return this;
  }
}

/** Events must be appended in time order, as the carrier does; sort a built script once. */
function sorted(s: Script): Timeline {
  const tl = new Timeline(new ManualClock());
  for (const e of [...s.tl.events].sort((a, b) => a.t - b.t || a.seq - b.seq)) tl.append(e.kind, e.data as never, { t: e.t, callId: e.callId, lane: e.lane });
  return tl;
}

describe("aggregate (§12.3.5 nearest-rank)", () => {
  it("takes the value at rank ⌈q·N⌉", () => {
    const xs = Array.from({ length: 20 }, (_, i) => i + 1);
    const p = aggregate(xs);
    expect(p).toMatchObject({ n: 20, failures: 0, min: 1, max: 20, mean: 10.5, p50: 10, p95: 19, p99: 20, lowN: { p95: false, p99: true } });
    expect(aggregate([5, 1, 3], 2)).toMatchObject({ n: 3, failures: 2, p50: 3, p95: 5, p99: 5, mean: 3, lowN: { p95: true, p99: true } });
    const hundred = aggregate(Array.from({ length: 100 }, (_, i) => 100 - i));
    expect([hundred.p50, hundred.p95, hundred.p99, hundred.lowN.p99]).toEqual([50, 95, 99, false]);
    expect(nearestRank([7], 990)).toBe(7);
  });

  it("reports an empty sample as N = 0 with no percentiles", () => {
    expect(aggregate([], 4)).toEqual({ n: 0, failures: 4, lowN: { p95: true, p99: true } });
    expect(aggregate([Number.NaN, 2])).toMatchObject({ n: 1, p50: 2 });
  });
});

describe("computeCallLatency (§12.3.3)", () => {
  const stubTurns: StubTurnLike[] = [
    { index: 0, sOnUs: 90_000_000, sStartedUs: 90_100_000, sEndUs: 100_000_000, sStoppedUs: 100_200_000, sFirstUs: 100_780_000, configuredThinkMs: 770, cancelled: false, bargeIn: false },
    { index: 1, sOnUs: 200_000_000, sStartedUs: 200_150_000, sEndUs: 201_000_000, sFirstUs: 201_500_000, configuredThinkMs: 500, cancelled: false, bargeIn: true },
    { index: 2, sOnUs: 300_000_000, sStartedUs: 300_100_000, sEndUs: 301_000_000, configuredThinkMs: 500, cancelled: false, bargeIn: false },
  ];
  const build = (): Timeline =>
    sorted(
      new Script()
        .start(1_000_000)
        .play(1_850_000, 2000) // greeting: G = 850 ms
        .utter(0, 4_000_000, 5_000_000)
        .play(5_812_500, 3000) // L(0) = 812.5 ms
        .utter(1, 6_300_000, 7_000_000, true)
        .clear(6_510_000) // I(1) = 210 ms
        .play(7_400_000, 500)
        .utter(2, 9_000_000, 10_000_000), // no reply: missing
    );

  it("computes G, L, I and the missing reply from carrier timestamps only", () => {
    const lat = computeCallLatency(build(), CALL);
    expect(lat.greetingMs).toBe(850);
    expect(lat.turns.map((t) => [t.index, t.kind, t.turnMs, t.bargeInMs, t.failure])).toEqual([
      [0, "turn", 812.5, undefined, undefined],
      [1, "barge-in", undefined, 210, undefined],
      [2, "turn", undefined, undefined, "missing-reply"],
    ]);
    expect(lat.stub).toMatchObject({ present: false, valid: false });
    expect(lat.turns[0].bridgeOverheadMs).toBeUndefined();
    expect(lat.summary.turn).toMatchObject({ n: 1, failures: 1, p50: 812.5 });
    expect(lat.summary.bargeIn).toMatchObject({ n: 1, failures: 0, p50: 210 });
    expect(lat.turns[0].evidence).toHaveLength(3);
  });

  it("splits L into K and B with the stub's own timestamps, and D out of I", () => {
    const lat = computeCallLatency(build(), CALL, { turns: stubTurns });
    expect(lat.stub).toMatchObject({ present: true, valid: true, stubTurns: 3, carrierTurns: 3 });
    const [t0, t1, t2] = lat.turns;
    expect([t0.thinkMs, t0.configuredThinkMs, t0.pacingExcessMs, t0.bridgeOverheadMs, t0.pacingFlag]).toEqual([780, 770, 10, 32.5, false]);
    expect([t1.onsetDetectMs, t1.bridgeBargeInOverheadMs]).toEqual([150, 60]);
    expect(t2.thinkMs).toBeUndefined();
    expect(lat.summary.bridgeOverhead).toMatchObject({ n: 1, failures: 1, p50: 32.5 });
  });

  it("a reply that opens with silence: L counts to the first audible playAudio, B pairs the first playAudio with S_first", () => {
    const tl = sorted(new Script().start(1_000_000).utter(0, 4_000_000, 5_000_000).play(5_040_000, 300, undefined, true).play(5_350_000, 1000));
    const stub: StubTurnLike[] = [{ index: 0, sOnUs: 90_000_000, sEndUs: 100_000_000, sFirstUs: 100_030_000, configuredThinkMs: 30, cancelled: false, bargeIn: false }];
    const [t] = computeCallLatency(tl, CALL, stub).turns;
    expect(t.turnMs).toBe(350); // the caller hears speech 350 ms after the end of theirs
    expect([t.cReplyUs, t.thinkMs, t.bridgeOverheadMs]).toEqual([5_040_000, 30, 10]); // not 320: the model's silent lead is not the bridge's
    expect(t.points?.cFirstMs).toBe(5040);
  });

  it("flags E(n) above one append + 5 ms", () => {
    const turns = [{ ...stubTurns[0], sFirstUs: 100_800_000 }, stubTurns[1], stubTurns[2]]; // K = 800, E = 30 > 25
    const lat = computeCallLatency(build(), CALL, turns);
    expect(lat.turns[0]).toMatchObject({ pacingExcessMs: 30, pacingFlag: true, bridgeOverheadMs: 12.5 });
    expect(computeCallLatency(build(), CALL, turns, { appendMs: 40 }).turns[0].pacingFlag).toBe(false);
  });

  it("invalidates stub metrics on a turn count mismatch and ignores stub turns without speech", () => {
    const greetingOnly: StubTurnLike = { index: -1, sFirstUs: 1, configuredThinkMs: 0, cancelled: false, bargeIn: false };
    const ok = computeCallLatency(build(), CALL, { turns: [greetingOnly, ...stubTurns] });
    expect(ok.stub.valid).toBe(true);
    const bad = computeCallLatency(build(), CALL, { turns: stubTurns.slice(0, 2) });
    expect(bad.stub).toMatchObject({ present: true, valid: false, stubTurns: 2, carrierTurns: 3 });
    expect(bad.stub.reason).toMatch(/invalid/);
    expect(bad.turns.every((t) => t.thinkMs === undefined && t.bridgeOverheadMs === undefined)).toBe(true);
    expect(bad.turns[0].turnMs).toBe(812.5); // carrier metrics stand
  });

  it("applies the 10 s / 5 s windows and never credits a reply to the wrong turn", () => {
    const s = new Script()
      .start(0)
      .utter(0, 1_000_000, 2_000_000)
      .play(12_000_001, 100) // 10 000.001 ms after C_end: too late
      .utter(1, 20_000_000, 21_000_000)
      .utter(2, 22_000_000, 23_000_000) // starts before any reply to 1
      .play(23_500_000, 100)
      .utter(3, 30_000_000, 31_000_000, true)
      .clear(35_000_001); // 5 000.001 ms after C_on
    const lat = computeCallLatency(sorted(s), CALL);
    expect(lat.turns.map((t) => t.failure)).toEqual(["missing-reply", "missing-reply", undefined, "missing-clear"]);
    expect(lat.turns[2].turnMs).toBe(500);
    expect(lat.greetingMs).toBeUndefined(); // first playAudio came after the first utterance ended
    expect(computeCallLatency(sorted(s), CALL, undefined, { missingReplyMs: 11_000 }).turns[0].turnMs).toBe(10_000.001);
  });

  it("reads only the given call, including stream frames recorded without a callId", () => {
    const s = new Script().start(0).utter(0, 1_000_000, 2_000_000);
    s.tl.append("stream.connect", { streamId: SID, name: "x", destination: "ws://a", ok: true }, { t: 0, callId: CALL });
    s.tl.append("ws.frame", { streamId: SID, direction: "in", eventType: "playAudio", bytes: 1 }, { t: 2_300_000 }); // no callId
    const other = new Script("c-other", "s-other").play(2_100_000, 20).utter(0, 1_000_000, 2_000_000);
    for (const e of other.tl.events) s.tl.append(e.kind, e.data as never, { t: e.t, callId: e.callId });
    const lat = computeCallLatency(sorted(s), CALL);
    expect(lat.turns).toHaveLength(1);
    expect(lat.turns[0].turnMs).toBe(300);
  });

  it("treats a turn whose utterance never ended as a failure", () => {
    const lat = computeCallLatency(sorted(new Script().start(0).utter(0, 1_000_000, undefined)), CALL);
    expect(lat.turns[0].failure).toBe("incomplete-utterance");
  });
});

describe("jitter-down (latency.jitter-down)", () => {
  it("finds gaps where the play-out queue ran dry inside one reply", () => {
    const s = new Script()
      .start(0)
      .utter(0, 100_000, 500_000)
      .play(1_000_000, 100) // queue to 1.100 s
      .play(1_050_000, 100) // queue to 1.200 s
      .play(1_260_000, 40) // dry 60 ms → underrun
      .play(1_310_000, 40) // dry 10 ms → below one frame, not counted
      .utter(1, 3_000_000, 4_000_000) // reply boundary
      .play(5_000_000, 100) // new reply: the silence before it is not a gap
      .clear(5_050_000)
      .play(5_400_000, 100); // after clear: new segment
    const lat = computeCallLatency(sorted(s), CALL);
    expect(lat.jitterDown).toMatchObject({ count: 1, totalMs: 60, maxMs: 60, unknownDurationFrames: 0 });
    expect(lat.jitterDown.gaps[0]).toMatchObject({ streamId: SID, atUs: 1_200_000, gapMs: 60 });
    expect(computeCallLatency(sorted(s), CALL, undefined, { underrunMinMs: 5 }).jitterDown.count).toBe(2);
  });

  it("takes a frame's length from its payload when the carrier did not queue it", () => {
    const payload = Buffer.alloc(160, 0xff).toString("base64");
    const text = JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/pcmu", payload } });
    expect(playAudioDurationFromText(text)).toBe(20);
    const pcm24 = JSON.stringify({ media: { contentType: "audio/pcm;rate=24000;channels=1;bit-depth=16;endian=little;encoding=signed", payload: Buffer.alloc(4800).toString("base64") } });
    expect(playAudioDurationFromText(pcm24)).toBe(100);
    expect(playAudioDurationFromText('{"media":{"contentType":"audio/x-mulaw","payload":"AAAA"}}')).toBeUndefined();
    expect(playAudioDurationFromText("{trunc")).toBeUndefined();
    const s = new Script().start(0).play(1_000_000, undefined, text).play(1_060_000, undefined, text).play(1_070_000, undefined, "{cut");
    const lat = computeCallLatency(sorted(s), CALL);
    expect(lat.jitterDown).toMatchObject({ count: 1, totalMs: 40, unknownDurationFrames: 1 });
  });
});

describe("aggregateCalls and the formatter", () => {
  it("pools turns across calls and prints a table", () => {
    const a = computeCallLatency(sorted(new Script().start(0).play(500_000, 10).utter(0, 1_000_000, 2_000_000).play(2_100_000, 10)), CALL);
    const b = computeCallLatency(sorted(new Script().start(0).utter(0, 1_000_000, 2_000_000).play(2_300_000, 10)), CALL);
    const agg = aggregateCalls([a, b]);
    expect(agg.turn).toMatchObject({ n: 2, p50: 100, p95: 300, min: 100, max: 300, mean: 200 });
    expect(agg.greeting).toMatchObject({ n: 1, p50: 500 });
    const text = formatCallLatency(a);
    expect(text).toContain("greeting G: 500.0 ms");
    expect(text).toMatch(/turn latency L\s+1\s+0\s+100\.0\s+100\.0\*\s+100\.0\*/);
    expect(text).toContain("stub metrics: n/a");
    expect(formatCallLatency(b)).toContain("n/a (no greeting)");
  });
});
