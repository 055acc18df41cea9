// B(n) from the same speech boundary on both sides (openai-realtime.md §12.3.2–§12.3.3), checked on
// the real pieces with an injected clock: the call's media clock (CallAudio + CallerFeed + pacing
// scheduler), the Realtime session core (VAD, responses) and the latency computation, joined by
// simulated socket hops of known length. Whatever the offset of the speech end inside its 20 ms
// frame, the stream format or the stub's delta size, B must equal the hops plus any held time
// exactly, and E must be zero: no frame of disagreement, no clamp.

import { describe, expect, it } from "vitest";
import { ManualClock } from "../../emulator/clock.js";
import { Timeline } from "../../emulator/timeline.js";
import { CallAudio, type StreamPort, type TickFrame } from "../../emulator/stream/call-audio.js";
import { CallerFeed, resolveUtterance } from "../../emulator/media/caller-feed.js";
import { createPacingScheduler } from "../../emulator/media/scheduler.js";
import type { MediaFormat } from "../../emulator/protocol/media-stream.js";
import { RealtimeSession } from "../../emulator/realtime/session.js";
import { resolveScript } from "../../emulator/realtime/script.js";
import { DEFAULT_VAD } from "../../emulator/realtime/vad.js";
import { appendAudio } from "../../emulator/direct/realtime-port.js";
import { computeCallLatency, type CallLatency } from "../../emulator/latency/index.js";
import "../../emulator/direct/events.js";

const PCMU: MediaFormat = { encoding: "PCMU", sampleRate: 8000 };
const L16: MediaFormat = { encoding: "L16", sampleRate: 16000 };

/** 200 ms of digital silence, a 400 Hz square wave for `ms`, 300 ms of silence. */
function utterance(ms: number, rate: number): Int16Array {
  const lead = (200 * rate) / 1000;
  const body = Math.round((ms * rate) / 1000);
  const pcm = new Int16Array(lead + body + (300 * rate) / 1000);
  for (let i = 0; i < body; i++) pcm[lead + i] = Math.sin((2 * Math.PI * 400 * (i + 0.5)) / rate) >= 0 ? 6000 : -6000;
  return pcm;
}

interface Sim {
  format: MediaFormat;
  /** Speech lengths: the end falls at `ms mod 20` inside its frame. */
  lengthsMs: number[];
  deltaMs?: number;
  responseDelayMs?: number;
  /** Carrier → stub hop of frame n (µs). */
  inUs: (n: number) => number;
  /** Stub → carrier hop (µs) and audio a bridge holds before forwarding (µs). */
  outUs: number;
  holdUs?: number;
  /**
   * PCMU only: the path delays the caller's audio by this much (like a resampler's look-ahead), so the
   * audio of one carrier frame reaches the stub in two appends.
   */
  shiftMs?: number;
}

interface SimResult {
  lat: CallLatency;
  /** Effective carrier → stub hop of each frame (µs), as delivered in order. */
  hopOf: Map<number, number>;
}

