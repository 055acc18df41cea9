// media-stream-codec: exact frames (bandwidth.md §4.2–4.5) and app-message validation (§4.6, OPEN-9/10).
import { describe, expect, it } from "vitest";
import {
  decodeBase64Strict,
  decodePlayAudio,
  encodeMedia,
  encodeStart,
  encodeStop,
  matchContentType,
  parseAppMessage,
  playAudioPcmu,
  PlayAudioError,
} from "../../protocol/media-stream-codec.js";
import { PLAY_AUDIO_CONTENT_TYPES, type StreamMetadata } from "../../protocol/media-stream.js";

const metadata: StreamMetadata = {
  accountId: "5550001",
  callId: "c-4d1e7a90-8b2f0c3d-5e6a-4b7c-9d8e-1f2a3b4c5d6e",
  streamId: "s-4d1e7a90-0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d",
  streamName: "agent",
  // deliberately outbound first: the encoder must put inbound first
  tracks: [
    { name: "outbound", mediaFormat: { encoding: "PCMU", sampleRate: 8000 } },
    { name: "inbound", mediaFormat: { encoding: "PCMU", sampleRate: 8000 } },
  ],
};
const META =
  '{"accountId":"5550001","callId":"c-4d1e7a90-8b2f0c3d-5e6a-4b7c-9d8e-1f2a3b4c5d6e","streamId":"s-4d1e7a90-0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d","streamName":"agent","tracks":[{"name":"inbound","mediaFormat":{"encoding":"PCMU","sampleRate":8000}},{"name":"outbound","mediaFormat":{"encoding":"PCMU","sampleRate":8000}}]}';

describe("encoders", () => {
  it("start: eventType last (live order), streamParams only when present", () => {
    expect(encodeStart({ eventType: "start", metadata, streamParams: { tenant: "acme", ticket: "42" } }, { eventTypeLast: true })).toBe(
      `{"metadata":${META},"streamParams":{"tenant":"acme","ticket":"42"},"eventType":"start"}`,
    );
    expect(encodeStart({ eventType: "start", metadata }, { eventTypeLast: true })).toBe(`{"metadata":${META},"eventType":"start"}`);
    expect(encodeStart({ eventType: "start", metadata, streamParams: {} }, { eventTypeLast: true })).toBe(`{"metadata":${META},"eventType":"start"}`);
  });
  it("start: natural order (docs) when eventTypeLast is off", () => {
    expect(encodeStart({ eventType: "start", metadata, streamParams: { a: "1" } }, { eventTypeLast: false })).toBe(
      `{"eventType":"start","metadata":${META},"streamParams":{"a":"1"}}`,
    );
  });
  it("start: streamParams keep their order and any text, escaped as JSON", () => {
    const params = Object.fromEntries([
      ["__proto__", "p"],
      ["z", 'quote " and \\ backslash'],
      ["a", "é ✓"],
    ]);
    const text = encodeStart({ eventType: "start", metadata, streamParams: params }, { eventTypeLast: true });
    expect(text).toContain(`"streamParams":{"__proto__":"p","z":"quote \\" and \\\\ backslash","a":"é ✓"}`);
    expect(Object.keys(JSON.parse(text).streamParams)).toEqual(["__proto__", "z", "a"]);
  });
  it("media: track, payload, string sequenceNumber, nothing else", () => {
    const payload = Buffer.alloc(160, 0xff).toString("base64");
    expect(payload).toBe(`${"/".repeat(212)}/w==`);
    expect(encodeMedia({ eventType: "media", track: "inbound", payload, sequenceNumber: "1" }, { eventTypeLast: true })).toBe(
      `{"track":"inbound","payload":"${payload}","sequenceNumber":"1","eventType":"media"}`,
    );
    expect(encodeMedia({ eventType: "media", track: "outbound", payload, sequenceNumber: "17" }, { eventTypeLast: false })).toBe(
      `{"eventType":"media","track":"outbound","payload":"${payload}","sequenceNumber":"17"}`,
    );
    const parsed = JSON.parse(encodeMedia({ eventType: "media", track: "inbound", payload, sequenceNumber: "3" }, { eventTypeLast: true }));
    expect(parsed).toEqual({ eventType: "media", track: "inbound", payload, sequenceNumber: "3" });
  });
  it("stop: same metadata as start, never streamParams", () => {
    expect(encodeStop({ eventType: "stop", metadata }, { eventTypeLast: true })).toBe(`{"metadata":${META},"eventType":"stop"}`);
    expect(encodeStop({ eventType: "stop", metadata }, { eventTypeLast: false })).toBe(`{"eventType":"stop","metadata":${META}}`);
  });
});

