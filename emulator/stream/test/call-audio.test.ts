// CallAudio: the call's 20 ms media clock, driven tick by tick by a manual clock.
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../clock.js";
import { CallerFeed, loadCallerAudio } from "../../media/caller-feed.js";
import { mulawSample } from "../../media/mulaw.js";
import { createPacingScheduler } from "../../media/scheduler.js";
import type { CallerAudio } from "../../call/types.js";
import { Timeline } from "../../timeline.js";
import { CallAudio, type StreamPort } from "../call-audio.js";
import { PlayoutBuffer } from "../playout.js";
import { mediaOf, rig, toneWav } from "./harness.js";
import { startApp, waitFor, type AppServer } from "./servers.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function bare(caller: CallerAudio = { silence: true }) {
  const clock = new ManualClock();
  const timeline = new Timeline(clock);
  const format = { encoding: "PCMU", sampleRate: 8000 } as const;
  const scheduler = createPacingScheduler({ clock });
  const feed = new CallerFeed(await loadCallerAudio(caller, format), format, { tailSilenceMs: 0 });
  const audio = new CallAudio({ callId: "c-1", caller: feed, format, scheduler, timeline, clock });
  cleanups.push(() => {
    audio.stop();
    scheduler.close();
  });
  const ticks = async (n: number) => {
    for (let i = 0; i < n; i++) await clock.advanceUs(20_000);
  };
  return { clock, timeline, audio, ticks };
}

const ramp = (n: number, from = 1) => Int16Array.from({ length: n }, (_, i) => from + i);

describe("CallAudio", () => {
  it("ticks every 20 ms of the clock; silence outbound when nothing plays (OPEN-11); lateness once a second", async () => {
    const { audio, ticks, timeline } = await bare();
    audio.start();
    await ticks(60);
    // tick 0 fires at start, then one per 20 ms
    expect(audio.frames).toBeGreaterThanOrEqual(60);
    expect(audio.frames).toBeLessThanOrEqual(61);
    const out = audio.outboundPcm();
    expect(out.length).toBe(audio.frames * 160);
    expect(out.every((x) => x === 0)).toBe(true);
    const lat = timeline.of("scheduler.lateness");
    expect(lat.length).toBe(1);
    expect(lat[0].data.frames).toBe(50);
  });

  it("caller.utterance marks the exact first and last speech frames", async () => {
    // 100 ms lead silence → speech in frames 5…14 (200 ms), then 100 ms silence
    const { audio, ticks, timeline } = await bare({ wav: toneWav({ ms: 200, leadMs: 100, tailMs: 100 }) });
    audio.start();
    await ticks(30);
    const ev = timeline.of("caller.utterance").map((e) => e.data);
    expect(ev).toEqual([
      { index: 0, phase: "start", frame: 5 },
      { index: 0, phase: "end", frame: 14 },
    ]);
    const inb = audio.inboundPcm();
    expect(inb.subarray(0, 800).every((x) => x === 0)).toBe(true);
    expect(inb.subarray(800, 2400).some((x) => Math.abs(x) > 4000)).toBe(true);
  });

  it("callerDone resolves once the script is done and nothing is left to play", async () => {
    const { audio, ticks } = await bare({ wav: toneWav({ ms: 100, leadMs: 0, tailMs: 0 }) });
    let done = false;
    void audio.callerDone.then(() => (done = true));
    audio.start();
    await ticks(3);
    expect(done).toBe(false);
    await ticks(5);
    expect(done).toBe(true);
  });

  it("play(): a carrier prompt goes onto the outbound track and resolves once played", async () => {
    const { audio, ticks } = await bare();
    audio.start();
    await ticks(2);
    let played = false;
    const before = audio.frames;
    void audio.play(ramp(400)).then(() => (played = true));
    await ticks(2);
    expect(played).toBe(false);
    await ticks(2);
    expect(played).toBe(true);
    const out = audio.outboundPcm();
    const at = before * 160;
    expect(Array.from(out.subarray(at, at + 400))).toEqual(Array.from(ramp(400)));
    expect(out.subarray(at + 400, at + 480).every((x) => x === 0)).toBe(true); // padded last frame
  });

  it("play() aborted mid-way stops at the next frame and resolves", async () => {
    const { audio, ticks } = await bare();
    audio.start();
    await ticks(1);
    const ac = new AbortController();
    const p = audio.play(new Int16Array(8000).fill(1000), ac.signal);
    await ticks(3);
    ac.abort();
    await p;
    const n = audio.frames;
    await ticks(3);
    const out = audio.outboundPcm();
    expect(out.subarray(n * 160).every((x) => x === 0)).toBe(true);
    expect(out.filter((x) => x === 1000).length).toBeLessThanOrEqual(4 * 160);
  });

  it("stop() is idempotent, ends the ticks, and releases pending prompts", async () => {
    const { audio, ticks } = await bare();
    audio.start();
    await ticks(2);
    const p = audio.play(new Int16Array(80000));
    audio.stop();
    audio.stop();
    await p;
    const n = audio.frames;
    await ticks(5);
    expect(audio.frames).toBe(n);
    await audio.play(new Int16Array(10)); // after stop: resolves at once
  });
});