/** One call through the simulated path on a ManualClock. */
async function simulate(o: Sim): Promise<SimResult> {
  const clock = new ManualClock(1_000_000);
  const timeline = new Timeline(clock);
  const callId = "c-sim";
  const script = await resolveScript({
    turns: [{ audio: { synth: 300 }, transcript: "ok" }],
    after: "cycle",
    defaults: { responseDelayMs: o.responseDelayMs ?? 0, deltaMs: o.deltaMs ?? 100, pacing: "burst" },
  });
  const hopOf = new Map<number, number>();
  let lastDelivery = 0;
  let lastPlay = 0;
  const session: RealtimeSession = new RealtimeSession({
    dialect: "ga",
    model: "gpt-realtime",
    clock,
    script,
    vad: DEFAULT_VAD,
    send: (text) => {
      const ev = JSON.parse(text) as { type: string; delta?: string; item_id?: string };
      if (ev.type !== "response.output_audio.delta") return;
      const at = Math.max(lastPlay, clock.nowUs() + o.outUs + (o.holdUs ?? 0));
      lastPlay = at;
      const bytes = Buffer.from(ev.delta!, "base64").length;
      void clock.sleepUs(at - clock.nowUs()).then(() =>
        timeline.append("direct.audio", { streamId: "sim", event: "delta", itemId: ev.item_id, bytes, durationMs: bytes / 8 }, { callId, lane: "carrier" }),
      );
    },
    close: () => undefined,
  });
  session.start();
  session.receive(
    JSON.stringify({
      type: "session.update",
      session: { type: "realtime", audio: { input: { format: { type: "audio/pcmu" }, turn_detection: { type: "server_vad" } }, output: { format: { type: "audio/pcmu" } } } },
    }),
    0,
  );
  let fifo = Buffer.alloc(0);
  const firstTick = 0;
  const port: StreamPort = {
    streamId: "sim",
    bidirectional: false,
    sendFrame(f: TickFrame) {
      let audio = appendAudio(f);
      if (o.shiftMs) {
        const bytes = Buffer.from(audio, "base64");
        const shift = Math.round(o.shiftMs * 8);
        fifo = Buffer.concat(f.n === firstTick ? [Buffer.alloc(shift, 0xff), bytes] : [fifo, bytes]);
        audio = fifo.subarray(0, 160).toString("base64");
        fifo = fifo.subarray(Math.min(160, fifo.length));
      }
      const text = JSON.stringify({ type: "input_audio_buffer.append", audio });
      const sent = clock.nowUs();
      const at = Math.max(lastDelivery, sent + o.inUs(f.n)); // a socket delivers in order
      lastDelivery = at;
      hopOf.set(f.n, at - sent);
      void clock.sleepUs(at - sent).then(() => session.receive(text, text.length));
    },
    takePlayout: () => null,
    queuedMs: () => 0,
    queuedSpeechMs: () => 0,
    ready: () => true,
  };
  const utterances = o.lengthsMs.map((ms) => resolveUtterance(utterance(ms, o.format.sampleRate), o.format, { silenceBeforeMs: 1000 }));
  const scheduler = createPacingScheduler({ clock, mode: "realtime" });
  const audio = new CallAudio({ callId, caller: new CallerFeed(utterances, o.format, { tailSilenceMs: 1500 }), format: o.format, scheduler, timeline, clock });
  audio.attach(port);
  let done = false;
  void audio.callerDone.then(() => (done = true));
  audio.start();
  for (let i = 0; !done && i < 10_000; i++) await clock.advanceUs(20_000);
  audio.stop();
  scheduler.close();
  session.dispose();
  return { lat: computeCallLatency(timeline, callId, session.record), hopOf };
}

/** Every offset of the speech end inside a 20 ms frame, 0..19 ms in 1 ms steps. */
const OFFSETS = Array.from({ length: 20 }, (_, o) => 400 + o);

function expectExact(r: SimResult, extraUs: number, format: MediaFormat): void {
  const { lat } = r;
  expect(lat.stub).toMatchObject({ present: true, valid: true, carrierTurns: OFFSETS.length, stubTurns: OFFSETS.length });
  expect(lat.harnessErrors).toBe(0);
  for (const t of lat.turns) {
    expect(t.failure).toBeUndefined();
    expect(t.harnessError).toBeUndefined();
    const b = t.boundary!;
    if (format.encoding === "PCMU") expect(b.deltaMs).toBe(0); // bit-exact: the very same sample
    else expect(Math.abs(b.deltaMs)).toBeLessThan(1); // resampled: a fraction of a ms
    // B = the hop of the frame that carried the stub's last speech sample + the way back (+ held audio).
    const want = (r.hopOf.get(b.frame)! + extraUs) / 1000;
    expect(t.bridgeOverheadMs!).toBeCloseTo(want, 6);
    expect(t.bridgeOverheadMs!).toBeCloseTo(t.turnMs! - t.thinkMs!, 9);
    // The points reproduce the figure by hand.
    const p = t.points!;
    expect(p.cFirstMs! - p.cEndMs! - (p.sFirstMs! - p.sEndMs!)).toBeCloseTo(t.bridgeOverheadMs!, 2);
    // K is the hangover's audio span plus the response delay; nothing arrived late.
    expect(t.thinkMs!).toBeCloseTo(t.expectedThinkMs!, 6);
    expect(t.pacingExcessMs!).toBeCloseTo(0, 6);
    expect(t.pacingFlag).toBe(false);
  }
}