describe("strict base64", () => {
  it.each([
    ["", 0],
    ["QQ==", 1],
    ["QUI=", 2],
    ["QUJD", 3],
  ])("accepts %j", (s, n) => {
    const r = decodeBase64Strict(s);
    expect(r.ok && r.bytes.length).toBe(n);
  });
  it.each([
    ["QQ=", "padding"],
    ["Q===", "cannot encode whole bytes"],
    ["QUJD====", "'=' padding"],
    ["QU=D", "'=' before the end"],
    ["QU JD", '" " at offset 2'],
    ["QUJD\n", '"\\n" at offset 4'],
    ["QU-_", '"-" at offset 2'],
    ["QUJ", "missing '=' padding"],
    ["ä===", "offset 0"],
  ])("rejects %j with a located message", (s, msg) => {
    const r = decodeBase64Strict(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.detail).toContain(msg);
  });
  it("unpadded is accepted only when allowed", () => {
    expect(decodeBase64Strict("QUI", true)).toMatchObject({ ok: true });
    expect(decodeBase64Strict("QUI", false)).toMatchObject({ ok: false });
  });
});

describe("content types", () => {
  it("the four canonical spellings match exactly", () => {
    for (const ct of PLAY_AUDIO_CONTENT_TYPES) expect(matchContentType(ct)).toEqual({ contentType: ct, exact: true });
  });
  it("outer whitespace is trimmed but flagged as not exact", () => {
    expect(matchContentType("  audio/pcmu ")).toEqual({ contentType: "audio/pcmu", exact: false });
    expect(matchContentType("  audio/pcmu ", "exact")).toEqual({ contentType: "audio/pcmu", exact: false });
  });
  it("MIME rules (default): case, inner whitespace, parameter order, quotes", () => {
    expect(matchContentType("Audio/PCMU")?.contentType).toBe("audio/pcmu");
    expect(matchContentType('audio/pcm; rate=24000; channels=1; encoding="signed"; bit-depth=16; endian=little')?.contentType).toBe(
      "audio/pcm;rate=24000;channels=1;bit-depth=16;endian=little;encoding=signed",
    );
    expect(matchContentType("Audio/PCMU", "exact")).toBeUndefined();
  });
  it("short forms and other codecs are unknown (OPEN-10)", () => {
    expect(matchContentType("audio/pcm;rate=24000")).toBeUndefined();
    expect(matchContentType("audio/pcm;rate=44100;channels=1;bit-depth=16;endian=little;encoding=signed")).toBeUndefined();
    expect(matchContentType("audio/x-mulaw")).toBeUndefined();
    expect(matchContentType("")).toBeUndefined();
  });
});

const pa = (contentType: unknown, payload: unknown) => JSON.stringify({ eventType: "playAudio", media: { contentType, payload } });

