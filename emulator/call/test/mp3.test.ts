// MP3 at the carrier (bandwidth.md §2.10, §2.11, §2.19): PlayAudio plays MP3 told by its content,
// a mislabelled file is a warning, anything else ends the call naming what was found; fileFormat="mp3"
// recordings are served as audio/mpeg with metadata that says mp3, also after the call ended.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { correlation, rms } from "../../media/analysis.js";
import { decodeMp3, encodeMp3 } from "../../media/mp3.js";
import { sniffAudio } from "../../media/sniff.js";
import { speechLike } from "../../media/synth.js";
import { writeWav } from "../../media/wav.js";
import { app, carrier, onCleanup } from "./harness.js";
import { noContent, within, xml } from "./servers.js";

const AUTH = { authorization: "Basic eDp5" };

describe("PlayAudio MP3", () => {
  it.each([
    ["audio/mpeg", "prompt.mp3", false],
    ["application/octet-stream", "prompt.mp3", false],
    ["audio/wav", "prompt.wav", true],
    ["application/octet-stream", "prompt", true],
  ])("served as %s at /%s: played to the caller (mislabelled: %s → a warning)", async (ct, file, warned) => {
    const prompt = speechLike(600, 16000, 11);
    const mp3 = await encodeMp3([prompt], 16000);
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><PlayAudio>/${file}</PlayAudio></Response>`);
      res.writeHead(200, { "content-type": ct });
      res.end(mp3);
    });
    const c = carrier();
    const h = c.placeCall({ appUrl: a.url });
    const r = await within(h.done, 15_000, "call");
    expect(r.disconnectCause).toBe("hangup");
    const heard = c.calls.get(h.callId)!.audio!.outboundPcm();
    const want = (await decodeMp3(mp3, file, { sampleRate: 8000 })).pcm;
    expect(correlation(want, heard, heard.length).r).toBeGreaterThan(0.95);
    const findings = r.timeline.of("finding").filter((f) => f.data.code === "call.play-audio-format");
    expect(findings.length).toBe(warned ? 1 : 0);
    if (warned) expect(findings[0].data).toMatchObject({ level: "warning", message: expect.stringContaining(`/${file} is MP3, but Bandwidth's rule takes it for WAV`) });
  });

  it.each([
    ["an HTML error page", "text/html", "<!DOCTYPE html><html><body>Oops</body></html>", 'an HTML page starting "<!DOCTYPE html><html><body>Oops</body></html>"'],
    ["Ogg served as audio/mpeg", "audio/mpeg", "OggS\u0000\u0002 vorbis", "Ogg data"],
  ])("%s ends the call application-error, naming the URL and what was found", async (_n, ct, body, found) => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><PlayAudio>/greeting.mp3</PlayAudio><Pause duration="5"/></Response>`);
      res.writeHead(200, { "content-type": ct });
      res.end(body);
    });
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("application-error");
    expect(r.errorMessage).toBe(`PlayAudio ${a.base}/greeting.mp3 is neither WAV nor MP3: ${found} (Content-Type ${ct})`);
  });
});

describe('fileFormat="mp3" recordings', () => {
  it("Record: webhooks and metadata say mp3; the media is audio/mpeg and decodes to what the caller said", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><Record recordingAvailableUrl="/available" fileFormat="mp3" maxDuration="1.5"/><Hangup/></Response>`);
      return noContent(res);
    });
    const c = carrier({ settings: { pacing: "realtime" } }); // the recording is media time
    await c.listen(0);
    const dir = await mkdtemp(join(tmpdir(), "bwemu-mp3-"));
    onCleanup(() => rm(dir, { recursive: true, force: true }));
    const wav = join(dir, "caller.wav");
    await writeFile(wav, writeWav(speechLike(3000, 8000, 5), 8000));
    const h = c.placeCall({ appUrl: a.url, caller: { wav } });
    await within(h.done, 15_000, "call");
    const avail = (await a.waitFor((x) => x.path === "/available")).json!;
    expect(avail).toMatchObject({ eventType: "recordingAvailable", fileFormat: "mp3", channels: 1 });
    const mediaUrl = String(avail.mediaUrl);
    const meta = await fetch(mediaUrl.replace(/\/media$/, ""), { headers: AUTH });
    expect(meta.status).toBe(200);
    expect(await meta.json()).toMatchObject({ recordingId: avail.recordingId, callId: h.callId, fileFormat: "mp3", channels: 1, mediaUrl, status: "complete" });
    const list = await fetch(mediaUrl.replace(/\/[^/]+\/media$/, ""), { headers: AUTH });
    expect((await list.json()).map((m: { recordingId: string }) => m.recordingId)).toEqual([avail.recordingId]);
    const media = await fetch(mediaUrl, { headers: AUTH });
    expect(media.headers.get("content-type")).toBe("audio/mpeg");
    const bytes = new Uint8Array(await media.arrayBuffer());
    expect(Number(media.headers.get("content-length"))).toBe(bytes.length);
    expect(sniffAudio(bytes)).toMatchObject({ kind: "mp3", sampleRate: 8000, channels: 1 });
    const got = (await decodeMp3(bytes)).pcm;
    const party = c.calls.get(h.callId)!.audio!.inboundPcm();
    expect(rms(got)).toBeGreaterThan(1000);
    expect(correlation(got.subarray(1200, 1200 + 8000), party, party.length).r).toBeGreaterThan(0.85);
    // The same bytes on every request (encoded once).
    const again = new Uint8Array(await (await fetch(mediaUrl, { headers: AUTH })).arrayBuffer());
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  it("StartRecording multiChannel mp3 is a two-channel MP3", async () => {
    const a = await app((h, res) =>
      h.path === "/voice"
        ? xml(res, `<Response><StartRecording recordingAvailableUrl="/available" multiChannel="true" fileFormat="mp3"/><SpeakSentence>hello there</SpeakSentence><StopRecording/></Response>`)
        : noContent(res),
    );
    const c = carrier();
    await c.listen(0);
    await within(c.placeCall({ appUrl: a.url }).done, 15_000, "call");
    const avail = (await a.waitFor((x) => x.path === "/available")).json!;
    expect(avail).toMatchObject({ fileFormat: "mp3", channels: 2 });
    const media = await fetch(String(avail.mediaUrl), { headers: AUTH });
    expect(media.headers.get("content-type")).toBe("audio/mpeg");
    const bytes = new Uint8Array(await media.arrayBuffer());
    expect(sniffAudio(bytes)).toMatchObject({ kind: "mp3", channels: 2 });
    expect((await decodeMp3(bytes)).channels).toBe(2);
  });
});
