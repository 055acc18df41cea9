// The media-stream client end to end against real `ws` apps on 127.0.0.1 (bandwidth.md §3, §4).
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../clock.js";
import { decodeMulaw } from "../../media/mulaw.js";
import { encodeStart, encodeStop } from "../../protocol/media-stream-codec.js";
import type { StreamMetadata } from "../../protocol/media-stream.js";
import type { MediaStream } from "../media-stream.js";
import { CALL_ID, mediaOf, rig, STREAM_ID, toneWav, type Rig, type RigOptions } from "./harness.js";
import { startApp, startRawServer, waitFor, within, type AppConnection, type AppServer } from "./servers.js";
import { recordSocketWrites } from "../../../test/support/socket-writes.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function app(onConnection?: (c: AppConnection) => void, opts?: Parameters<typeof startApp>[1]): Promise<AppServer> {
  const a = await startApp(onConnection, opts);
  cleanups.push(() => a.close());
  return a;
}

async function open(o: RigOptions): Promise<Rig & { stream: MediaStream }> {
  const r = await rig(o);
  cleanups.push(() => r.close());
  if (!r.result.ok) throw new Error(`stream did not open: ${r.result.errorMessage}`);
  return { ...r, stream: r.result.stream };
}

const metadata = (tracks: ("inbound" | "outbound")[], encoding: "PCMU" | "L16" = "PCMU"): StreamMetadata => ({
  accountId: "5550001",
  callId: CALL_ID,
  streamId: STREAM_ID,
  streamName: "agent",
  tracks: tracks.map((name) => ({ name, mediaFormat: { encoding, sampleRate: encoding === "PCMU" ? 8000 : 16000 } })),
});

const pcmuPlay = (bytes: Uint8Array) => JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/pcmu", payload: Buffer.from(bytes).toString("base64") } });

