// A voicemail app written the way Bandwidth's samples are (bandwidth-sdk's BXML builders for the
// documents, its RecordingsApi to fetch the recording): an MP3 greeting at a relative URL, then
// <Record fileFormat="mp3">; the app acknowledges recordingAvailable and downloads the recording a
// moment later, after the call is over, so `bwemu call --linger` must keep the Voice API up. Driven
// through the CLI's own path (flags → checkFlags → runCall) on loopback, real time.
import http from "node:http";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bxml, Configuration, RecordingsApi, type CallRecordingMetadata } from "bandwidth-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { correlation, rms } from "../../emulator/media/analysis.js";
import { decodeMp3, encodeMp3 } from "../../emulator/media/mp3.js";
import { sniffAudio } from "../../emulator/media/sniff.js";
import { concat, silence, speechLike } from "../../emulator/media/synth.js";
import { readWavFile, writeWav } from "../../emulator/media/wav.js";
import { checkFlags, runCall, type CallRun } from "../../src/cli/call.js";
import { listenLoopback } from "../support/loopback.js";

interface Download {
  metadata: CallRecordingMetadata;
  contentType: string;
  bytes: Uint8Array;
  /** Wall time of the download, to compare with the call's end. */
  at: number;
}

/** The app: one server, the handlers a voicemail sample has. */
async function startVoicemailApp(greeting: Uint8Array): Promise<{ url: string; download: Promise<Download>; close(): Promise<void> }> {
  let resolveDownload!: (d: Download) => void;
  let rejectDownload!: (e: unknown) => void;
  const download = new Promise<Download>((res, rej) => ((resolveDownload = res), (rejectDownload = rej)));
  const bxml = (res: http.ServerResponse, doc: InstanceType<typeof Bxml.Response>) => {
    res.writeHead(200, { "content-type": "application/xml" });
    res.end(doc.toBxml());
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
    switch (new URL(req.url ?? "/", "http://x").pathname) {
      case "/callbacks/inboundCall":
        return bxml(
          res,
          new Bxml.Response([
            new Bxml.PlayAudio("greeting.mp3"),
            new Bxml.Record({ recordCompleteUrl: "/callbacks/recordComplete", recordingAvailableUrl: "/callbacks/recordingAvailable", maxDuration: 4, fileFormat: "mp3" }),
          ]),
        );
      case "/callbacks/greeting.mp3":
        res.writeHead(200, { "content-type": "audio/mpeg", "content-length": String(greeting.length) });
        return res.end(greeting);
      case "/callbacks/recordComplete":
        return bxml(res, new Bxml.Response([new Bxml.Hangup()]));
      case "/callbacks/recordingAvailable": {
        res.writeHead(200);
        res.end();
        // Acknowledge first, download later (a queue worker would). The Voice API base is the one the
        // webhook's mediaUrl points at, as an app configured for a test environment would use.
        const basePath = new URL(body.mediaUrl).origin + "/api/v2";
        setTimeout(() => {
          const api = new RecordingsApi(new Configuration({ username: "voicemail", password: "s3cret", basePath }));
          void (async () => {
            const meta = await api.getCallRecording(body.accountId, body.callId, body.recordingId);
            const media = await api.downloadCallRecording(body.accountId, body.callId, body.recordingId, { responseType: "arraybuffer" });
            resolveDownload({
              metadata: meta.data,
              contentType: String(media.headers["content-type"]),
              bytes: new Uint8Array(media.data as unknown as ArrayBuffer),
              at: Date.now(),
            });
          })().catch(rejectDownload);
        }, 500);
        return;
      }
      default:
        res.writeHead(404);
        res.end();
    }
  });
  const { origin, close } = await listenLoopback(server);
  return { url: `${origin}/callbacks/inboundCall`, download, close };
}

/** Mean |rms| of 100 ms segments, for an energy-per-segment comparison. */
const SEG = 800;

