// Direct mode as the calibration of B (issue 15): the carrier's audio straight to the stub (its own
// thread), no bridge. On every speech fixture and on synthetic utterances whose speech end falls at
// every 1 ms offset inside a 20 ms frame, for PCMU and L16 16 kHz streams, with the stub's reply
// deltas cycling 20 / 100 / 200 ms: B(n) must read 0 ± 1 ms on every turn, E must flag nothing, and
// no turn may be a harness error. B here is the harness's own two loopback hops, so the report also
// measures this machine's floor for those two hops with no bwemu code in them (a `ws` client on this
// thread, a `ws` echo on a worker thread, append-sized frames up and delta-sized frames down, on the
// same 20 ms grid, each answered 10 ms later so both hops wake an idle thread, as in a turn) and
// bwemu's share (B's median less the floor's). Where the floor itself passes 1 ms, the goal is below
// what the machine can carry, and the report says so beside the verdict (never instead of it).
//
//   npm run bench -- direct-calibration     two calls of 24 turns, ~2 min

import { mkdtemp, rm } from "node:fs/promises";
import { WebSocket } from "ws";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { realClock } from "../emulator/clock.js";
import { attachDirect } from "../emulator/direct/realtime-port.js";
import { aggregate, computeCallLatency, type CallLatency } from "../emulator/latency/index.js";
import { CallerFeed, loadCallerAudio } from "../emulator/media/caller-feed.js";
import { sharedScheduler } from "../emulator/media/scheduler.js";
import type { MediaFormat } from "../emulator/protocol/media-stream.js";
import type { StubScript } from "../emulator/realtime/script.js";
import { startRealtimeStubForRun } from "../emulator/realtime/thread.js";
import { CallAudio } from "../emulator/stream/call-audio.js";
import { Timeline } from "../emulator/timeline.js";
import { offsetUtterances, speechFixtures, turnsOf } from "./speech-ends.js";
import { fmt, legsOf, splitLine } from "./latency-floor.bench.js";
import { pacedRoundTripsMs, withWsWorker } from "./ws-worker.js";
import type { BenchReport } from "./types.js";

/** Short replies, first delta at once; the delta size cycles 20 / 100 / 200 ms turn by turn. */
const SCRIPT: StubScript = {
  turns: [20, 100, 200].map((deltaMs) => ({ audio: { synth: 300 }, transcript: "OK.", deltaMs })),
  after: "cycle",
  defaults: { responseDelayMs: 0, pacing: "burst" },
};

const TOLERANCE_MS = 1;

/** One direct-mode call over `files`; the stub hears a 500 ms hangover (speech-cancel stays one turn). */
export async function directCall(format: MediaFormat, files: string[]): Promise<CallLatency> {
  const stub = await startRealtimeStubForRun({ port: 0, script: SCRIPT, vad: { defaultSilenceDurationMs: 500 } });
  const callId = `c-direct-${format.encoding}`;
  const timeline = new Timeline();
  const audio = new CallAudio({ callId, caller: new CallerFeed(await loadCallerAudio(turnsOf(files), format), format), format, scheduler: sharedScheduler("realtime"), timeline, clock: realClock });
  const port = attachDirect(audio, { callId, timeline, realtimeUrl: stub.url });
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("direct session did not open")), 10_000);
      const off = timeline.subscribe((e) => {
        if (e.kind === "direct.session" && (e.data as { phase: string }).phase === "open") (clearTimeout(t), off(), resolve());
      });
    });
    await new Promise((r) => setTimeout(r, 200)); // session.update applied before the first frame
    audio.start();
    await audio.callerDone;
    audio.stop();
    await port.close();
    await stub.sync();
    return computeCallLatency(timeline, callId, stub.sessions()[0], { overheadErrorMs: TOLERANCE_MS });
  } finally {
    audio.stop();
    await stub.close();
  }
}

/** Frames the two-hop floor sends (one every 20 ms: 5 s). */
const FLOOR_FRAMES = 250;
/** How long the floor's echo holds a frame before answering (ms). */
const HOLD_MS = 10;

/**
 * The machine's floor for direct mode's two hops: an `input_audio_buffer.append`-sized frame from this
 * thread to a worker thread's `ws` echo, answered HOLD_MS later with a 100 ms
 * `response.output_audio.delta`-sized frame; the round trip less the hold is what B adds up with no
 * bwemu code on either side.
 */