describe("start, media, stop on the wire", () => {
  it.each([true, false])("start is the first frame, exactly as encoded (eventTypeLast=%s); streamParams present", async (eventTypeLast) => {
    const a = await app();
    await open({ destination: `${a.url}/ws`, tracks: "both", streamParams: { tenant: "acme", ticket: "42" }, settings: { eventTypeLast } });
    const c = await a.connection();
    await waitFor(() => c.texts.length > 3, 5000, "frames");
    expect(c.texts[0]).toBe(encodeStart({ eventType: "start", metadata: metadata(["inbound", "outbound"]), streamParams: { tenant: "acme", ticket: "42" } }, { eventTypeLast }));
    expect(c.texts[0]).toBe(
      eventTypeLast
        ? `{"metadata":{"accountId":"5550001","callId":"${CALL_ID}","streamId":"${STREAM_ID}","streamName":"agent","tracks":[{"name":"inbound","mediaFormat":{"encoding":"PCMU","sampleRate":8000}},{"name":"outbound","mediaFormat":{"encoding":"PCMU","sampleRate":8000}}]},"streamParams":{"tenant":"acme","ticket":"42"},"eventType":"start"}`
        : `{"eventType":"start","metadata":{"accountId":"5550001","callId":"${CALL_ID}","streamId":"${STREAM_ID}","streamName":"agent","tracks":[{"name":"inbound","mediaFormat":{"encoding":"PCMU","sampleRate":8000}},{"name":"outbound","mediaFormat":{"encoding":"PCMU","sampleRate":8000}}]},"streamParams":{"tenant":"acme","ticket":"42"}}`,
    );
    const media = c.texts[1];
    expect(media).toMatch(eventTypeLast ? /^\{"track":"inbound","payload":"[A-Za-z0-9+/=]{216}","sequenceNumber":"1","eventType":"media"\}$/ : /^\{"eventType":"media","track":"inbound","payload":"[A-Za-z0-9+/=]{216}","sequenceNumber":"1"\}$/);
  });

  it("no streamParams key without StreamParams; silent frames are 160 × 0xFF", async () => {
    const a = await app();
    await open({ destination: a.url });
    const c = await a.connection();
    await waitFor(() => c.texts.length > 2, 5000, "frames");
    expect(c.texts[0]).not.toContain("streamParams");
    const m = mediaOf(c.frames)[0];
    expect(m.payload).toBe(`${"/".repeat(212)}/w==`);
    expect(Object.keys(c.frames[1]).sort()).toEqual(["eventType", "payload", "sequenceNumber", "track"]);
  });

  it("tracks=both: one frame per track per tick, each track counting from \"1\" (ED-1); outbound silence when nothing plays (OPEN-11)", async () => {
    const a = await app();
    await open({ destination: a.url, tracks: "both" });
    const c = await a.connection();
    await waitFor(() => mediaOf(c.frames).length >= 40, 5000, "40 media frames");
    for (const track of ["inbound", "outbound"] as const) {
      const seqs = mediaOf(c.frames, track).map((m) => m.sequenceNumber);
      expect(seqs.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)));
      expect(typeof seqs[0]).toBe("string");
    }
    expect(mediaOf(c.frames, "outbound")[0].payload).toBe(`${"/".repeat(212)}/w==`);
  });

  it("tracks=both: a tick's two frames leave in one write (one syscall, one wake-up of the app)", async () => {
    // Frames are masked on the wire, so by size: a PCMU media frame is ~300 bytes.
    const a = await app();
    const port = Number(new URL(a.url).port);
    const rec = recordSocketWrites((sock) => sock.remotePort === port);
    cleanups.push(rec.stop);
    await open({ destination: a.url, tracks: "both" });
    const c = await a.connection();
    await waitFor(() => mediaOf(c.frames).length >= 20, 5000, "20 media frames");
    rec.stop();
    const frame = Buffer.byteLength(c.texts[1]);
    const media = rec.writes.slice(1, 11).map((w) => w.length); // after `start`
    expect(media).toHaveLength(10);
    for (const n of media) expect(n).toBeGreaterThan(2 * frame); // two frames (and their headers) per write
  });

  it("real-time pacing: never faster than one frame per track per 20 ms", async () => {
    const a = await app();
    const t0 = Date.now();
    await open({ destination: a.url, pacing: "realtime" });
    const c = await a.connection();
    await waitFor(() => mediaOf(c.frames).length >= 15, 10_000, "15 frames");
    const elapsed = Date.now() - t0;
    const n = mediaOf(c.frames).length;
    // tick 0 goes at once, then one per 20 ms against absolute deadlines: n frames need ≥ (n-1)·20 ms
    expect(elapsed).toBeGreaterThanOrEqual((n - 1) * 20 - 5);
  });

  it("sequenceScope=stream: one counter across both tracks", async () => {
    const a = await app();
    await open({ destination: a.url, tracks: "both", settings: { sequenceScope: "stream" } });
    const c = await a.connection();
    await waitFor(() => mediaOf(c.frames).length >= 20, 5000, "media");
    expect(mediaOf(c.frames).slice(0, 20).map((m) => m.sequenceNumber)).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)));
  });

  it("L16 option (ED-10): start says L16/16000 and payloads are 640 bytes", async () => {
    const a = await app();
    await open({ destination: a.url, format: { encoding: "L16", sampleRate: 16000 }, caller: { wav: toneWav({ ms: 200 }) } });
    const c = await a.connection();
    await waitFor(() => mediaOf(c.frames).length >= 10, 5000, "media");
    expect(c.frames[0]).toMatchObject({ metadata: { tracks: [{ name: "inbound", mediaFormat: { encoding: "L16", sampleRate: 16000 } }] } });
    for (const m of mediaOf(c.frames).slice(0, 10)) expect(Buffer.from(m.payload, "base64").length).toBe(640);
  });

  it("carrier stop: `stop` frame (same metadata, no streamParams), then close 1000 (ED-3); no media after it", async () => {
    const a = await app();
    const { stream, timeline } = await open({ destination: a.url, streamParams: { k: "v" } });
    const c = await a.connection();
    await waitFor(() => mediaOf(c.frames).length >= 5, 5000, "media");
    const end = await within(stream.stop(), 5000, "stop");
    const closed = await within(c.closed, 5000, "app sees close");
    expect(closed.code).toBe(1000);
    expect(c.texts[c.texts.length - 1]).toBe(encodeStop({ eventType: "stop", metadata: metadata(["inbound"]) }, { eventTypeLast: true }));
    expect(end).toMatchObject({ by: "carrier", code: 1000, cause: "closed" });
    expect(await stream.ended).toBe(end);
    // stop is idempotent
    expect(await stream.stop()).toBe(end);
    const kinds = timeline.events.filter((e) => e.kind === "ws.frame" || e.kind === "ws.close").map((e) => (e.kind === "ws.close" ? "close" : (e.data as { eventType?: string }).eventType));
    expect(kinds.slice(-2)).toEqual(["stop", "close"]);
  });
});