describe("a voicemail app (bandwidth-sdk BXML + RecordingsApi) with an MP3 greeting", () => {
  let dir: string;
  let greetingMp3: Uint8Array;
  let callerPcm: Int16Array;
  let run: CallRun;
  let download: Download;
  let endedAt: number;
  let stopApp: () => Promise<void>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bwemu-voicemail-"));
    // The greeting: 1.2 s of speech-like sound at 16 kHz (MPEG-2 layer III), made with the encoder.
    greetingMp3 = await encodeMp3([speechLike(1200, 16000, 21)], 16000);
    // The caller: quiet through the greeting, then 1.5 s of speech, then quiet.
    callerPcm = concat(silence(2000, 8000), speechLike(1500, 8000, 9, 0.4), silence(1500, 8000));
    await writeFile(join(dir, "caller.wav"), writeWav(callerPcm, 8000));
    const app = await startVoicemailApp(greetingMp3);
    stopApp = app.close;
    const input = await checkFlags({
      app: app.url,
      audio: join(dir, "caller.wav"),
      duration: "20s",
      hangupAfter: "5s",
      linger: "5s",
      method: "POST",
      out: join(dir, "out"),
    });
    const lines: string[] = [];
    run = await runCall(input, (s) => lines.push(s));
    endedAt = Date.now();
    download = await app.download;
    expect(lines.join("")).toContain("stays up 5s for recording downloads");
  }, 60_000);

  afterAll(async () => {
    await stopApp?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("the call completes normally: greeting played, recorded, hung up by the app", () => {
    expect(run.reason).toBeUndefined();
    expect(run.exitCode).toBe(0);
    expect(run.result.disconnectCause).toBe("hangup");
    const verbs = run.result.timeline.events.filter((e) => e.kind === "verb.start").map((e) => (e.data as { verb: string }).verb);
    expect(verbs).toEqual(["PlayAudio", "Record", "Hangup"]);
  });

  it("the caller hears the MP3 greeting (heard.wav matches the decoded MP3)", async () => {
    const heard = (await readWavFile(join(run.outDir, "heard.wav"))).pcm;
    const ref = (await decodeMp3(greetingMp3, "greeting.mp3", { sampleRate: 8000 })).pcm;
    const c = correlation(ref, heard, heard.length);
    expect(c.r).toBeGreaterThan(0.9);
    const played = heard.subarray(Math.max(0, c.lag), Math.max(0, c.lag) + ref.length);
    expect(rms(played) / rms(ref)).toBeGreaterThan(0.8);
    expect(rms(played) / rms(ref)).toBeLessThan(1.25);
  });

  it("the app downloads the recording after the call ended (--linger), as MP3 with metadata that says mp3", () => {
    expect(download.at).toBeLessThanOrEqual(endedAt);
    expect(download.contentType).toBe("audio/mpeg");
    expect(download.metadata).toMatchObject({ fileFormat: "mp3", channels: 1, status: "complete", callId: run.result.callId });
    const lines = run.result.timeline.events;
    const end = lines.findIndex((e) => e.kind === "call.state" && (e.data as { state: string }).state === "disconnected");
    const media = lines.findIndex((e) => e.kind === "http.exchange" && String((e.data as { url: string }).url).endsWith("/media"));
    expect(end).toBeGreaterThanOrEqual(0);
    expect(media).toBeGreaterThan(end);
  });

  it("the recording is written under --out, the same bytes the app downloaded", async () => {
    const files = (await readdir(run.outDir)).filter((f) => f.startsWith("recording-"));
    expect(files).toEqual([`recording-${download.metadata.recordingId}.mp3`]);
    const onDisk = await readFile(join(run.outDir, files[0]));
    expect(Buffer.compare(onDisk, Buffer.from(download.bytes))).toBe(0);
  });

  it("the recording is a valid MP3 that decodes to the caller's audio (correlation and energy per segment)", async () => {
    expect(sniffAudio(download.bytes)).toMatchObject({ kind: "mp3", sampleRate: 8000, channels: 1 });
    const rec = await decodeMp3(download.bytes, "recording.mp3");
    expect(rec.errors).toEqual([]);
    expect(rec.durationMs).toBeGreaterThan(3500);
    // Where the recording sits in what the caller said: b[i + lag] lines up with a[i].
    const c = correlation(rec.pcm, callerPcm, callerPcm.length);
    expect(c.r).toBeGreaterThan(0.8);
    let loud = 0;
    let quiet = 0;
    for (let i = 0; i + SEG <= rec.pcm.length; i += SEG) {
      const j = i + c.lag;
      if (j < 0 || j + SEG > callerPcm.length) continue;
      const said = rms(callerPcm.subarray(j, j + SEG));
      const got = rms(rec.pcm.subarray(i, i + SEG));
      if (said > 1000) {
        loud++;
        expect(got / said).toBeGreaterThan(0.6);
      } else if (said === 0) {
        quiet++;
        expect(got).toBeLessThan(150);
      }
    }
    expect(loud).toBeGreaterThanOrEqual(10); // the 1.5 s of speech
    expect(quiet).toBeGreaterThanOrEqual(5);
  });
});
