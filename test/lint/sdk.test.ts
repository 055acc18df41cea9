// The real client: documents built with the official Node SDK's BXML builders (bandwidth-sdk) lint
// without errors or warnings: every verb and noun it offers, with both roots, compact and pretty.
// The SDK offers no Refer builder (8.x); Refer is covered by the docs fixture instead.
import { Bxml } from "bandwidth-sdk";
import { describe, expect, it } from "vitest";
import { lintBxml } from "../../src/lint.js";

const APP = "https://app.example.com";
const WSS = "wss://bridge.example.com/media?call=c-1&lang=en"; // & → &amp; in the output

type Verb = InstanceType<typeof Bxml.Hangup>;

/** One document per verb: the verb with its attributes (plus what keeps a stream's call up). */
const cases: [string, () => Verb[]][] = [
  ["Bridge", () => [new Bxml.Bridge("c-95ac8d6e-1a31c52e-b38f-4198-93c1-51633ec68f8d", { bridgeCompleteUrl: `${APP}/bridge`, bridgeCompleteMethod: "POST", bridgeTargetCompleteUrl: `${APP}/target`, bridgeTargetCompleteMethod: "GET", username: "u", password: "p", fallbackUsername: "fu", fallbackPassword: "fp", tag: "bridge-1" })]],
  ["Conference", () => [new Bxml.Conference("conf-1", { mute: false, hold: false, callIdsToCoach: "c-1,c-2", conferenceEventUrl: `${APP}/conf`, conferenceEventMethod: "POST", username: "u", password: "p", tag: "t", callbackTimeout: 10 })]],
  ["Connect + Endpoint", () => [new Bxml.Connect({ eventCallbackUrl: `${APP}/connect` }, [new Bxml.Endpoint("e-15ac29a2-1331029c-2cb0-4a07-b215-b22865662d85"), new Bxml.Endpoint("e-2")])]],
  ["Forward", () => [new Bxml.Forward({ to: "+19195551234", from: "+19195554321", callTimeout: 20, diversionTreatment: "stack", diversionReason: "no-answer" })]],
  ["Gather + SpeakSentence + PlayAudio", () => [new Bxml.Gather({ gatherUrl: `${APP}/gather?step=1&try=2`, gatherMethod: "POST", terminatingDigits: "#", maxDigits: 5, interDigitTimeout: 5, firstDigitTimeout: 10, repeatCount: 2, username: "u", password: "p", tag: "menu" }, [new Bxml.SpeakSentence("Press one."), new Bxml.PlayAudio(`${APP}/menu.wav`)])]],
  ["Hangup", () => [new Bxml.Hangup()]],
  ["Pause", () => [new Bxml.Pause({ duration: 2.5 })]],
  ["PauseRecording / ResumeRecording / StopRecording", () => [new Bxml.StartRecording({ recordingAvailableUrl: `${APP}/rec` }), new Bxml.PauseRecording(), new Bxml.ResumeRecording(), new Bxml.StopRecording()]],
  ["PlayAudio", () => [new Bxml.PlayAudio(`${APP}/hello.mp3`, { username: "u", password: "p" })]],
  ["Record", () => [new Bxml.Record({ recordCompleteUrl: `${APP}/rc`, recordCompleteMethod: "POST", recordingAvailableUrl: `${APP}/ra`, transcribe: true, transcriptionAvailableUrl: `${APP}/ta`, username: "u", password: "p", tag: "vm", terminatingDigits: "#", maxDuration: 60, silenceTimeout: 5, fileFormat: "mp3" })]],
  ["Redirect", () => [new Bxml.Redirect({ redirectUrl: `${APP}/next`, redirectMethod: "GET", redirectFallbackUrl: `${APP}/fallback`, username: "u", password: "p", tag: "r" })]],
  ["Ring", () => [new Bxml.Ring({ duration: 5, answerCall: false })]],
  ["SendDtmf", () => [new Bxml.SendDtmf("12w3#", { toneDuration: 300, toneInterval: 400 })]],
  ["SpeakSentence (SSML)", () => [new Bxml.SpeakSentence('Hello <emphasis level="strong">you</emphasis> <break time="1s"/> <lang xml:lang="es-MX">hola</lang>', { voice: "julie" })]],
  ["SpeakSentence (gender, locale)", () => [new Bxml.SpeakSentence("Bonjour", { gender: "male", locale: "fr" })]],
  ["StartGather / StopGather", () => [new Bxml.StartGather({ dtmfUrl: `${APP}/dtmf`, dtmfMethod: "POST", username: "u", password: "p", tag: "g" }), new Bxml.Pause({ duration: 10 }), new Bxml.StopGather()]],
  ["StartRecording", () => [new Bxml.StartRecording({ recordingAvailableUrl: `${APP}/ra`, recordingAvailableMethod: "POST", transcribe: true, transcriptionAvailableUrl: `${APP}/ta`, username: "u", password: "p", tag: "r", fileFormat: "wav", multiChannel: true })]],
  ["StartStream + StreamParam + StopStream wait", () => [
    new Bxml.StartStream({ name: "agent", mode: "bidirectional", tracks: "both", destination: WSS, destinationUsername: "bw", destinationPassword: "secret", streamEventUrl: `${APP}/stream-events`, streamEventMethod: "POST", username: "u", password: "p" }, [new Bxml.StreamParam({ name: "tenant", value: "acme" }), new Bxml.StreamParam({ name: "token", value: "t0k3n" })]),
    new Bxml.StopStream({ name: "agent", wait: true }),
  ]],
  ["StartStream unidirectional + StopStream", () => [new Bxml.StartStream({ name: "fork", tracks: "inbound", destination: WSS }), new Bxml.SpeakSentence("This call is monitored."), new Bxml.StopStream({ name: "fork" })]],
  ["StartTranscription + CustomParam / StopTranscription", () => [
    new Bxml.StartTranscription({ name: "tx", tracks: "both", transcriptionEventUrl: `${APP}/tx`, transcriptionEventMethod: "POST", username: "u", password: "p", destination: "wss://tx.example.com/live", stabilized: true }, [new Bxml.CustomParam({ name: "customer", value: "42" })]),
    new Bxml.Pause({ duration: 30 }),
    new Bxml.StopTranscription({ name: "tx" }),
  ]],
  ["Tag", () => [new Bxml.Tag("my-tag")]],
  ["Transfer + PhoneNumber + SipUri", () => [new Bxml.Transfer({ transferCallerId: "+19195551234", transferCallerDisplayName: "Sales", callTimeout: 30, transferCompleteUrl: `${APP}/tc`, username: "u", password: "p", tag: "t", diversionTreatment: "propagate", diversionReason: "user-busy" }, [
    new Bxml.PhoneNumber("+19195554321", { transferAnswerUrl: `${APP}/ta`, transferDisconnectUrl: `${APP}/td`, tag: "pn", uui: "abc" }),
    new Bxml.SipUri("sip:agent@pbx.example.com", { uui: "93d6f3c0be5845960b744fa28015d8ede84bd1a4;encoding=base64", transferAnswerUrl: `${APP}/ta2` }),
  ])]],
];