describe("the app ends the socket (ED-2)", () => {
  it.each([
    [1000, "closed"],
    [1001, "closed"],
    [4403, "connection-error"],
    [1008, "connection-error"],
  ] as const)("app closes with %i → %s", async (code, cause) => {
    const a = await app((c) => setTimeout(() => c.ws.close(code, "bye"), 50));
    const { stream, timeline } = await open({ destination: a.url });
    const end = await within(stream.ended, 5000, "ended");
    expect(end).toMatchObject({ by: "app", code, cause, reason: "bye" });
    if (cause === "connection-error") {
      expect(end.errorMessage).toContain(String(code));
      expect(timeline.of("finding").map((f) => f.data.code)).toContain("stream.app.abnormal-close");
    } else expect(end.errorMessage).toBeUndefined();
    expect(timeline.of("ws.close")[0].data).toMatchObject({ by: "app", code });
    // no stop frame after the app closed
    expect(timeline.of("ws.frame").some((e) => e.data.eventType === "stop")).toBe(false);
  });

  it("app closes without a status code (1005) → closed", async () => {
    const a = await app((c) => setTimeout(() => c.ws.close(), 50));
    const { stream } = await open({ destination: a.url });
    expect(await within(stream.ended, 5000, "ended")).toMatchObject({ by: "app", code: 1005, cause: "closed" });
  });

  it("TCP drop without a close frame (1006) → connection-error by the network", async () => {
    const a = await app((c) => setTimeout(() => c.ws.terminate(), 50));
    const { stream } = await open({ destination: a.url });
    const end = await within(stream.ended, 5000, "ended");
    expect(end).toMatchObject({ by: "network", code: 1006, cause: "connection-error" });
    expect(end.errorMessage).toContain("1006");
  });

  it("a socket that never answers the carrier's close is destroyed after the timeout", async () => {
    const raw = await startRawServer("deaf");
    cleanups.push(() => raw.close());
    const { stream, timeline } = await open({ destination: raw.url, limits: { closeTimeoutMs: 300 } });
    await new Promise((r) => setTimeout(r, 100));
    const end = await within(stream.stop(), 5000, "forced close");
    expect(end).toMatchObject({ by: "carrier", code: 1000, cause: "closed" });
    expect(timeline.of("finding").map((f) => f.data.code)).toContain("stream.app.close-unanswered");
  });
});

