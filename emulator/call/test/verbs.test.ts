// Each verb's webhook sequence (bandwidth.md §2, §6.5) against a loopback app.
import { VERB_NAMES } from "../../bxml/catalogue/index.js";
import { EXECUTORS, executorFor } from "../verbs/index.js";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ID_PATTERNS } from "../../ids.js";
import { readWav } from "../../media/wav.js";
import { app, carrier, ISO, until, ws } from "./harness.js";
import { noContent, within, xml, type App } from "./servers.js";

const paths = (a: App) => a.hits.map((h) => h.path);
const body = (a: App, path: string) => a.hits.find((h) => h.path === path)!.json!;

describe("Gather / StartGather (§2.6, §2.18)", () => {
  it("collects scripted DTMF up to the terminating digit and posts gather; its reply replaces the document", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><Gather gatherUrl="/gather" terminatingDigits="#" tag="menu"><SpeakSentence>Press one two then pound</SpeakSentence></Gather><Hangup/></Response>`);
      if (h.path === "/gather") return xml(res, `<Response><Pause duration="0.1"/></Response>`);
      return noContent(res);
    });
    const r = await within(carrier().placeCall({ appUrl: a.url, dtmf: "12#" }).done, 15_000, "call");
    const g = body(a, "/gather");
    expect(g).toMatchObject({ eventType: "gather", digits: "12", terminatingDigit: "#", tag: "menu" });
    expect(g.answerTime).toMatch(ISO);
    expect(r.timeline.of("verb.start").map((e) => e.data.verb)).toEqual(["Gather", "Pause"]);
  });

  it("times out with no digits: digits \"\" and terminatingDigit \"\"", async () => {
    const a = await app((h, res) => (h.path === "/voice" ? xml(res, `<Response><Gather gatherUrl="/gather" firstDigitTimeout="0.2"/></Response>`) : xml(res, "<Response/>")));
    await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(body(a, "/gather")).toMatchObject({ digits: "", terminatingDigit: "" });
  });

  it("maxDigits ends the gather; without gatherUrl execution continues", async () => {
    const a = await app((h, res) => (h.path === "/voice" ? xml(res, `<Response><Gather maxDigits="2"/><Redirect redirectUrl="/next"/></Response>`) : xml(res, "<Response/>")));
    const r = await within(carrier().placeCall({ appUrl: a.url, dtmf: "987" }).done, 10_000, "call");
    expect(paths(a)).toEqual(["/voice", "/next"]);
    expect(r.timeline.of("note").some((n) => n.data.message.includes('"98"'))).toBe(true);
  });

  it("StartGather sends one dtmf notification per digit; StopGather stops it", async () => {
    const a = await app((h, res) => (h.path === "/voice" ? xml(res, `<Response><StartGather dtmfUrl="/dtmf"/><Pause duration="4"/><StopGather/><Pause duration="0.5"/></Response>`) : noContent(res)));
    await within(carrier().placeCall({ appUrl: a.url, dtmf: "1w2" }).done, 15_000, "call");
    const digits = a.hits.filter((h) => h.path === "/dtmf").map((h) => h.json!);
    expect(digits.map((d) => d.digit)).toEqual(["1", "2"]);
    expect(digits[0]).toMatchObject({ eventType: "dtmf", direction: "inbound" });
  });
});

describe("Record / StartRecording (§2.9, §2.11, §2.19)", () => {
  it("Record ends on #; recordComplete (BXML) and recordingAvailable carry a mediaUrl that serves the WAV", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><Record recordCompleteUrl="/done" recordingAvailableUrl="/available" maxDuration="10"/><Hangup/></Response>`);
      if (h.path === "/done") return xml(res, `<Response><Pause duration="0.1"/></Response>`);
      return noContent(res);
    });
    const c = carrier({ settings: { pacing: "realtime" } }); // recording length is media time: keep it real
    await c.listen(0);
    const r = await within(c.placeCall({ appUrl: a.url, caller: { wav: "fixtures/audio/speech-hello.8k-mulaw.wav" }, dtmf: "ww#" }).done, 15_000, "call");
    const done = body(a, "/done");
    expect(done).toMatchObject({ eventType: "recordComplete", fileFormat: "wav", channels: 1 });
    expect(done.recordingId).toMatch(ID_PATTERNS.recordingId);
    expect(done.duration).toMatch(/^PT\d{1,2}(\.\d+)?S$/); // "ww#": about 1.5 s of typing
    const avail = await a.waitFor((h) => h.path === "/available");
    expect(avail.json).toMatchObject({ eventType: "recordingAvailable", status: "complete", recordingId: done.recordingId });
    const media = await fetch(String(done.mediaUrl), { headers: { authorization: "Basic eDp5" } });
    expect(media.status).toBe(200);
    const wav = await readWav(new Uint8Array(await media.arrayBuffer()));
    expect(wav.sampleRate).toBe(8000);
    expect(wav.pcm.length).toBeGreaterThan(0);
    expect(r.timeline.of("verb.start").map((e) => e.data.verb)).toEqual(["Record", "Pause"]);
  });

  it("a hang-up during Record: recordingAvailable but no recordComplete", async () => {
    const a = await app((h, res) => (h.path === "/voice" ? xml(res, `<Response><Record recordCompleteUrl="/done" recordingAvailableUrl="/available"/></Response>`) : noContent(res)));
    const c = carrier();
    const h = c.placeCall({ appUrl: a.url });
    await until(() => c.timeline.of("verb.start", h.callId).length > 0, 10_000, "Record to start");
    await new Promise((r) => setTimeout(r, 200));
    h.hangup();
    await within(h.done, 10_000, "call");
    await a.waitFor((x) => x.path === "/available");
    expect(paths(a)).toContain("/available");
    expect(paths(a)).not.toContain("/done");
  });

  it("StartRecording with pause/resume/stop gives one recordingAvailable; a second StartRecording is ignored", async () => {
    const a = await app((h, res) =>
      h.path === "/voice"
        ? xml(res, `<Response><StartRecording recordingAvailableUrl="/available" multiChannel="true"/><StartRecording recordingAvailableUrl="/second"/><Pause duration="0.3"/><PauseRecording/><Pause duration="0.3"/><ResumeRecording/><SpeakSentence>hi</SpeakSentence><StopRecording/><Pause duration="0.1"/></Response>`)
        : noContent(res),
    );
    const c = carrier();
    await within(c.placeCall({ appUrl: a.url }).done, 15_000, "call");
    const avail = a.hits.filter((h) => h.path === "/available");
    expect(avail).toHaveLength(1);
    expect(avail[0].json).toMatchObject({ eventType: "recordingAvailable", channels: 2 });
    expect(paths(a)).not.toContain("/second");
  });
});

