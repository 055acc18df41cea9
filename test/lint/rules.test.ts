// Decisions the pitfall rules make where the spec is silent, pinned down one by one, plus the
// contract of lintBxml (sorting, file, strict, contexts, base URL).
import { describe, expect, it } from "vitest";
import { lintBxml } from "../../src/lint.js";
import type { LintOptions } from "../../src/lint.js";

const doc = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n${body}\n</Response>\n`;
const ids = (body: string, o: LintOptions = {}) => lintBxml(doc(body), o).map((d) => `${d.line}:${d.col} ${d.ruleId}`);
const rule = (body: string, id: string, o: LintOptions = {}) => lintBxml(doc(body), o).filter((d) => d.ruleId === id);
const WS = 'destination="wss://b.example.com/ws"';

describe("stream/no-keepalive: what holds the call", () => {
  it.each([
    ["StopStream wait on the same stream", `<StartStream name="a" ${WS}/><StopStream name="a" wait="true"/>`],
    ["a Pause (pipecat)", `<StartStream ${WS} mode="bidirectional"/><Pause duration="86400"/>`],
    ["other blocking verbs after immediate ones", `<StartStream ${WS}/><Tag>x</Tag><StartRecording/><SpeakSentence>Hi</SpeakSentence>`],
    ["a Redirect (streams survive, ED-5)", `<StartStream ${WS}/><Redirect redirectUrl="https://a.example.com/next"/>`],
    ["a StopStream wait on a stream from an earlier document (s-… id)", `<StartStream name="b" ${WS}/><StopStream name="s-1234" wait="true"/>`],
    ["a StopStream wait on another stream started above", `<StartStream name="x" ${WS}/><StartStream name="y" ${WS}/><StopStream name="x" wait="true"/>`],
    ["Connect (OPEN-17)", `<StartStream ${WS}/><Connect><Endpoint>e-1</Endpoint></Connect>`],
    ["wait in upper case (read case-insensitively, ED-6c)", `<StartStream name="a" ${WS}/><StopStream name="a" wait="TRUE"/>`],
  ])("accepts %s", (_, body) => {
    expect(rule(body, "stream/no-keepalive")).toEqual([]);
  });

  it("errors when StartStream is last; the bidirectional message says the app cannot talk back", () => {
    const [d] = rule(`<StartStream name="a" mode="bidirectional" ${WS}/>`, "stream/no-keepalive");
    expect(d.level).toBe("error");
    expect(d.message).toMatch(/cannot talk back/);
    expect(d.message).toMatch(/<StopStream name="a" wait="true"\/>/);
    const [u] = rule(`<StartStream ${WS}/>`, "stream/no-keepalive");
    expect(u.message).not.toMatch(/talk back/);
    expect(u.message).toMatch(/give it a name/);
  });

  it("errors when only immediate verbs, a StopStream wait on an unknown name, or a Hangup follow", () => {
    expect(rule(`<StartStream ${WS}/><Tag>x</Tag><StopGather/>`, "stream/no-keepalive")).toHaveLength(1);
    expect(rule(`<StartStream name="a" ${WS}/><StopStream name="b" wait="true"/>`, "stream/no-keepalive")).toHaveLength(1);
    expect(rule(`<StartStream ${WS}/><Hangup/><Pause duration="5"/>`, "stream/no-keepalive")[0].message).toMatch(/Hangup/);
  });

  it("warns (not errors) when a StopStream ends the stream before anything holds the call", () => {
    const [d] = rule(`<StartStream name="a" ${WS}/><StopStream name="a"/><Pause duration="5"/>`, "stream/no-keepalive");
    expect(d.level).toBe("warning");
  });

  it("does not apply to a transferAnswer reply: when it ends, the legs are bridged (no hang-up)", () => {
    expect(rule(`<StartStream name="a" ${WS}/>`, "stream/no-keepalive", { context: "transferAnswer" })).toEqual([]);
  });

  it("leaves a stream the carrier would reject (duplicate) to stream/duplicate-name", () => {
    const found = ids(`<StartStream name="a" ${WS}/><StartStream name="a" ${WS}/><StopStream name="a" wait="true"/>`);
    expect(found.filter((x) => x.endsWith("stream/no-keepalive"))).toEqual([]);
    expect(found.filter((x) => x.endsWith("stream/duplicate-name"))).toHaveLength(1);
  });
});

describe("other pitfalls", () => {
  it("a stopped stream name may be reused (OPEN-12) and StopTranscription without a name stops all", () => {
    expect(rule(`<StartStream name="a" ${WS}/><Pause/><StopStream name="a"/><StartStream name="a" ${WS}/><Pause/>`, "stream/duplicate-name")).toEqual([]);
    expect(rule(`<StartTranscription name="t"/><StopTranscription/><StartTranscription name="t"/><Pause/>`, "transcription/duplicate-name")).toEqual([]);
  });

  it("counts tracks: both = 2, default inbound = 1, exactly 4 is fine", () => {
    expect(rule(`<StartStream tracks="both" ${WS}/><StartStream ${WS}/><StartStream tracks="outbound" ${WS}/><Pause/>`, "stream/track-limit")).toEqual([]);
    expect(rule(`<StartStream tracks="both" ${WS}/><StartStream tracks="both" ${WS}/><StartStream ${WS}/><Pause/>`, "stream/track-limit")).toHaveLength(1);
  });

  it("suggests the documented spelling for snake case and typos", () => {
    const [d] = rule(`<StartStream name="a" ${WS} destination_username="u"/><StopStream name="a" wait="true"/>`, "bxml/unknown-attribute");
    expect(d.message).toMatch(/destinationUsername/);
    expect(d.message).toMatch(/no Basic credentials/);
    const [t] = rule(`<Gather gatherUrl="https://a.example.com/g" maxDigit="3"/>`, "bxml/unknown-attribute");
    expect(t.message).toMatch(/Did you mean maxDigits\?/);
    const [c] = rule(`<Record record_complete_url="https://a.example.com/r"/>`, "bxml/unknown-attribute");
    expect(c.message).toMatch(/recordCompleteUrl/);
  });

  it("ignores namespace declarations and judges SSML attributes with the catalogue", () => {
    expect(rule(`<SpeakSentence xmlns:x="urn:x">Hi <break time="1s"/> <emphasis level="strong">you</emphasis></SpeakSentence>`, "bxml/unknown-attribute")).toEqual([]);
    expect(rule(`<SpeakSentence>Hi <break tme="1s"/></SpeakSentence>`, "bxml/unknown-attribute")).toHaveLength(1);
  });

  it("relative URLs are info without a base URL and silent with one", () => {
    const body = `<PlayAudio>/a.wav</PlayAudio><Redirect redirectUrl="next"/>`;
    const without = rule(body, "bxml/relative-url");
    expect(without.map((d) => d.level)).toEqual(["info", "info"]);
    expect(rule(body, "bxml/relative-url", { baseUrl: "https://app.example.com/answer" })).toEqual([]);
  });

  it("credentials need https only where §1.7 says so, and only when the scheme is knowable", () => {
    expect(rule(`<Gather gatherUrl="http://a.example.com/g" username="u" password="p"/>`, "bxml/credentials-need-https")).toEqual([]);
    const rel = `<StartRecording recordingAvailableUrl="/r" username="u" password="p"/><Pause/>`;
    expect(rule(rel, "bxml/credentials-need-https")).toEqual([]);
    expect(rule(rel, "bxml/credentials-need-https", { baseUrl: "https://a.example.com/x" })).toEqual([]);
    expect(rule(rel, "bxml/credentials-need-https", { baseUrl: "http://a.example.com/x" })).toHaveLength(1);
  });

  it("redirect/loop only with a base URL, ignoring the fragment", () => {
    const body = `<Redirect redirectUrl="/answer#again"/>`;
    expect(rule(body, "redirect/loop")).toEqual([]);
    expect(rule(body, "redirect/loop", { baseUrl: "https://a.example.com/answer" })).toHaveLength(1);
    expect(rule(body, "redirect/loop", { baseUrl: "https://a.example.com/other" })).toEqual([]);
  });

  it("Forward after Tag or Ring answerCall=false is fine; not judged outside initiate documents", () => {
    expect(rule(`<Tag>a</Tag><Ring answerCall="false"/><Forward to="+15555550100"/>`, "forward/answered-call")).toEqual([]);
    expect(rule(`<Pause/><Forward to="+15555550100"/>`, "forward/answered-call", { context: "transferAnswer" })).toEqual([]);
  });

  it("voices and locales compare case-insensitively; unknown ones warn", () => {
    expect(rule(`<SpeakSentence voice="kate" locale="en_us">Hi</SpeakSentence>`, "speak/unknown-voice")).toEqual([]);
    expect(rule(`<SpeakSentence voice="nova">Hi</SpeakSentence>`, "speak/unknown-voice")).toHaveLength(1);
  });
});

describe("lintBxml contract", () => {
  it("sorts by position, copies the file, and promotes warnings with strict", () => {
    const text = doc(`<StartStream name="a" destination="ws://x.example.com/ws" trakcs="both"/><Pause/>`);
    const plain = lintBxml(text, { file: "answer.xml" });
    expect(plain.map((d) => d.ruleId)).toEqual(["stream/insecure-destination", "bxml/unknown-attribute"]);
    expect(plain.every((d) => d.file === "answer.xml" && d.level === "warning")).toBe(true);
    expect(lintBxml(text, { strict: true }).every((d) => d.level === "error")).toBe(true);
  });

  it("accepts bytes and strings alike, BOM included, with unshifted positions", () => {
    const text = doc(`<StartStream ${WS}/>`);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expect(lintBxml(bom)).toEqual(lintBxml(text));
    expect(lintBxml(Buffer.from(text))).toEqual(lintBxml(text));
  });

  it("judges context: conference BXML allows only six verbs", () => {
    const body = `<SpeakSentence>Hi</SpeakSentence><StartStream ${WS}/><Pause/>`;
    expect(ids(body, { context: "conference" }).some((x) => x.endsWith("bxml/context-forbidden"))).toBe(true);
    expect(ids(body).some((x) => x.endsWith("bxml/context-forbidden"))).toBe(false);
  });

  it("an HTML error page gets one wrong-root diagnostic, not a list of unknown verbs", () => {
    expect(lintBxml("<html><body><p>oops</p></body></html>").map((d) => d.ruleId)).toEqual(["bxml/wrong-root"]);
  });

  it("never throws on hostile input", () => {
    for (const input of ["", "<", "<Response>", "\u0000\u0001", "<Response><Pause duration='1'/>", "<?xml?><Response/>", "<Response>&unknown;</Response>"]) {
      expect(() => lintBxml(input)).not.toThrow();
      expect(lintBxml(input).length).toBeGreaterThan(0);
    }
  });
});
