// Media "turns" (timeline-turns.ts): a load call's timeline keeps only the playAudio rows its turns'
// latency reads, and the latency computed from it is the one the full timeline gives.
import { describe, expect, it } from "vitest";
import type { Clock } from "./clock.js";
import { Timeline, type TimelineEvent } from "./timeline.js";
import type { CompactShape } from "./timeline-frames.js";
import { computeCallLatency } from "./latency/index.js";
import { HORIZON_US, TurnPlays } from "./timeline-turns.js";
import "./stream/speech-end.js";

/** A clock the script moves (every event of a tick at the tick's time). */
function manual(): Clock & { us: number } {
  const c = { us: 5_000_000, nowUs: () => c.us, wallNow: () => new Date(0), sleepUs: () => Promise.resolve() };
  return c;
}

const CALL = "c-1";
const STREAM = "s-1";

/**
 * A call as the carrier records it, into a full and a "turns" timeline alike: 20 ms ticks, both
 * tracks sent, the app's playAudio (speech or silence, sometimes none, sometimes two in a tick),
 * utterances of the caller ending now and then, each speech end appended 50 ticks after its frame.
 */
function record(ticks: number, seed: number, playsTimes: (tick: number) => number = () => 1) {
  let r = seed;
  const rand = () => ((r = (r * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const clocks = [manual(), manual()];
  const [full, turns] = [new Timeline(clocks[0]), new Timeline(clocks[1], undefined, undefined, { media: "turns" })];
  const shapes = [full, turns].map((t) => ({
    out: t.compactShape({ kind: "ws.frame", callId: CALL, lane: "carrier", streamId: STREAM, direction: "out", eventType: "media", track: "inbound" }),
    play: t.compactShape({ kind: "ws.frame", callId: CALL, lane: "app", streamId: STREAM, direction: "in", eventType: "playAudio" }),
    queued: t.compactShape({ kind: "audio.queued", callId: CALL, lane: "carrier", streamId: STREAM, contentType: "audio/pcmu" }),
  }));
  const both = (f: (t: Timeline, s: { out: CompactShape; play: CompactShape; queued: CompactShape }) => void) => [full, turns].forEach((t, i) => f(t, shapes[i]));
  const lane = { callId: CALL, lane: "carrier" as const };
  both((t) => t.append("ws.frame", { streamId: STREAM, direction: "out", eventType: "start", bytes: 200, text: "{}" }, lane));
  const sent: number[] = [];
  const ends: { index: number; frame: number }[] = [];
  let utterance = 0;
  let speaking = false;
  // The app talks in runs (speech, silence, nothing), like a bridge relaying a model.
  let mode = 0;
  for (let n = 0; n < ticks; n++) {
    const at = 5_000_000 + n * 20_000 + Math.floor(rand() * 900);
    for (const c of clocks) c.us = at;
    sent.push(at);
    both((t, s) => t.appendCompact(s.out, 276, n + 1));
    if (!speaking && rand() < 0.02) {
      speaking = true;
      both((t) => t.append("caller.utterance", { index: utterance, phase: "start", frame: n }, lane));
    } else if (speaking && rand() < 0.03) {
      speaking = false;
      both((t) => t.append("caller.utterance", { index: utterance, phase: "end", frame: n }, lane));
      ends.push({ index: utterance++, frame: n - 1 - Math.floor(rand() * 3) });
    }
    const due = ends.filter((e) => e.frame + 50 === n);
    for (const e of due) {
      const data = { index: e.index, frame: e.frame, frameMs: 20, endOffsetMs: 7.5, fromFrame: e.frame - 1, sentUs: sent.slice(e.frame - 1, e.frame + 51) };
      both((t) => t.append("caller.speech-end", data, lane));
    }
    if (rand() < 0.05) mode = Math.floor(rand() * 3);
    const plays = (mode === 2 ? 0 : rand() < 0.1 ? 2 : 1) * playsTimes(n);
    for (let k = 0; k < plays; k++) {
      const silent = mode === 1 ? 1 : 0;
      both((t, s) => {
        t.appendCompact(s.play, 300);
        t.appendCompact(s.queued, 160, silent);
      });
    }
  }
  return { full, turns, utterances: utterance };
}

const figures = (t: Timeline) => {
  const l = computeCallLatency(t, CALL);
  return { greetingMs: l.greetingMs, turns: l.turns.map((x) => ({ index: x.index, turnMs: x.turnMs, cPlayUs: x.cPlayUs, cReplyUs: x.cReplyUs, cEndUs: x.cEndUs, failure: x.failure })) };
};

describe("a load call's timeline keeps only the playAudio its turns read (media: turns)", () => {
  it("gives every turn the latency the full timeline gives, from a small share of its rows", () => {
    for (const seed of [1, 7, 42, 1234]) {
      const { full, turns, utterances } = record(3000, seed);
      expect(utterances).toBeGreaterThan(5);
      const plays = (t: Timeline) => t.events.filter((e) => e.kind === "ws.frame" && (e as TimelineEvent<"ws.frame">).data.eventType === "playAudio").length;
      const want = figures(full);
      expect(want.turns.filter((x) => x.turnMs !== undefined).length).toBeGreaterThan(3);
      expect(figures(turns)).toEqual(want);
      // Kept: a few rows a turn, and what is still undecided (the last HORIZON_US) at the read.
      expect(plays(turns)).toBeLessThan(4 * utterances + 4 + (2 * HORIZON_US) / 20_000);
      expect(plays(full)).toBeGreaterThan(2000);
      // Outgoing media: none kept; every lifecycle event kept, at the same seq.
      const lifecycle = (t: Timeline) => t.events.filter((e) => e.kind !== "ws.frame" && e.kind !== "audio.queued");
      expect(lifecycle(turns)).toEqual(lifecycle(full));
      expect(turns.events.some((e) => e.kind === "ws.frame" && (e as TimelineEvent<"ws.frame">).data.eventType === "media")).toBe(false);
      const seqs = turns.events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it("gives the same latency when the app answers several times a tick for a while, its ring growing after it wrapped and shrinking after", () => {
    // 1 a tick, then 5, then 1 again: a call's ring (256 rows) has gone round before it must grow, and
    // gives the room back with rows in it.
    for (const seed of [7, 42]) {
      const { full, turns } = record(4500, seed, (n) => (n < 1000 || n >= 2500 ? 1 : 5));
      const during = (from: number, to: number) => figures(full).turns.filter((x) => x.turnMs !== undefined && x.cEndUs! > 5_000_000 + from * 20_000 && x.cEndUs! < 5_000_000 + to * 20_000).length;
      expect(during(1000, 2500)).toBeGreaterThan(0);
      expect(during(2700, 4500)).toBeGreaterThan(0);
      expect(figures(turns)).toEqual(figures(full));
    }
  });

  it("a slice and the JSONL read the same kept rows", () => {
    const { turns } = record(1500, 3);
    const lines = turns.toJSONL().trim().split("\n").map((l) => JSON.parse(l) as TimelineEvent);
    expect(lines).toEqual(JSON.parse(JSON.stringify(turns.events)));
    expect(turns.slice(CALL).events).toEqual(turns.events);
  });

  it("a call's ring grows in a flood of playAudio and gives the room back once the app is back to one every 20 ms", () => {
    const tp = new TurnPlays();
    const shape: CompactShape = { kind: "ws.frame", callId: CALL, lane: "app", streamId: STREAM, direction: "in", eventType: "playAudio", id: 0 };
    const kept: number[] = [];
    let seq = 0;
    let t = 0;
    const play = (everyUs: number, n: number) => {
      for (let i = 0; i < n; i++) tp.play((t += everyUs), seq++, shape, 300, (_t, s) => kept.push(s));
    };
    play(20_000, 400);
    expect(tp.capacity).toBe(256);
    // 1 ms apart: HORIZON_US of them (3 000) are undecided at once.
    play(1_000, 6_000);
    expect(tp.capacity).toBe(4096);
    play(20_000, 1_000);
    expect(tp.capacity).toBe(256);
    // The first row is the greeting's: kept; the rows let go cost nothing and nothing else was kept.
    expect(kept).toEqual([0]);
  });
});