describe("PlayAudio (§2.10, OPEN-21)", () => {
  it("fetches a relative WAV with Basic credentials and plays it to the caller", async () => {
    const wavBytes = await readFile("fixtures/audio/reply.8k-mulaw.wav");
    const a = await app((h, res) => {
      if (h.path === "/cb/voice") return xml(res, `<Response><PlayAudio username="u" password="p">hello.wav</PlayAudio></Response>`);
      if (h.path === "/cb/hello.wav") {
        res.writeHead(200, { "content-type": "audio/wav" });
        return res.end(wavBytes);
      }
      return noContent(res);
    });
    const r = await within(carrier().placeCall({ appUrl: `${a.base}/cb/voice` }).done, 15_000, "call");
    expect(r.disconnectCause).toBe("hangup");
    const fetchHit = a.hits.find((h) => h.path === "/cb/hello.wav")!;
    expect(fetchHit.headers.authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
    expect(r.timeline.of("http.exchange").find((e) => e.data.role === "audio-fetch")!.data.status).toBe(200);
  });

  it.each([
    ["a .mp3 URL whose bytes are Ogg", "tone.mp3", 200, "application/octet-stream"],
    ["a 404", "missing.wav", 404, "text/plain"],
    ["not a WAV (e.g. ogg bytes)", "clip.ogg", 200, "audio/ogg"],
  ])("%s ends the call application-error", async (_n, file, status, ct) => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><PlayAudio>/${file}</PlayAudio><Pause duration="5"/></Response>`);
      res.writeHead(status, { "content-type": ct });
      res.end("OggS\u0000junk");
    });
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("application-error");
    expect(r.errorMessage).toContain(file);
  });
});

describe("Transfer (§2.27–2.29)", () => {
  it("answered: transferAnswer on the B-leg (its reply runs there), transferDisconnect, then transferComplete on the A-leg", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice")
        return xml(res, `<Response><Transfer transferCompleteUrl="/complete" transferCallerId="+15550000001"><PhoneNumber transferAnswerUrl="/answer" transferDisconnectUrl="/tdisc" tag="b">+15557770150</PhoneNumber></Transfer></Response>`);
      if (h.path === "/answer") return xml(res, `<Response><SpeakSentence>whisper</SpeakSentence></Response>`);
      if (h.path === "/complete") return xml(res, `<Response><Hangup/></Response>`);
      return noContent(res);
    });
    const c = carrier();
    const h = c.placeCall({ appUrl: a.url, farEnds: { "+15557770150": { outcome: "answer", ringMs: 100, hangupAfterMs: 600 } } });
    const r = await within(h.done, 15_000, "call");
    expect(r.disconnectCause).toBe("hangup");
    const ans = body(a, "/answer");
    expect(ans).toMatchObject({ eventType: "transferAnswer", direction: "outbound", parentCallId: h.callId, transferCallerId: "+15550000001", transferTo: "+15557770150", tag: "b" });
    expect(ans.callId).toMatch(ID_PATTERNS.callId);
    expect(ans.callId).not.toBe(h.callId);
    const td = (await a.waitFor((x) => x.path === "/tdisc")).json!;
    expect(td).toMatchObject({ eventType: "transferDisconnect", cause: "hangup", parentCallId: h.callId, callId: ans.callId });
    expect(td.endTime).toMatch(ISO);
    expect(body(a, "/complete")).toMatchObject({ eventType: "transferComplete", callId: h.callId, cause: "hangup", transferTo: "+15557770150" });
    expect(paths(a).indexOf("/tdisc")).toBeLessThan(paths(a).indexOf("/complete"));
  });

  it("busy: transferDisconnect busy and transferComplete busy; no transferAnswer", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><Transfer transferCompleteUrl="/complete"><PhoneNumber transferAnswerUrl="/answer" transferDisconnectUrl="/tdisc">+15557770151</PhoneNumber></Transfer></Response>`);
      if (h.path === "/complete") return xml(res, `<Response/>`);
      return noContent(res);
    });
    await within(carrier().placeCall({ appUrl: a.url, farEnds: { "*": { outcome: "busy", ringMs: 50 } } }).done, 10_000, "call");
    expect(paths(a)).not.toContain("/answer");
    expect((await a.waitFor((x) => x.path === "/tdisc")).json!.cause).toBe("busy");
    expect(body(a, "/complete").cause).toBe("busy");
  });

  it("a transferAnswer reply with a forbidden verb ends the B-leg invalid-bxml (OPEN-15)", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><Transfer transferCompleteUrl="/complete"><PhoneNumber transferAnswerUrl="/answer">+15557770152</PhoneNumber></Transfer></Response>`);
      if (h.path === "/answer") return xml(res, `<Response><Transfer><PhoneNumber>+15550001111</PhoneNumber></Transfer></Response>`);
      return xml(res, "<Response/>");
    });
    await within(carrier().placeCall({ appUrl: a.url, farEnds: { "*": { ringMs: 50 } } }).done, 10_000, "call");
    expect(body(a, "/complete").cause).toBe("invalid-bxml");
  });
});

describe("Bridge (§2.2)", () => {
  /** A call on `/target` (running its Pause), then one on `/bridger` that bridges it. */
  async function bridged(base: string) {
    const c = carrier();
    const target = c.placeCall({ appUrl: `${base}/target` });
    await until(() => c.timeline.of("verb.start", target.callId).length > 0, 10_000, "the target's Pause");
    const bridger = c.placeCall({ appUrl: `${base}/bridger?t=${target.callId}` });
    await until(() => c.calls.get(target.callId)!.peer !== undefined, 10_000, "the bridge");
    return { target, bridger };
  }

  it("the target leaving first sends only bridgeComplete (runs on this call)", async () => {
    const a = await app((h, res) => {
      if (h.path === "/target") return xml(res, `<Response><Pause duration="60"/></Response>`);
      if (h.path === "/bridger") return xml(res, `<Response><Bridge bridgeCompleteUrl="/bc" bridgeTargetCompleteUrl="/btc">${h.query.get("t") ?? ""}</Bridge></Response>`);
      if (h.path === "/bc") return xml(res, `<Response><Hangup/></Response>`);
      return noContent(res);
    });
    const { target, bridger } = await bridged(a.base);
    target.hangup();
    await within(bridger.done, 10_000, "bridger");
    expect(body(a, "/bc")).toMatchObject({ eventType: "bridgeComplete", callId: bridger.callId });
    expect(paths(a)).not.toContain("/btc");
    const tr = await target.done;
    expect(tr.timeline.of("verb.end")[0].data.outcome).toBe("interrupted"); // its Pause was cancelled
  });

  it("this call leaving first sends only bridgeTargetComplete, whose reply runs on the target", async () => {
    const a = await app((h, res) => {
      if (h.path === "/target") return xml(res, `<Response><Pause duration="60"/></Response>`);
      if (h.path === "/bridger") return xml(res, `<Response><Bridge bridgeCompleteUrl="/bc" bridgeTargetCompleteUrl="/btc">${h.query.get("t")}</Bridge></Response>`);
      if (h.path === "/btc") return xml(res, `<Response><Tag>after-bridge</Tag><Hangup/></Response>`);
      return noContent(res);
    });
    const { target, bridger } = await bridged(a.base);
    bridger.hangup();
    const tr = await within(target.done, 10_000, "target");
    expect(body(a, "/btc")).toMatchObject({ eventType: "bridgeTargetComplete", callId: target.callId });
    expect(paths(a)).not.toContain("/bc");
    expect(tr.timeline.of("verb.start").map((e) => e.data.verb)).toEqual(["Pause", "Tag", "Hangup"]);
  });

  it("an unknown target → bridgeComplete with cause and errorMessage", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><Bridge bridgeCompleteUrl="/bc">c-00000000-00000000-0000-4000-8000-000000000000</Bridge></Response>`);
      return xml(res, "<Response/>");
    });
    await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    const bc = body(a, "/bc");
    expect(bc.cause).toBe("unknown");
    expect(String(bc.errorMessage)).toMatch(/not active/);
    expect(bc.errorId).toBeDefined();
  });
});

