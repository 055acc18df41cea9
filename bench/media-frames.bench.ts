// The carrier's per-frame work for one caller frame on one track, on one thread, without sockets:
// the way a frame was built and recorded before (μ-law encode + decode of the caller's samples,
// base64, the frame object serialised, one timeline event object per frame) against the way it is
// now (the caller's wire frame encoded once, the track's template filled in, the frame kept on the
// timeline as numbers). Both run interleaved in the same process; figures are ratios of the two.
// Memory: heap + array buffers per recorded frame, each way.
//
//   npm run bench -- media-frames        BWEMU_BENCH_FRAMES=200000 (frames per round)

import { realClock } from "../emulator/clock.js";
import { decodeMulaw, encodeMulaw } from "../emulator/media/mulaw.js";
import { wireFramesOf } from "../emulator/media/wire-frames.js";
import { encodeMedia, fillMediaFrame, mediaFrameTemplate } from "../emulator/protocol/media-stream-codec.js";
import { Timeline } from "../emulator/timeline.js";
import type { BenchReport } from "./types.js";

const FRAMES = Number(process.env.BWEMU_BENCH_FRAMES) > 0 ? Number(process.env.BWEMU_BENCH_FRAMES) : 100_000;
const ROUNDS = 5;
const FORMAT = { encoding: "PCMU", sampleRate: 8000 } as const;
const lane = { callId: "c-bench", lane: "carrier" as const };

/** 10 s of caller audio: a tone with some noise (no frame is silent). */
const caller = Int16Array.from({ length: 80_000 }, (_, i) => Math.round(6000 * Math.sin(i / 7)) + ((i * 7919) % 200) - 100);
const frameOf = (n: number) => caller.subarray((n % 500) * 160, (n % 500) * 160 + 160);

function before(t: Timeline, n: number): number {
  const bytes = encodeMulaw(frameOf(n));
  decodeMulaw(bytes); // the inbound recording's samples
  const payload = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  const sequenceNumber = String(n + 1);
  const text = encodeMedia({ eventType: "media", track: "inbound", payload, sequenceNumber }, { eventTypeLast: true });
  t.append("ws.frame", { streamId: "s-bench", direction: "out", bytes: Buffer.byteLength(text), eventType: "media", track: "inbound", sequenceNumber }, lane);
  return text.length;
}

const wires = wireFramesOf(caller, FORMAT);
const template = mediaFrameTemplate("inbound", { eventTypeLast: true });
function now(t: Timeline, shape: ReturnType<Timeline["compactShape"]>, n: number): number {
  const w = wires.frame(n % 500);
  const text = fillMediaFrame(template, w.payload, String(n + 1));
  t.appendCompact(shape, text.length, n + 1);
  return text.length;
}

function round(way: "before" | "now"): { nsPerFrame: number; bytesPerFrame: number; sink: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m0 = process.memoryUsage();
  const t = new Timeline(realClock, Infinity, Infinity);
  const shape = t.compactShape({ kind: "ws.frame", callId: "c-bench", lane: "carrier", streamId: "s-bench", direction: "out", eventType: "media", track: "inbound" });
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let n = 0; n < FRAMES; n++) sink += way === "before" ? before(t, n) : now(t, shape, n);
  const ns = Number(process.hrtime.bigint() - t0);
  const m1 = process.memoryUsage();
  const bytes = m1.heapUsed + m1.arrayBuffers - (m0.heapUsed + m0.arrayBuffers);
  sink += t.dropped;
  return { nsPerFrame: ns / FRAMES, bytesPerFrame: bytes / FRAMES, sink };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function mediaFramesBench(): Promise<BenchReport> {
  const b: ReturnType<typeof round>[] = [];
  const w: ReturnType<typeof round>[] = [];
  round("before");
  round("now"); // warm-up
  for (let i = 0; i < ROUNDS; i++) {
    b.push(round("before"));
    w.push(round("now"));
  }
  const bt = median(b.map((r) => r.nsPerFrame));
  const wt = median(w.map((r) => r.nsPerFrame));
  const bm = median(b.map((r) => r.bytesPerFrame));
  const wm = median(w.map((r) => r.bytesPerFrame));
  const ratio = wt / bt;
  return {
    name: "media frames: encoded once + template + compact timeline, vs per-frame encode + object (same run)",
    lines: [
      `${FRAMES} frames a round, ${ROUNDS} rounds each, interleaved; medians`,
      `before: ${bt.toFixed(0)} ns and ${bm.toFixed(0)} bytes per frame; now: ${wt.toFixed(0)} ns and ${wm.toFixed(0)} bytes per frame`,
      `time ${ratio.toFixed(2)}× before, memory ${(wm / bm).toFixed(2)}× before`,
    ],
    metrics: { before_ns_per_frame: bt, now_ns_per_frame: wt, time_ratio: ratio, before_bytes_per_frame: bm, now_bytes_per_frame: wm, memory_ratio: wm / bm },
    goal: { description: "the per-frame work costs less than before (time ratio < 1)", met: ratio < 1 },
  };
}