describe("documents built with bandwidth-sdk lint clean", () => {
  it("covers every verb and noun the SDK exports", () => {
    const covered = cases.map(([name]) => name).join(" ");
    const offered = Object.keys(Bxml).filter((k) => k !== "Bxml" && k !== "Response");
    for (const verb of offered) expect(covered, verb).toMatch(new RegExp(`\\b${verb}\\b`));
  });

  for (const Root of [Bxml.Response, Bxml.Bxml]) {
    for (const pretty of [false, true]) {
      it.each(cases)(`%s in <${new Root().name}>${pretty ? " (pretty)" : ""}`, (_, build) => {
        const text = new Root(build()).toBxml(pretty ? { prettyPrint: true } : undefined);
        const found = lintBxml(text);
        expect(found, text).toEqual([]);
      });
    }
  }

  it("one document with every verb that may share a document also lints clean", () => {
    const verbs = cases.filter(([n]) => !/^(Forward|Hangup|Redirect|Record|Transfer|Gather|Bridge)/.test(n)).flatMap(([, b]) => b());
    const text = new Bxml.Response(verbs).toBxml();
    expect(lintBxml(text).filter((d) => d.level !== "info")).toEqual([]);
  });

  it("a StartStream the SDK allows without anything after it is the pitfall (stream/no-keepalive)", () => {
    // The SDK validates nothing: it happily builds the anti-pattern of bandwidth.md §3.3.
    const text = new Bxml.Response([new Bxml.StartStream({ name: "a", mode: "bidirectional", destination: WSS })]).toBxml();
    expect(lintBxml(text).map((d) => [d.ruleId, d.level])).toEqual([["stream/no-keepalive", "error"]]);
  });

  it("the SDK leaves destination optional (SDK only); the platform requires it (OPEN-3)", () => {
    const text = new Bxml.Response([new Bxml.StartStream({ name: "a" }), new Bxml.StopStream({ name: "a", wait: true })]).toBxml();
    expect(lintBxml(text).map((d) => d.ruleId)).toEqual(["bxml/missing-required-attribute"]);
  });
});