describe("parseAppMessage", () => {
  it("accepts playAudio audio/pcmu and exposes the raw μ-law bytes", () => {
    const bytes = Buffer.from([0x00, 0x7f, 0x80, 0xff, 0x12]);
    const r = parseAppMessage(pa("audio/pcmu", bytes.toString("base64")));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.msg.eventType).toBe("playAudio");
    expect(Buffer.from(r.audio!.bytes)).toEqual(bytes);
    expect(r.audio!.samples).toBe(5);
    expect(r.audio!.durationMs).toBeCloseTo(5 / 8);
  });
  it("accepts clear, with extra fields", () => {
    expect(parseAppMessage('{"eventType":"clear"}')).toEqual({ ok: true, msg: { eventType: "clear" } });
    expect(parseAppMessage('{"eventType":"clear","streamSid":"x","n":1}')).toEqual({ ok: true, msg: { eventType: "clear" } });
  });
  it.each([
    ["{not json", "not-json"],
    ["[1,2]", "not-object"],
    ['"playAudio"', "not-object"],
    ["null", "not-object"],
    ['{"event":"clear"}', "missing-event-type"],
    ['{"eventType":5}', "bad-field-type"],
    ['{"eventType":"mark","mark":{"name":"x"}}', "unknown-event"],
    ['{"eventType":"media","media":{}}', "unknown-event"],
    ['{"eventType":"playAudio"}', "missing-field"],
    ['{"eventType":"playAudio","media":"x"}', "bad-field-type"],
    ['{"eventType":"playAudio","media":{"payload":""}}', "missing-field"],
    ['{"eventType":"playAudio","media":{"contentType":"audio/pcmu"}}', "missing-field"],
    [pa(7, ""), "bad-field-type"],
    [pa("audio/pcmu", 7), "bad-field-type"],
    [pa("audio/pcm;rate=24000", "AAAA"), "bad-content-type"],
    [pa("audio/pcmu", "!!!!"), "bad-base64"],
    [pa("audio/pcmu", "AAA"), "bad-base64"],
    [pa("audio/pcm;rate=16000;channels=1;bit-depth=16;endian=little;encoding=signed", "AAAA"), "odd-byte-count"],
  ])("%s → %s", (text, problem) => {
    const r = parseAppMessage(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toBe(problem);
      expect(r.detail.length).toBeGreaterThan(5);
    }
  });
  it("names the unknown eventType", () => {
    const r = parseAppMessage('{"eventType":"mark"}');
    expect(!r.ok && r.eventType).toBe("mark");
  });
});

describe("decodePlayAudio", () => {
  it("μ-law decodes to 8 kHz PCM and keeps the raw bytes", () => {
    const bytes = Buffer.alloc(160, 0xff);
    bytes[0] = 0x00;
    const msg = { eventType: "playAudio" as const, media: { contentType: "audio/pcmu", payload: bytes.toString("base64") } };
    const pcm = decodePlayAudio(msg);
    expect(pcm.length).toBe(160);
    expect(pcm[0]).toBe(-32124);
    expect(pcm[1]).toBe(0);
    expect(Buffer.from(playAudioPcmu(msg)!)).toEqual(bytes);
  });
  it("PCM 8 kHz passes through; 16/24 kHz are resampled to 8 kHz", () => {
    const mk = (rate: number, n: number) => {
      const s = new Int16Array(n);
      for (let i = 0; i < n; i++) s[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate));
      return { eventType: "playAudio" as const, media: { contentType: `audio/pcm;rate=${rate};channels=1;bit-depth=16;endian=little;encoding=signed`, payload: Buffer.from(s.buffer).toString("base64") } };
    };
    const p8 = decodePlayAudio(mk(8000, 800));
    expect(p8.length).toBe(800);
    expect(p8[10]).toBe(Math.round(8000 * Math.sin((2 * Math.PI * 440 * 10) / 8000)));
    expect(decodePlayAudio(mk(16000, 1600)).length).toBe(800);
    const p24 = decodePlayAudio(mk(24000, 2400));
    expect(p24.length).toBe(800);
    // the middle keeps the tone's amplitude
    const peak = Math.max(...Array.from(p24.subarray(200, 600), Math.abs));
    expect(peak).toBeGreaterThan(7000);
    expect(peak).toBeLessThan(9000);
    expect(playAudioPcmu(mk(8000, 10))).toBeUndefined();
  });
  it("throws PlayAudioError on invalid input", () => {
    expect(() => decodePlayAudio({ eventType: "playAudio", media: { contentType: "audio/wav", payload: "" } })).toThrow(PlayAudioError);
  });
});