describe("the stream's inbound recording", () => {
  it("is the call's own recording from the stream's first frame, capped at the stream's limit", async () => {
    const a = await app();
    const { stream, audio } = await open({ destination: a.url, caller: { wav: toneWav({ ms: 600, hz: 523 }) }, limits: { maxRecordedMs: 300 } });
    const c = await a.connection();
    await waitFor(() => mediaOf(c.frames, "inbound").length >= 30, 10_000, "30 inbound frames at the app");
    await stream.stop();
    const sent = Buffer.concat(mediaOf(c.frames, "inbound").map((m) => Buffer.from(m.payload, "base64")));
    const rec = stream.record().inboundPcm;
    expect(rec.length).toBe(2400); // 300 ms at 8 kHz: the cap, not the 30+ frames sent
    const expected = decodeMulaw(new Uint8Array(sent.subarray(0, 2400)));
    expect(Buffer.from(rec.buffer, rec.byteOffset, rec.byteLength).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(audio.inboundLength()).toBeGreaterThan(2400);
  });
});

describe("playAudio and clear (bidirectional, §4.6)", () => {
  it("round trip of a WAV through the stream is bit-exact in PCMU", async () => {
    const wav = toneWav({ ms: 600, hz: 523 });
    // The app echoes the first 40 inbound payloads (the WAV and its lead and tail) back as audio/pcmu;
    // then it stops, so the play-out queue can drain (echoing the caller's silence would refill it forever).
    let echoed = 0;
    const a = await app((c) =>
      c.ws.on("message", (d) => {
        const f = JSON.parse(d.toString());
        if (f.eventType === "media" && echoed++ < 40) c.ws.send(pcmuPlay(Buffer.from(f.payload, "base64")));
      }),
    );
    const { stream, audio, timeline } = await open({ destination: a.url, caller: { wav } });
    const c = await a.connection();
    await within(audio.callerDone, 10_000, "caller done");
    // 100 ms lead + 600 ms tone + 100 ms tail = 40 frames of 20 ms
    await waitFor(() => mediaOf(c.frames, "inbound").length >= 40, 10_000, "40 inbound frames at the app");
    const sent = Buffer.concat(mediaOf(c.frames, "inbound").slice(0, 40).map((m) => Buffer.from(m.payload, "base64")));
    expect(sent.length).toBe(6400);
    await waitFor(() => (stream.record().receivedPcmu?.length ?? 0) >= sent.length, 10_000, "all echoes");
    await waitFor(() => stream.queuedMs() === 0, 10_000, "play-out drained");
    await stream.stop();
    const rec = stream.record();
    expect(Buffer.from(rec.receivedPcmu!.subarray(0, sent.length)).equals(sent)).toBe(true);
    // What played is the decoded echo, sample for sample, and the inbound recording is what was sent.
    const played = rec.playedPcm;
    const expected = decodeMulaw(new Uint8Array(sent));
    expect(played.length).toBeGreaterThanOrEqual(expected.length);
    expect(Buffer.from(played.buffer, played.byteOffset, expected.length * 2).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(Buffer.from(rec.inboundPcm.buffer, rec.inboundPcm.byteOffset, expected.length * 2).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(timeline.of("audio.queued").length).toBeGreaterThan(10);
    expect(timeline.of("audio.play").length).toBeGreaterThan(0);
    // caller.utterance start/end were recorded at the frames holding speech
    const utt = timeline.of("caller.utterance").map((e) => [e.data.index, e.data.phase]);
    expect(utt).toEqual([
      [0, "start"],
      [0, "end"],
    ]);
  });

  it("frames that arrive in one read are stamped with that read (§12.3.1 \"receives\"), not when each gets parsed", async () => {
    let sent = false;
    const a = await app((c) =>
      c.ws.on("message", (d) => {
        if (sent || (JSON.parse(d.toString()) as { eventType?: string }).eventType !== "media") return;
        sent = true;
        // One write: a second of audio, then a frame of it, read by the carrier together.
        const socket = (c.ws as unknown as { _socket: import("node:net").Socket })._socket;
        socket.cork();
        c.ws.send(pcmuPlay(new Uint8Array(8000).fill(0x55)));
        c.ws.send(pcmuPlay(new Uint8Array(160).fill(0x55)));
        socket.uncork();
      }),
    );
    const { timeline } = await open({ destination: a.url });
    const plays = () => timeline.of("ws.frame").filter((e) => e.data.direction === "in");
    await waitFor(() => plays().length >= 2, 5000, "both playAudio frames");
    expect(plays().map((e) => e.data.eventType)).toEqual(["playAudio", "playAudio"]);
    expect(plays()[1].t).toBe(plays()[0].t);
  });

  it("with tracks=both the played audio comes back on the outbound track (§3.7)", async () => {
    const tone = new Int16Array(1600).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)));
    const bytes = new Uint8Array(1600);
    const { encodeMulaw } = await import("../../media/mulaw.js");
    bytes.set(encodeMulaw(tone));
    const a = await app((c) => c.ws.send(pcmuPlay(bytes)));
    const { stream } = await open({ destination: a.url, tracks: "both" });
    const c = await a.connection();
    await waitFor(() => stream.record().playedPcm.length >= 1600, 10_000, "played");
    await waitFor(() => mediaOf(c.frames, "outbound").length >= 40, 10_000, "outbound frames");
    const out = Buffer.concat(mediaOf(c.frames, "outbound").map((m) => Buffer.from(m.payload, "base64")));
    const at = out.indexOf(Buffer.from(bytes.subarray(0, 160)));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(out.subarray(at, at + 1600).equals(Buffer.from(bytes))).toBe(true);
  });

  it("clear drops what has not played (deterministic clock)", async () => {
    const clock = new ManualClock();
    const a = await app();
    const { stream, timeline } = await open({ destination: a.url, clock });
    const c = await a.connection();
    c.ws.send(pcmuPlay(new Uint8Array(16000).fill(0x10))); // 2 s
    await waitFor(() => timeline.of("audio.queued").length === 1, 5000, "queued");
    for (let i = 0; i < 10; i++) await clock.advanceUs(20_000);
    c.ws.send('{"eventType":"clear"}');
    await waitFor(() => timeline.of("audio.cleared").length === 1, 5000, "cleared");
    for (let i = 0; i < 10; i++) await clock.advanceUs(20_000);
    const rec = stream.record();
    const playedMs = rec.playedPcm.length / 8;
    const cleared = timeline.of("audio.cleared")[0].data.droppedMs;
    expect(playedMs).toBeGreaterThanOrEqual(180);
    expect(playedMs).toBeLessThanOrEqual(260);
    expect(cleared).toBeCloseTo(2000 - playedMs, 0);
    expect(playedMs).toBeLessThan(2000);
    expect(stream.queuedMs()).toBe(0);
    expect(timeline.of("audio.drained")[0].data.playedMs).toBe(playedMs);
  });

  it("PCM 24 kHz playAudio is resampled to the call's 8 kHz", async () => {
    const n = 24000; // 1 s
    const pcm = new Int16Array(n).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24000)));
    const ct = "audio/pcm;rate=24000;channels=1;bit-depth=16;endian=little;encoding=signed";
    const a = await app((c) => {
      // in 20 ms chunks, as a Realtime bridge would relay them
      for (let i = 0; i < n; i += 480) c.ws.send(JSON.stringify({ eventType: "playAudio", media: { contentType: ct, payload: Buffer.from(pcm.buffer, i * 2, 960).toString("base64") } }));
    });
    const { stream, timeline } = await open({ destination: a.url });
    // Under load the 50 chunks may arrive in bursts, so the queue can drain (an underrun) before the
    // last one: wait for the whole second, then for the drain after it.
    await waitFor(() => stream.record().playedPcm.length >= 7990, 10_000, "played out");
    await waitFor(() => stream.queuedMs() === 0 && timeline.of("audio.drained").length > 0, 10_000, "drained");
    const played = stream.record().playedPcm;
    expect(played.length).toBeLessThanOrEqual(8000 + 160);
    const { dominantFrequency } = await import("../../media/analysis.js");
    expect(Math.abs(dominantFrequency(played.subarray(400, 7600), 8000) - 440)).toBeLessThan(10);
    const peak = Math.max(...Array.from(played.subarray(400, 7600), Math.abs));
    expect(peak).toBeGreaterThan(7500);
    expect(peak).toBeLessThan(8500);
  });
});

