// The catalogue is data: check it is complete (every element of §2) and coherent (parents agree
// with children, defaults satisfy their own type/range/enum, contexts follow §2.30).
import { PUBLIC_PAGES } from "../../references.js";
import { describe, expect, it } from "vitest";
import {
  attributesFor,
  BXML_ELEMENT_NAMES,
  catalogue,
  getSpec,
  ROOT_ELEMENTS,
  SSML_ELEMENT_NAMES,
  suggestElementName,
  TTS_LOCALES,
  TTS_VOICES,
  VERB_NAMES,
} from "../catalogue/index.js";
import { parseNum, typeProblem } from "../value-types.js";

const SECTION_2 = [
  "Bridge", "Conference", "Connect", "Endpoint", "Forward", "Gather", "Hangup", "Pause", "PauseRecording", "ResumeRecording",
  "StopRecording", "PlayAudio", "Record", "Redirect", "Refer", "Ring", "SendDtmf", "SpeakSentence", "StartGather", "StopGather",
  "StartRecording", "StartStream", "StreamParam", "StopStream", "StartTranscription", "StopTranscription", "CustomParam", "Tag",
  "Transfer", "PhoneNumber", "SipUri",
];
const NOUNS = ["Endpoint", "StreamParam", "CustomParam", "PhoneNumber", "SipUri"];

