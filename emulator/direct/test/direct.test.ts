// Direct mode against the Realtime stub, driven by the real call media clock (CallAudio + CallerFeed
// + the pacing scheduler) with fixture speech: turns are answered, a barge-in clears the queue and
// truncates at exactly what was played, and the latency figures come out of the same functions as
// for a bridge (the baseline: no bridge in the path).

import { afterEach, describe, expect, it } from "vitest";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Timeline } from "../../timeline.js";
import { realClock } from "../../clock.js";
import { startRealtimeStub, type RealtimeStub } from "../../realtime/server.js";
import { CallAudio } from "../../stream/call-audio.js";
import { CallerFeed, loadCallerAudio } from "../../media/caller-feed.js";
import { createPacingScheduler } from "../../media/scheduler.js";
import type { MediaFormat } from "../../protocol/media-stream.js";
import { computeCallLatency } from "../../latency/index.js";
import { attachDirect, DirectRealtimePort } from "../realtime-port.js";

const AUDIO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../fixtures/audio");
let stub: RealtimeStub | undefined;

afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

describe("direct mode (no bridge)", () => {
  it("answers turns, handles a barge-in exactly, and yields the baseline latency", async () => {
    stub = await startRealtimeStub({
      port: 0,
      script: {
        turns: [
          { audio: { synth: 600 }, transcript: "one", responseDelayMs: 50 },
          { audio: { synth: 6000 }, transcript: "a long one", responseDelayMs: 50 },
          { audio: { synth: 300 }, transcript: "three", responseDelayMs: 50 },
        ],
        defaults: { deltaMs: 100, pacing: "burst" },
      },
    });
    const format: MediaFormat = { encoding: "PCMU", sampleRate: 8000 };
    const utterances = await loadCallerAudio(
      {
        script: [
          { wav: path.join(AUDIO, "speech-order.8k-mulaw.wav"), silenceBeforeMs: 300 },
          { wav: path.join(AUDIO, "speech-hello.8k-mulaw.wav"), start: { kind: "after-reply" } },
          { wav: path.join(AUDIO, "speech-order.8k-mulaw.wav"), start: { kind: "barge-in", offsetMs: 400 } },
        ],
        tailSilenceMs: 1000,
      },
      format,
    );
    const callId = "c-direct-1";
    const timeline = new Timeline();
    const scheduler = createPacingScheduler({ mode: "realtime" });
    const audio = new CallAudio({ callId, caller: new CallerFeed(utterances, format), format, scheduler, timeline, clock: realClock });
    const port = attachDirect(audio, { callId, timeline, realtimeUrl: stub.url });
    expect(port).toBeInstanceOf(DirectRealtimePort);
    try {
      const record = await stub.waitForSession(undefined, 10_000);
      audio.start();
      await Promise.race([audio.callerDone, new Promise((_, rej) => setTimeout(() => rej(new Error("call did not finish in 40 s")), 40_000))]);
      audio.stop();
      await port.close();

      expect(record.inputFormat).toBe("pcmu");
      const truncate = record.truncates[0];
      expect(truncate?.accepted).toBe(true);
      const sent = timeline.of("direct.truncate", callId)[0].data;
      expect(sent.audioEndMs).toBe(truncate.audioEndMs);
      expect(sent.audioEndMs).toBeGreaterThan(300); // the barge-in starts 400 ms after the reply's first audio
      expect(sent.audioEndMs).toBeLessThan(6000);

      const lat = computeCallLatency(timeline, callId, record);
      expect(lat.turns.map((t) => t.kind)).toEqual(["turn", "turn", "barge-in"]);
      expect(lat.turns.every((t) => t.failure === undefined)).toBe(true);
      if (process.env.BWEMU_DEBUG_LATENCY) console.log(JSON.stringify(record.turns, null, 1), lat.stub);
      expect(lat.stub).toMatchObject({ present: true, valid: true });
      for (const t of lat.turns.filter((x) => x.kind === "turn")) {
        // No bridge in the path: the carrier and the stub find the very same last speech sample in the
        // fixture's μ-law (deterministic), so C_end and S_end stamp the same frame; B is then the two
        // loopback hops and can never be negative (C_end is stamped before the send, S_first before
        // the write). How small it is under load is the benchmarks' business.
        expect(t.boundary).toMatchObject({ deltaMs: 0, frame: t.boundary!.carrierFrame });
        expect(t.harnessError).toBeUndefined();
        expect(t.bridgeOverheadMs!).toBeCloseTo(t.turnMs! - t.thinkMs!, 9);
        expect(t.bridgeOverheadMs!).toBeGreaterThanOrEqual(0);
        expect(t.points).toMatchObject({ cEndMs: expect.any(Number), cFirstMs: expect.any(Number), sEndMs: expect.any(Number), sFirstMs: expect.any(Number) });
      }
      expect(lat.turns[2].bargeInMs!).toBeGreaterThan(0);
      expect(lat.turns[2].bargeInMs!).toBeLessThan(5000);
      expect(timeline.of("direct.session", callId).map((e) => e.data.phase)).toEqual(["connect", "open", "close"]);
    } finally {
      audio.stop();
      scheduler.close();
      await port.close();
    }
  }, 60_000);

  it("events that arrive in one read are stamped with that read (§12.3.1 \"receives\"), not when each gets parsed", async () => {
    const { WebSocketServer } = await import("ws");
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((r) => wss.once("listening", r));
    const delta = (bytes: number) => JSON.stringify({ type: "response.output_audio.delta", response_id: "r", item_id: "i", output_index: 0, content_index: 0, delta: Buffer.alloc(bytes, 0x55).toString("base64") });
    wss.on("connection", (ws) =>
      ws.once("message", () => {
        // After session.update: a second of audio, then a frame of it, in one write.
        const socket = (ws as unknown as { _socket: import("node:net").Socket })._socket;
        socket.cork();
        ws.send(delta(8000));
        ws.send(delta(160));
        socket.uncork();
      }),
    );
    const timeline = new Timeline();
    const port = new DirectRealtimePort({ callId: "c", timeline, realtimeUrl: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/v1/realtime` });
    try {
      const deltas = () => timeline.of("direct.audio").filter((e) => e.data.event === "delta");
      for (let i = 0; i < 100 && deltas().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(deltas().map((e) => e.data.bytes)).toEqual([8000, 160]);
      expect(deltas()[1].t).toBe(deltas()[0].t);
    } finally {
      await port.close();
      wss.close();
    }
  });

  it("refuses a non-WebSocket URL and records a refused upgrade", async () => {
    const timeline = new Timeline();
    expect(() => new DirectRealtimePort({ callId: "c", timeline, realtimeUrl: "http://x" })).toThrow(/ws:\/\//);
    const { createServer } = await import("node:http");
    const server = createServer((_q, r) => r.writeHead(401).end()).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const port = new DirectRealtimePort({ callId: "c", timeline, realtimeUrl: `ws://127.0.0.1:${(server.address() as { port: number }).port}/v1/realtime`, apiKey: "sk-secret" });
    await port.closed;
    server.close();
    const errors = timeline.of("direct.session").filter((e) => e.data.phase === "error");
    expect(errors[0].data.error).toMatch(/401/);
    expect(JSON.stringify(timeline.events)).not.toContain("sk-secret");
  });
});