describe("bad input from the app: finding, no crash, stream goes on (OPEN-9, OPEN-10)", () => {
  const bad: [string, string | Buffer, string][] = [
    ["binary frame", Buffer.alloc(160, 0xff), "stream.app.binary-frame"],
    ["non-JSON", "{oops", "stream.app.not-json"],
    ["unknown eventType", '{"eventType":"mark","mark":{"name":"m1"}}', "stream.app.unknown-event"],
    ["invalid base64", '{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"AA$A"}}', "stream.app.bad-base64"],
    ["odd byte count", `{"eventType":"playAudio","media":{"contentType":"audio/pcm;rate=16000;channels=1;bit-depth=16;endian=little;encoding=signed","payload":"AAAA"}}`, "stream.app.odd-byte-count"],
    ["unknown content type", '{"eventType":"playAudio","media":{"contentType":"audio/pcm;rate=24000","payload":"AAAA"}}', "stream.app.bad-content-type"],
    ["JSON that is not an object", "[1,2,3]", "stream.app.not-object"],
  ];
  it.each(bad)("%s", async (_what, frame, code) => {
    const a = await app((c) => c.ws.send(frame, { binary: Buffer.isBuffer(frame) }));
    const { stream, timeline } = await open({ destination: a.url });
    const c = await a.connection();
    await waitFor(() => timeline.of("finding").some((f) => f.data.code === code), 5000, code);
    const f = timeline.of("finding").find((x) => x.data.code === code)!;
    // the evidence is the offending frame
    const ev = timeline.events.find((e) => e.seq === f.data.evidence?.[0]);
    expect(ev?.kind).toBe("ws.frame");
    expect((ev?.data as { direction: string }).direction).toBe("in");
    // nothing was queued, and the stream keeps sending media
    expect(stream.queuedMs()).toBe(0);
    const before = mediaOf(c.frames).length;
    await waitFor(() => mediaOf(c.frames).length > before + 5, 5000, "more media");
  });

  it("playAudio on a unidirectional stream is ignored with a warning", async () => {
    const a = await app((c) => c.ws.send(pcmuPlay(new Uint8Array(800))));
    const { stream, timeline } = await open({ destination: a.url, mode: "unidirectional" });
    await waitFor(() => timeline.of("finding").length > 0, 5000, "finding");
    expect(timeline.of("finding")[0].data).toMatchObject({ code: "stream.app.play-audio-unidirectional", level: "warning" });
    expect(stream.record().playedPcm.length).toBe(0);
  });

  it("a non-canonical content type is accepted with a warning", async () => {
    const a = await app((c) => c.ws.send(JSON.stringify({ eventType: "playAudio", media: { contentType: "Audio/PCMU", payload: "AAAA" } })));
    const { timeline } = await open({ destination: a.url });
    await waitFor(() => timeline.of("audio.queued").length > 0, 5000, "queued");
    expect(timeline.of("finding")[0].data.code).toBe("stream.app.content-type-noncanonical");
  });

  it("findings are collapsed and capped: a thousand identical bad frames are one finding with a count", async () => {
    const a = await app((c) => {
      for (let i = 0; i < 1000; i++) c.ws.send("nope");
    });
    const { stream, timeline } = await open({ destination: a.url });
    await waitFor(() => timeline.of("ws.frame").filter((e) => e.data.direction === "in").length >= 1000, 10_000, "1000 frames");
    const [f, ...more] = timeline.of("finding");
    expect(more).toEqual([]);
    expect(f.data).toMatchObject({ code: "stream.app.not-json", count: 1000 });
    expect(f.data.lastT).toBeGreaterThanOrEqual(f.t);
    await stream.stop();
  });

  it("distinct findings of one code are listed up to the cap, the rest counted", async () => {
    const a = await app((c) => {
      for (let i = 0; i < 200; i++) c.ws.send(JSON.stringify({ eventType: `probe${i}` }));
    });
    const { stream, timeline } = await open({ destination: a.url });
    await waitFor(() => timeline.of("ws.frame").filter((e) => e.data.direction === "in").length >= 200, 10_000, "200 frames");
    expect(timeline.of("finding").length).toBe(5);
    await stream.stop();
    expect(timeline.of("finding").at(-1)!.data.message).toContain("200 occurrences in total; 195");
  });

  it("a flood (minutes of playAudio in a second) is capped: bounded queue, finding, stream goes on", async () => {
    const minute = new Uint8Array(8000 * 60).fill(0x20);
    const a = await app((c) => {
      for (let i = 0; i < 5; i++) c.ws.send(pcmuPlay(minute));
    });
    const { stream, timeline } = await open({ destination: a.url, limits: { maxQueuedMs: 3000 } });
    const c = await a.connection();
    await waitFor(() => timeline.of("audio.queued").length === 5, 10_000, "5 messages");
    expect(stream.queuedMs()).toBeLessThanOrEqual(3000);
    const overflow = timeline.of("finding").filter((f) => f.data.code === "stream.playout.overflow");
    expect(overflow.length).toBe(1);
    const before = mediaOf(c.frames).length;
    await waitFor(() => mediaOf(c.frames).length > before + 5, 5000, "more media");
    await stream.stop();
    expect(timeline.of("finding").at(-1)!.data.message).toMatch(/ms of playAudio dropped in total/);
  });

  it("a message over the size limit → finding and close 1009", async () => {
    const a = await app((c) => c.ws.send(pcmuPlay(new Uint8Array(100_000))));
    const { stream, timeline } = await open({ destination: a.url, limits: { maxMessageBytes: 64 * 1024 } });
    const c = await a.connection();
    const end = await within(stream.ended, 5000, "ended");
    expect(end).toMatchObject({ by: "carrier", code: 1009, cause: "connection-error" });
    expect((await within(c.closed, 5000, "app close")).code).toBe(1009);
    expect(timeline.of("finding").map((f) => f.data.code)).toContain("stream.app.message-too-big");
  });
});