describe("catalogue", () => {
  it("has every element of §2 and the SSML elements of §2.17, nothing else", () => {
    expect([...BXML_ELEMENT_NAMES].sort()).toEqual([...SECTION_2].sort());
    expect(Object.keys(catalogue).sort()).toEqual([...SECTION_2, ...SSML_ELEMENT_NAMES].sort());
    expect([...VERB_NAMES].sort()).toEqual(SECTION_2.filter((n) => !NOUNS.includes(n)).sort());
    expect(ROOT_ELEMENTS).toEqual(["Response", "Bxml"]);
  });

  it("getSpec finds names exactly and is safe against prototype names", () => {
    expect(getSpec("StartStream")!.name).toBe("StartStream");
    expect(getSpec("startStream")).toBeUndefined();
    expect(getSpec("constructor")).toBeUndefined();
    expect(getSpec("__proto__")).toBeUndefined();
  });

  it("every entry links Bandwidth's page for it and names itself", () => {
    for (const [name, spec] of Object.entries(catalogue)) {
      expect(spec.name).toBe(name);
      expect(spec.docs.length, name).toBeGreaterThan(0);
      for (const u of spec.docs) expect(PUBLIC_PAGES.has(u), `${name}: ${u}`).toBe(true);
    }
  });

  it("parents and allowed children agree both ways", () => {
    for (const spec of Object.values(catalogue)) {
      for (const p of spec.parents) {
        if (ROOT_ELEMENTS.includes(p)) continue;
        expect(getSpec(p)!.children.allowed, `${spec.name} in ${p}`).toContain(spec.name);
      }
      for (const c of spec.children.allowed) expect(getSpec(c)!.parents, `${c} under ${spec.name}`).toContain(spec.name);
      // Verbs stand at the root; nouns and SSML never do.
      expect(spec.parents.includes("Response"), spec.name).toBe(spec.kind === "verb");
      expect(spec.parents.includes("Bxml"), spec.name).toBe(spec.kind === "verb");
    }
  });

  it("child counts of §2.0", () => {
    expect(getSpec("StartStream")!.children).toMatchObject({ allowed: ["StreamParam"], max: 12 });
    expect(getSpec("StartTranscription")!.children).toMatchObject({ allowed: ["CustomParam"], max: 12 });
    expect(getSpec("Transfer")!.children).toMatchObject({ min: 1, max: 8 });
    expect(getSpec("Refer")!.children).toMatchObject({ allowed: ["SipUri"], min: 1, max: 1 });
    expect(getSpec("Connect")!.children).toMatchObject({ allowed: ["Endpoint"], min: 1 });
    expect(getSpec("Gather")!.children).toMatchObject({ allowed: ["SpeakSentence", "PlayAudio"], max: 20 });
  });

  it("contexts follow §2.30 and OPEN-15", () => {
    const inContext = (c: string) => VERB_NAMES.filter((n) => getSpec(n)!.contexts.includes(c as never)).sort();
    expect(inContext("initiate")).toEqual([...VERB_NAMES].sort());
    expect(inContext("conference")).toEqual(["PauseRecording", "PlayAudio", "ResumeRecording", "SpeakSentence", "StartRecording", "StopRecording"]);
    expect(inContext("transferAnswer")).toEqual(
      [
        "Gather", "Hangup", "Pause", "PauseRecording", "PlayAudio", "Record", "Redirect", "ResumeRecording", "Ring", "SendDtmf",
        "SpeakSentence", "StartGather", "StartRecording", "StopGather", "StopRecording", "Tag",
        // OPEN-15: stream and transcription verbs allowed
        "StartStream", "StopStream", "StartTranscription", "StopTranscription",
      ].sort(),
    );
  });

  it("every default satisfies its own type, range and enumeration", () => {
    for (const spec of Object.values(catalogue)) {
      for (const [name, as] of Object.entries(spec.attributes)) {
        if (as.default === undefined) continue;
        const where = `${spec.name}@${name}=${as.default}`;
        expect(typeProblem(as.type, as.default), where).toBeUndefined();
        if (as.values && as.type === "ENUM") expect(as.values, where).toContain(as.default);
        const n = parseNum(as.default);
        if (as.type === "NUM" && n !== undefined) {
          if (as.min !== undefined) expect(n, where).toBeGreaterThanOrEqual(as.min);
          if (as.max !== undefined) expect(n, where).toBeLessThanOrEqual(as.max);
        }
        if (as.required) throw new Error(`${where}: a required attribute has no default`);
      }
    }
  });

  it("documented defaults and ranges (spot checks)", () => {
    expect(getSpec("Pause")!.attributes.duration).toMatchObject({ default: "1", min: 0.1, max: 86400 });
    expect(getSpec("Ring")!.attributes.duration).toMatchObject({ default: "5" });
    expect(getSpec("Gather")!.attributes.maxDigits).toMatchObject({ default: "50", min: 1, max: 50 });
    expect(getSpec("Conference")!.attributes.callbackTimeout).toMatchObject({ min: 1, max: 25 });
    expect(getSpec("Transfer")!.attributes.callTimeout).toMatchObject({ default: "30", min: 1, max: 300 });
    expect(getSpec("StartStream")!.attributes.destination).toMatchObject({ type: "WSURI", required: true });
    expect(getSpec("StartStream")!.attributes.mode).toMatchObject({ default: "unidirectional", values: ["unidirectional", "bidirectional"] });
    expect(getSpec("StopStream")!.attributes.name.required).toBe(true);
    expect(getSpec("StopTranscription")!.attributes.name.required).toBeUndefined();
    expect(getSpec("StreamParam")!.attributes.name).toMatchObject({ required: true, maxLength: 256 });
    expect(getSpec("StreamParam")!.attributes.value).toMatchObject({ required: true, maxLength: 2048 });
    expect(getSpec("Record")!.attributes.terminatingDigits.default).toBe("#");
    expect(getSpec("SendDtmf")!.text).toMatchObject({ required: true, maxLength: 50, trim: true });
    expect(getSpec("Conference")!.text).toMatchObject({ required: true, maxLength: 100, kind: "conference-name" });
  });

  it("every verb with a `tag` attribute is the §1.6 list", () => {
    const withTag = Object.values(catalogue).filter((s) => "tag" in s.attributes).map((s) => s.name).sort();
    expect(withTag).toEqual(["Bridge", "Conference", "Gather", "PhoneNumber", "Record", "Redirect", "Refer", "SipUri", "StartGather", "StartRecording", "Transfer"]);
  });

  it("replacesDocumentVia names the §1.4 BXML-requesting URLs", () => {
    const via = Object.fromEntries(Object.values(catalogue).filter((s) => s.replacesDocumentVia).map((s) => [s.name, s.replacesDocumentVia]));
    expect(via).toEqual({
      Gather: ["gatherUrl"],
      Record: ["recordCompleteUrl"],
      Transfer: ["transferCompleteUrl"],
      Bridge: ["bridgeCompleteUrl"],
      Redirect: ["redirectUrl"],
      Refer: ["referCompleteUrl"],
    });
    for (const [name, attrs] of Object.entries(via)) for (const a of attrs!) expect(getSpec(name)!.attributes[a].type).toBe("URL");
  });

  it("known misspellings point at documented attributes and are not themselves documented", () => {
    const all: Record<string, string> = {};
    for (const spec of Object.values(catalogue)) {
      for (const [wrong, right] of Object.entries(spec.misspellings ?? {})) {
        expect(spec.attributes, `${spec.name}: ${wrong} → ${right}`).toHaveProperty(right);
        expect(Object.hasOwn(spec.attributes, wrong)).toBe(false);
        all[wrong] = right;
      }
    }
    expect(all).toEqual({
      destination_username: "destinationUsername",
      destination_password: "destinationPassword",
      streamEventsUrl: "streamEventUrl",
      calbackTimeout: "callbackTimeout",
      bridgeTargetCompleteFallback_url: "bridgeTargetCompleteFallbackUrl",
      recordCompleteFallback_url: "recordCompleteFallbackUrl",
      recordCompleteFallback_method: "recordCompleteFallbackMethod",
    });
    expect(getSpec("Gather")!.ignoredAttributes).toHaveProperty("input");
    expect(Object.hasOwn(getSpec("Gather")!.attributes, "input")).toBe(false);
  });

  it("SipUri takes no attributes inside Refer", () => {
    const sip = getSpec("SipUri")!;
    expect(attributesFor(sip, "Refer")).toEqual({});
    expect(attributesFor(sip, "Transfer")).toHaveProperty("uui");
  });

  it("voices and locales of §2.16", () => {
    const names = TTS_VOICES.map((v) => v.name);
    for (const v of ["julie", "kate", "susan", "dave", "paul", "bridget", "simon", "katrin", "stefan", "esperanza", "violeta", "jorge", "rosa", "jolie", "bernard", "paola", "luca", "masako", "kenji", "nadiya", "anatoli", "zeina", "zhiyu"]) {
      expect(TTS_VOICES.find((x) => x.name === v)?.origin, v).toBe("documented");
    }
    for (const v of ["ruth", "stephen", "lupe", "pedro", "gabrielle", "liam"]) expect(TTS_VOICES.find((x) => x.name === v)?.origin).toBe("enhanced");
    expect(names).toHaveLength(new Set(names).size);
    expect(names).toHaveLength(23 + 6 + 20);
    for (const v of TTS_VOICES) expect(TTS_LOCALES).toContain(v.locale);
    const speak = getSpec("SpeakSentence")!;
    expect(speak.attributes.voice).toMatchObject({ open: true });
    expect(speak.attributes.locale).toMatchObject({ open: true, default: "en_US" });
    expect(speak.attributes.gender).toMatchObject({ default: "female", values: ["female", "male"] });
  });

  it("suggests the element meant", () => {
    expect(suggestElementName("startStream")).toBe("StartStream");
    expect(suggestElementName("SpeakSentance")).toBe("SpeakSentence");
    expect(suggestElementName("start_stream")).toBe("StartStream");
    expect(suggestElementName("Stream")).toBeUndefined();
    expect(suggestElementName("Foo")).toBeUndefined();
  });
});