async function twoHopFloorMs(): Promise<{ p50: number; p99: number; max: number }> {
  // The echo answers HOLD_MS later, stating how long it held the frame: as in a turn, the answer finds
  // this thread idle, not still awake from sending (waking from idle is the slower hop on a VM: ~0.2 ms).
  const onConnection = `ws.on("message", () => { const a = performance.now(); setTimeout(() => ws.send(JSON.stringify({ type: "response.output_audio.delta", response_id: "resp_0", item_id: "item_0", output_index: 0, content_index: 0, delta: "${"A".repeat(1068)}", heldMs: performance.now() - a })), ${HOLD_MS}); });`;
  return withWsWorker(onConnection, async (port) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("two-hop floor: echo did not open within 5 s")), 5_000);
        ws.once("open", () => (clearTimeout(t), resolve()));
        ws.once("error", (e) => (clearTimeout(t), reject(e)));
      });
      const held = (answer: string): number => (JSON.parse(answer) as { heldMs: number }).heldMs;
      return await pacedRoundTripsMs(ws, JSON.stringify({ type: "input_audio_buffer.append", audio: "A".repeat(216) }), FLOOR_FRAMES, "two-hop floor", held);
    } finally {
      ws.terminate();
    }
  });
}

function lines(name: string, lat: CallLatency): { lines: string[]; ok: boolean; maxAbs: number; p50: number } {
  const turns = lat.turns.filter((t) => t.kind === "turn");
  const b = turns.map((t) => t.bridgeOverheadMs).filter((v): v is number => v !== undefined);
  const off = turns.filter((t) => t.bridgeOverheadMs === undefined || Math.abs(t.bridgeOverheadMs) > TOLERANCE_MS);
  const flagged = turns.filter((t) => t.pacingFlag);
  const moved = turns.filter((t) => t.boundary && t.boundary.frame !== t.boundary.carrierFrame).length;
  const a = aggregate(b);
  const maxAbs = Math.max(0, ...b.map(Math.abs));
  const out = [
    `${name}: ${turns.length} turns (stub ${lat.stub.valid ? "valid" : `INVALID: ${lat.stub.reason}`}); B ms p50 ${fmt(a.p50)} min ${fmt(a.min)} max ${fmt(a.max)}; |B| > ${TOLERANCE_MS} ms on ${off.length}; E flags ${flagged.length}; harness errors ${lat.harnessErrors}; speech-end frame moved on ${moved}`,
    `  ${splitLine(legsOf(turns))}`,
    ...off.slice(0, 5).map((t) => `  turn ${t.index}: B ${fmt(t.bridgeOverheadMs)} E ${fmt(t.pacingExcessMs)} ${t.harnessError ?? t.failure ?? ""} points ${JSON.stringify(t.points)}`),
  ];
  return { lines: out, ok: lat.stub.valid && off.length === 0 && flagged.length === 0 && lat.harnessErrors === 0 && turns.length > 0, maxAbs, p50: a.p50 ?? NaN };
}

export default async function directCalibration(): Promise<BenchReport> {
  const dir = await mkdtemp(join(tmpdir(), "bwemu-bench-ends-"));
  try {
    const floor = await twoHopFloorMs();
    const pcmu = await directCall({ encoding: "PCMU", sampleRate: 8000 }, [...speechFixtures(8000, true), ...(await offsetUtterances(dir, 8000))]);
    const l16 = await directCall({ encoding: "L16", sampleRate: 16000 }, [...speechFixtures(16000, true), ...(await offsetUtterances(dir, 16000))]);
    const a = lines("PCMU 8 kHz", pcmu);
    const b = lines("L16 16 kHz", l16);
    return {
      name: "direct-calibration: B with no bridge (direct mode ↔ stub thread), every speech fixture and every end offset in a frame",
      lines: [
        ...a.lines,
        ...b.lines,
        `this machine's floor for the same two hops (a bare ws echo on a worker thread answering ${HOLD_MS} ms later, no bwemu code): p50 ${fmt(floor.p50)}  p99 ${fmt(floor.p99)}  max ${fmt(floor.max)} ms over ${FLOOR_FRAMES} frames`,
        `bwemu's share of B (B's median less the floor's): PCMU ${fmt(a.p50 - floor.p50)} ms, L16 ${fmt(b.p50 - floor.p50)} ms`,
        ...(floor.p50 > TOLERANCE_MS ? [`the floor's own median is above ${TOLERANCE_MS} ms: on this machine the goal is below what two loopback hops take`] : []),
        ...(floor.p99 > TOLERANCE_MS ? [`the floor's own p99 is above ${TOLERANCE_MS} ms: on this machine a turn's B can pass ${TOLERANCE_MS} ms with no bwemu code in its path`] : []),
        `load average ${loadavg().map((x) => x.toFixed(1)).join(" ")} (shared machine: figures include its noise)`],
      metrics: { floorP50Ms: floor.p50, floorMaxMs: floor.max, pcmuTurns: pcmu.turns.length, pcmuMaxAbsBMs: a.maxAbs, pcmuHarnessErrors: pcmu.harnessErrors, l16Turns: l16.turns.length, l16MaxAbsBMs: b.maxAbs, l16HarnessErrors: l16.harnessErrors },
      goal: { description: `direct mode: B = 0 ± ${TOLERANCE_MS} ms and no E flag on every turn (PCMU and L16, deltas 20/100/200 ms)`, met: a.ok && b.ok },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