describe("WebSocket protocol violations by the app", () => {
  it("a text frame that is not UTF-8 → finding, close 1007, connection-error", async () => {
    // FIN + text opcode, unmasked (server → client), 2 bytes that are not UTF-8
    const raw = await startRawServer("deaf", (s) => setTimeout(() => s.write(Buffer.from([0x81, 0x02, 0xff, 0xfe])), 50));
    cleanups.push(() => raw.close());
    const { stream, timeline } = await open({ destination: raw.url, limits: { closeTimeoutMs: 300 } });
    const end = await within(stream.ended, 5000, "ended");
    expect(end).toMatchObject({ by: "carrier", code: 1007, cause: "connection-error" });
    expect(timeline.of("finding").map((f) => f.data.code)).toContain("stream.app.protocol-error");
  });
  it("a masked frame from the server → finding, close 1002", async () => {
    const raw = await startRawServer("deaf", (s) => setTimeout(() => s.write(Buffer.from([0x81, 0x82, 1, 2, 3, 4, 0x41 ^ 1, 0x42 ^ 2])), 50));
    cleanups.push(() => raw.close());
    const { stream, timeline } = await open({ destination: raw.url, limits: { closeTimeoutMs: 300 } });
    expect(await within(stream.ended, 5000, "ended")).toMatchObject({ by: "carrier", code: 1002, cause: "connection-error" });
    expect(timeline.of("finding").map((f) => f.data.code)).toContain("stream.app.protocol-error");
  });
});