describe("CallAudio with a stream", () => {
  let app: AppServer;
  it("a prompt takes precedence over the stream's play-out, which waits its turn; C_on is stamped right after its frame is sent", async () => {
    app = await startApp((c) => c.ws.send(JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/pcmu", payload: Buffer.alloc(320, 0x10).toString("base64") } })));
    cleanups.push(() => app.close());
    const clock = new ManualClock();
    const r = await rig({ destination: app.url, clock, tracks: "both", caller: { wav: toneWav({ ms: 100, leadMs: 40, tailMs: 40 }) }, start: false });
    cleanups.push(() => r.close());
    if (!r.result.ok) throw new Error(r.result.errorMessage);
    const stream = r.result.stream;
    await waitFor(() => r.timeline.of("audio.queued").length === 1, 5000, "queued");
    void r.audio.play(new Int16Array(160).fill(7));
    r.audio.start();
    for (let i = 0; i < 8; i++) await clock.advanceUs(20_000);
    const out = r.audio.outboundPcm();
    expect(out.subarray(0, 160).every((x) => x === 7)).toBe(true); // the prompt first
    const v = mulawSample.decode(0x10);
    expect(out.subarray(160, 480).every((x) => x === v)).toBe(true); // then 40 ms of stream audio
    expect(out.subarray(480, 640).every((x) => x === 0)).toBe(true);
    expect(stream.record().playedPcm.length).toBe(320);
    // the utterance start (frame 2) is the event right after the inbound frame with sequenceNumber "3"
    const on = r.timeline.of("caller.utterance")[0];
    expect(on.data).toMatchObject({ phase: "start", frame: 2 });
    const prev = r.timeline.events.filter((e) => e.seq < on.seq && e.kind === "ws.frame").at(-1)!;
    expect(prev.data).toMatchObject({ direction: "out", eventType: "media", sequenceNumber: "3" });
    const c = await app.connection();
    await waitFor(() => mediaOf(c.frames, "outbound").length >= 3, 5000, "outbound frames");
    expect(Buffer.from(mediaOf(c.frames, "outbound")[1].payload, "base64").every((b) => b === 0x10)).toBe(true);
  });
});

describe("CallAudio: agent speech is audio over the speech level", () => {
  /** A bidirectional stream whose bot keeps the line busy: `pcm` queued every tick (and reported to the clock). */
  async function busyLine(reply: (tick: number) => Int16Array) {
    const b = await bare({ script: [{ wav: toneWav({ ms: 100, leadMs: 0, tailMs: 0 }), start: { kind: "after-reply", timeoutMs: 300 } }] });
    const queue = new PlayoutBuffer(8000 * 60);
    let tick = 0;
    const port: StreamPort = {
      streamId: "s-1",
      bidirectional: true,
      sendFrame() {
        const r = queue.enqueue(reply(tick++));
        b.audio.notePlayAudio(port, r.speech);
      },
      takePlayout: (n) => queue.take(n)?.pcm ?? null,
      queuedMs: () => queue.queuedMs,
      queuedSpeechMs: () => queue.queuedSpeechMs,
      ready: () => true,
    };
    b.audio.attach(port);
    return b;
  }
  const frame = (v: number) => new Int16Array(160).fill(v);

  it("a bot streaming digital silence (PCM zeros, μ-law 0xFF/0x7F decoded, faint noise) is not a greeting: the caller's turn comes at its timeout", async () => {
    for (const v of [0, mulawSample.decode(0xff), mulawSample.decode(0x7f), 40]) {
      const { audio, ticks, timeline } = await busyLine(() => frame(v));
      audio.start();
      await ticks(40);
      const on = timeline.of("caller.utterance").find((e) => e.data.phase === "start");
      expect(on?.data.frame, `sample value ${v}`).toBe(15); // 300 ms of waiting, then speech
      audio.stop();
    }
  });

  it("a bot that streams silence, then speaks, then streams silence again: the caller waits for the speech to play out", async () => {
    // silence for 10 ticks, then 400 ms of speech in one message, then silence again
    const { audio, ticks, timeline } = await busyLine((t) => (t === 10 ? new Int16Array(3200).fill(3000) : frame(0)));
    let done = false;
    void audio.callerDone.then(() => (done = true));
    audio.start();
    await ticks(60);
    const on = timeline.of("caller.utterance").find((e) => e.data.phase === "start");
    // speech queued at tick 10 plays out by tick ~31, and none has arrived for 500 ms by tick 35
    expect(on?.data.frame).toBeGreaterThanOrEqual(10 + 25);
    await ticks(30);
    expect(timeline.of("caller.utterance").map((e) => e.data.phase)).toEqual(["start", "end"]);
    // the script is over and no speech is left to play: silence still queued does not hold the caller
    expect(done).toBe(true);
  });
});

describe("TickFrame.payloadSource", () => {
  for (const format of [{ encoding: "PCMU", sampleRate: 8000 }, { encoding: "L16", sampleRate: 16000 }] as const) {
    it(`is the payload, or the bytes it is the base64 of (${format.encoding} ${format.sampleRate})`, async () => {
      const b64 = (v: string | Uint8Array) => (typeof v === "string" ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64"));
      // The same call twice: read by `payload` alone, then by `payloadSource` first (then `payload`, which must agree).
      const run = async (read: "payload" | "source") => {
        const clock = new ManualClock();
        const scheduler = createPacingScheduler({ clock });
        const feed = new CallerFeed(await loadCallerAudio({ wav: toneWav({ ms: 100, leadMs: 40, tailMs: 40 }) }, format), format, { tailSilenceMs: 0 });
        const audio = new CallAudio({ callId: "c-1", caller: feed, format, scheduler, timeline: new Timeline(clock), clock });
        cleanups.push(() => (audio.stop(), scheduler.close()));
        const ticks: string[][] = [];
        const kinds = { text: 0, bytes: 0 };
        const port: StreamPort = {
          streamId: "s-1",
          bidirectional: false,
          sendFrame(f) {
            ticks.push(
              (["inbound", "outbound"] as const).flatMap((track) => {
                if (read === "payload") return [f.payload(track)];
                const source = f.payloadSource(track);
                kinds[typeof source === "string" ? "text" : "bytes"]++;
                return [b64(source), f.payload(track), b64(f.payloadSource(track))];
              }),
            );
          },
          takePlayout: () => null,
          queuedMs: () => 0,
          queuedSpeechMs: () => 0,
          ready: () => true,
        };
        audio.attach(port);
        void audio.play(Int16Array.from({ length: 480 }, (_, i) => (i % 16) * 900 - 7000));
        audio.start();
        for (let i = 0; i < 14; i++) await clock.advanceUs(20_000);
        return { ticks, kinds };
      };
      const text = await run("payload");
      const source = await run("source");
      expect(text.ticks.length).toBeGreaterThanOrEqual(12);
      expect(source.ticks).toEqual(text.ticks.map(([i, o]) => [i, i, i, o, o, o]));
      // Both kinds came: bytes for the prompt and the tone, text for silence and cached wire frames.
      expect(source.kinds.bytes).toBeGreaterThan(0);
      expect(source.kinds.text).toBeGreaterThan(0);
    });
  }
});