describe("B(n) from one sample-accurate speech boundary (injected clock)", () => {
  it("the speech ends at every offset inside a frame, on the frame the carrier annotated (PCMU, no hops: B = 0)", async () => {
    const r = await simulate({ format: PCMU, lengthsMs: OFFSETS, inUs: () => 0, outUs: 0 });
    expectExact(r, 0, PCMU);
    // The end offsets cover the whole frame.
    expect(new Set(r.lat.turns.map((t) => Math.round(t.boundary!.carrierEndMs % 20))).size).toBe(20);
    for (const t of r.lat.turns) expect(t.bridgeOverheadMs).toBe(0);
  });

  it("L16 16 kHz resampled to μ-law per frame: the boundary moves by a fraction of a ms, B stays exact", async () => {
    const r = await simulate({ format: L16, lengthsMs: OFFSETS, inUs: () => 300, outUs: 400 });
    expectExact(r, 400, L16);
  });

  it.each([2.5, 1.25])("a path that delays the audio by %s ms: the stub's end crosses frame edges and C_end follows it to the frame that carried it", async (shiftMs) => {
    const jitter = (n: number) => 200 + (n % 7) * 150;
    const r = await simulate({ format: PCMU, lengthsMs: OFFSETS, inUs: jitter, outUs: 300, shiftMs });
    const { lat } = r;
    expect(lat.stub.valid).toBe(true);
    const crossed = lat.turns.filter((t) => t.boundary!.frame !== t.boundary!.carrierFrame);
    expect(crossed.length).toBeGreaterThan(0); // some ends fall within 2.5 ms of a frame edge
    for (const t of lat.turns) {
      expect(t.boundary!.deltaMs).toBeCloseTo(shiftMs, 9);
      const inFrame = t.boundary!.carrierEndMs % 20 || 20;
      expect(t.boundary!.frame - t.boundary!.carrierFrame).toBe(inFrame + shiftMs > 20 ? 1 : 0);
      expect(t.harnessError).toBeUndefined();
      expect(t.bridgeOverheadMs!).toBeCloseTo((r.hopOf.get(t.boundary!.frame)! + 300) / 1000, 6);
    }
  });

  it("a bridge holding the reply D = 50 ms reads D plus its hops on every turn; jittered hops are followed frame by frame", async () => {
    const jitter = (n: number) => 250 + ((n * 7919) % 13) * 100; // 0.25–1.45 ms, deterministic
    for (const format of [PCMU, L16]) {
      const r = await simulate({ format, lengthsMs: OFFSETS, inUs: jitter, outUs: 350, holdUs: 50_000 });
      for (const t of r.lat.turns) {
        const want = (r.hopOf.get(t.boundary!.frame)! + 350 + 50_000) / 1000;
        expect(t.bridgeOverheadMs!).toBeCloseTo(want, 6);
        expect(t.harnessError).toBeUndefined();
        expect(Math.abs(t.pacingExcessMs!)).toBeLessThanOrEqual(1.2 + 1e-9); // hop(hang) − hop(end)
      }
    }
  });

  it.each([20, 100, 200])("stub deltas of %i ms and a 300 ms response delay change K, never B", async (deltaMs) => {
    const r = await simulate({ format: PCMU, lengthsMs: OFFSETS, deltaMs, responseDelayMs: 300, inUs: () => 200, outUs: 300 });
    expectExact(r, 300, PCMU);
    for (const t of r.lat.turns) expect(t.expectedThinkMs).toBe(500);
  });
});