describe("injected faults (CallAction)", () => {
  it("send-unknown-event, send-malformed-frame, send-binary-frame reach the app; drop-socket ends with 1006", async () => {
    const a = await app();
    const { stream } = await open({ destination: a.url });
    const c = await a.connection();
    stream.inject({ atMs: 0, action: "send-unknown-event" });
    stream.inject({ atMs: 0, action: "send-malformed-frame" });
    stream.inject({ atMs: 0, action: "send-binary-frame" });
    await waitFor(() => c.binary.length === 1, 5000, "binary");
    expect(c.texts.some((t) => t.includes('"eventType":"bwemuProbe"'))).toBe(true);
    expect(c.texts.some((t) => t.startsWith('{"eventType":"media","track":"inbound","payload":') && !t.endsWith("}"))).toBe(true);
    stream.inject({ atMs: 0, action: "drop-socket" });
    expect(await within(stream.ended, 5000, "ended")).toMatchObject({ by: "network", code: 1006, cause: "connection-error" });
    expect((await within(c.closed, 5000, "app sees drop")).code).toBe(1006);
  });

  it("burst-media holds frames back, then sends them at once, in order, none lost", async () => {
    const clock = new ManualClock();
    const a = await app();
    const { stream } = await open({ destination: a.url, clock });
    const c = await a.connection();
    for (let i = 0; i < 5; i++) await clock.advanceUs(20_000);
    await waitFor(() => mediaOf(c.frames).length >= 5, 5000, "5 frames");
    stream.inject({ atMs: 0, action: "burst-media", durationMs: 200 });
    const held = mediaOf(c.frames).length;
    for (let i = 0; i < 9; i++) await clock.advanceUs(20_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(mediaOf(c.frames).length).toBe(held);
    for (let i = 0; i < 2; i++) await clock.advanceUs(20_000);
    await waitFor(() => mediaOf(c.frames).length >= held + 10, 5000, "the burst");
    const seqs = mediaOf(c.frames).map((m) => Number(m.sequenceNumber));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });
});

describe("connect failures through openMediaStream", () => {
  it("upgrade refused 401 → ok:false with status, stream.connect recorded", async () => {
    const a = await app(undefined, { verify: (req) => (req.headers.authorization ? undefined : 401) });
    const r = await rig({ destination: `${a.url}/ws?call_id=x` });
    cleanups.push(() => r.close());
    expect(r.result).toMatchObject({ ok: false, status: 401, errorMessage: expect.stringContaining("HTTP 401") });
    const ev = r.timeline.of("stream.connect")[0].data;
    expect(ev).toMatchObject({ ok: false, status: 401, authorization: "none", streamId: STREAM_ID });
    expect(r.timeline.of("http.exchange")[0].data).toMatchObject({ role: "ws-upgrade", status: 401, url: `${a.url}/ws?call_id=x` });
  });

  it("with credentials the same app accepts, and the password never reaches the timeline", async () => {
    const a = await app(undefined, { verify: (req) => (req.headers.authorization ? undefined : 401) });
    const r = await open({ destination: `${a.url}/ws`, credentials: { username: "foo", password: "s3cret" } });
    expect(r.timeline.of("stream.connect")[0].data).toMatchObject({ ok: true, status: 101, authorization: "basic" });
    expect(r.timeline.toJSONL()).not.toContain(Buffer.from("foo:s3cret").toString("base64"));
    expect(r.timeline.toJSONL()).not.toContain("s3cret");
  });
});
