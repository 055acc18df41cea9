// recordAudio (CarrierSettings): "both" keeps the call's audio both ways for reports; "none" (bwemu
// load) keeps none of it, yet the call, its timeline figures, the per-frame audio hook and a BXML
// recording are unchanged. Against a loopback echo app over a real WebSocket.
import { describe, expect, it } from "vitest";
import { concat } from "../../media/synth.js";
import { readWav } from "../../media/wav.js";
import { app, carrier, ws } from "./harness.js";
import { noContent, within, xml } from "./servers.js";

const SPEECH = "fixtures/audio/speech-hello.8k-mulaw.wav";

/** A call whose app echoes the caller's audio back (bidirectional stream); every tick's audio captured by the hook. */
async function echoCall(recordAudio: "both" | "none") {
  const echo = await ws((sock) =>
    sock.on("message", (d) => {
      const f = JSON.parse(String(d)) as { eventType: string; payload?: string; media?: { payload: string } };
      if (f.eventType === "media") sock.send(JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/pcmu", payload: f.media?.payload ?? f.payload } }));
    }),
  );
  const a = await app((hit, res) =>
    hit.path === "/voice" ? xml(res, `<Response><StartStream name="echo" mode="bidirectional" destination="${echo.url}"/><Pause duration="30"/></Response>`) : noContent(res),
  );
  const c = carrier({ settings: { recordAudio } });
  const said: Int16Array[] = [];
  const heard: Int16Array[] = [];
  const h = c.placeCall({
    appUrl: a.url,
    caller: { wav: SPEECH },
    hangupAfterCallerMs: 300,
    onAudioFrame: (f) => (said.push(f.inboundPcm.slice()), heard.push(f.outboundPcm8k.slice())),
  });
  const r = await within(h.done, 20_000, "call");
  const audio = c.calls.get(h.callId)!.audio!;
  const queued = r.timeline.of("audio.queued").reduce((n, e) => n + e.data.samples8k, 0);
  return { r, audio, said: concat(...said), heard: concat(...heard), queued };
}

describe("recordAudio", () => {
  it("both (default): the hook's frames are the recordings, sample for sample", async () => {
    const { r, audio, said, heard, queued } = await echoCall("both");
    expect(r.disconnectCause).toBe("hangup");
    expect(queued).toBeGreaterThan(8000);
    expect(Buffer.from(audio.inboundPcm().buffer).equals(Buffer.from(said.buffer))).toBe(true);
    expect(Buffer.from(audio.outboundPcm().buffer).equals(Buffer.from(heard.buffer))).toBe(true);
    expect(r.streams[0].playedPcm.length).toBeGreaterThan(8000);
    expect(r.streams[0].receivedPcmu!.length).toBeGreaterThan(8000);
  });

  it("none: no audio is kept, the timeline and the hook still carry the echo", async () => {
    const { r, audio, said, heard, queued } = await echoCall("none");
    expect(r.disconnectCause).toBe("hangup");
    expect(queued).toBeGreaterThan(8000);
    expect(heard.some((v) => Math.abs(v) > 1000)).toBe(true);
    expect(said.some((v) => Math.abs(v) > 1000)).toBe(true);
    expect(audio.inboundLength()).toBe(said.length); // positions still count the whole call
    expect(audio.inboundPcm().length).toBe(0);
    expect(audio.outboundPcm().length).toBe(0);
    const s = r.streams[0];
    expect([s.inboundPcm.length, s.playedPcm.length, s.receivedPcmu?.length ?? 0]).toEqual([0, 0, 0]);
    expect(r.timeline.of("finding").filter((f) => f.data.code === "stream.record.truncated")).toEqual([]);
  });

  it("none: a <Record> still records its span of the caller", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><Record recordCompleteUrl="/done" maxDuration="10"/><Hangup/></Response>`);
      return noContent(res);
    });
    const c = carrier({ settings: { pacing: "realtime", recordAudio: "none" } });
    await c.listen(0);
    await within(c.placeCall({ appUrl: a.url, caller: { wav: SPEECH }, dtmf: "ww#" }).done, 15_000, "call");
    const done = a.hits.find((h) => h.path === "/done")!.json!;
    const media = await fetch(String(done.mediaUrl), { headers: { authorization: "Basic eDp5" } });
    const wav = await readWav(new Uint8Array(await media.arrayBuffer()));
    expect(wav.pcm.length).toBeGreaterThan(4000);
    expect(wav.pcm.some((v) => Math.abs(v) > 1000)).toBe(true);
  });
});