describe("Conference (§2.3, §2.30)", () => {
  it("created → member join → conference BXML runs → member exit → completed", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><Conference conferenceEventUrl="/conf" tag="room-tag">room1</Conference></Response>`);
      if (h.path === "/conf" && h.json?.eventType === "conferenceMemberJoin") return xml(res, `<Response><SpeakSentence>welcome</SpeakSentence></Response>`);
      if (h.path === "/conf" && h.json?.eventType === "conferenceCreated") return xml(res, `<Response><Hangup/></Response>`); // rejected as a whole
      return noContent(res);
    });
    const h = carrier().placeCall({ appUrl: a.url });
    await a.waitFor((x) => x.json?.eventType === "conferenceMemberJoin");
    await new Promise((r) => setTimeout(r, 300));
    h.hangup();
    const r = await within(h.done, 10_000, "call");
    await a.waitFor((x) => x.json?.eventType === "conferenceCompleted");
    const evs = a.hits.filter((x) => x.path === "/conf").map((x) => x.json!);
    expect(evs.map((e) => e.eventType)).toEqual(["conferenceCreated", "conferenceMemberJoin", "conferenceMemberExit", "conferenceCompleted"]);
    expect(evs[0].conferenceId).toMatch(ID_PATTERNS.conferenceId);
    expect(evs[0]).toMatchObject({ name: "room1", tag: "room-tag" });
    expect(evs[1]).toMatchObject({ callId: h.callId, from: "+15557770100" });
    expect(r.timeline.of("finding").some((f) => f.data.code === "conference.invalid-bxml")).toBe(true);
  });
});

describe("Refer (§2.13, OPEN-16)", () => {
  it("on a non-SIP call the REFER fails: referComplete's reply runs", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><Refer referCompleteUrl="/rc"><SipUri>sip:agent@example.com</SipUri></Refer></Response>`);
      return xml(res, `<Response><Tag>after</Tag></Response>`);
    });
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(body(a, "/rc")).toMatchObject({ eventType: "referComplete", referCallStatus: "failure", referSipResponseCode: 405 });
    expect(r.timeline.of("verb.start").map((e) => e.data.verb)).toEqual(["Refer", "Tag"]);
  });

  it("on an inbound SIP-URI call it succeeds: the call ends and referComplete's reply is ignored", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><Refer referCompleteUrl="/rc"><SipUri>sip:agent@example.com</SipUri></Refer><Tag>never</Tag></Response>`);
      return xml(res, `<Response><Pause duration="30"/></Response>`);
    });
    const r = await within(carrier().placeCall({ appUrl: a.url, to: "sip:bot@example.com" }).done, 10_000, "call");
    await a.waitFor((x) => x.path === "/rc");
    expect(body(a, "/rc")).toMatchObject({ referCallStatus: "success", notifySipResponseCode: 200 });
    expect(r.timeline.of("verb.start").map((e) => e.data.verb)).toEqual(["Refer"]);
    expect(r.disconnectCause).toBe("hangup");
  });
});

describe("StartTranscription / StopTranscription (§2.23)", () => {
  it("streams fixture lines to destination and sends Started / Stopped / Available", async () => {
    const w = await ws();
    const a = await app((h, res) =>
      h.path === "/voice"
        ? xml(res, `<Response><StartTranscription name="tx" destination="${w.url}" transcriptionEventUrl="/tx" tracks="both"><CustomParam name="k" value="v"/></StartTranscription><Pause duration="0.6"/><StopTranscription name="tx"/><Pause duration="0.1"/></Response>`)
        : noContent(res),
    );
    await within(carrier().placeCall({ appUrl: a.url, transcript: [{ track: "inbound", atMs: 100, text: "hello there" }] }).done, 10_000, "call");
    const msgs = w.messages.map((m) => JSON.parse(m.text));
    expect(msgs.map((m) => m.eventType)).toEqual(["start", "transcription", "stop"]);
    expect(msgs[0].customParams).toEqual({ k: "v" });
    expect(msgs[0].metadata.realTimeTranscriptionId).toMatch(ID_PATTERNS.transcriptionId);
    expect(msgs[1]).toMatchObject({ track: "inbound", transcript: "hello there", isPartial: false });
    expect(msgs[1].items).toHaveLength(2);
    await a.waitFor((x) => x.json?.eventType === "realTimeTranscriptionAvailable");
    const evs = a.hits.filter((x) => x.path === "/tx").map((x) => x.json!.eventType);
    expect(evs).toEqual(["realTimeTranscriptionStarted", "realTimeTranscriptionStopped", "realTimeTranscriptionAvailable"]);
  });
});

describe("Forward (§2.5, OPEN-16)", () => {
  it("on an answered call → application-error", async () => {
    const a = await app((_h, res) => xml(res, `<Response><Pause duration="0.1"/><Forward to="+15550001111"/></Response>`));
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("application-error");
  });

  it("unanswered: passed on; the app controls neither leg; disconnect when the far end hangs up", async () => {
    const a = await app((h, res) => (h.path === "/voice" ? xml(res, `<Response><Forward to="+15550001111"/><Tag>never</Tag></Response>`) : noContent(res)));
    const c = carrier();
    c.settings.statusCallbackUrl = `${a.base}/status`;
    const r = await within(c.placeCall({ appUrl: a.url, farEnds: { "+15550001111": { ringMs: 50, hangupAfterMs: 200 } } }).done, 10_000, "call");
    expect(r.timeline.of("verb.start").map((e) => e.data.verb)).toEqual(["Forward"]);
    expect(body(a, "/status")).toMatchObject({ eventType: "disconnect", cause: "hangup" });
  });
});

describe("SendDtmf and Ring (§2.14, §2.15)", () => {
  it("play to the caller and take their time", async () => {
    const a = await app((_h, res) => xml(res, `<Response><SendDtmf toneDuration="100" toneInterval="100">12w</SendDtmf><Ring duration="0.2"/></Response>`));
    const c = carrier();
    const h = c.placeCall({ appUrl: a.url });
    const r = await within(h.done, 10_000, "call");
    expect(r.timeline.of("verb.end").map((e) => e.data.outcome)).toEqual(["next", "next"]);
    const heard = c.calls.get(h.callId)!.audio!.outboundPcm();
    expect(heard.some((s) => Math.abs(s) > 1000)).toBe(true);
  });
});

describe("executor registry", () => {
  it("every catalogued verb has an executor, and nothing else has one", () => {
    for (const name of VERB_NAMES) expect(typeof executorFor(name), name).toBe("function");
    expect(Object.keys(EXECUTORS).sort()).toEqual([...VERB_NAMES].sort());
    expect(executorFor("StreamParam")).toBeUndefined();
    expect(executorFor("toString")).toBeUndefined();
  });
});
