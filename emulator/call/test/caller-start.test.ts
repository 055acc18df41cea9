// ED-12: when the scripted caller starts speaking. By default with the first stream's `start` frame,
// so the app's socket receives the whole file from its first `media` frame; `callerStartsAt: "answer"`
// runs the caller on the call's clock from answer, so the frames ticked before the stream connected
// are never streamed (as on a live call). Real loopback HTTP + WebSocket; the audio compared byte for byte.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeMulaw } from "../../media/mulaw.js";
import { concat, silence, speechLike } from "../../media/synth.js";
import { writeWav } from "../../media/wav.js";
import type { CarrierSettings } from "../types.js";
import { app, carrier, ws } from "./harness.js";
import { noContent, within, xml } from "./servers.js";

let dir: string;
let wav: string;
/** The caller's file as the μ-law bytes a PCMU stream carries. */
let expected: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bwemu-caller-start-"));
  // Speech from the very first sample (a missing first frame shows), then a quiet tail.
  const pcm = concat(speechLike(600, 8000, 5, 0.5), silence(200, 8000));
  wav = join(dir, "caller.wav");
  await writeFile(wav, writeWav(pcm, 8000));
  expected = encodeMulaw(pcm);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** One call whose app streams the inbound track; returns the μ-law bytes its socket received, in order. */
async function received(settings: Partial<CarrierSettings>): Promise<{ bytes: Uint8Array; starts: { frame: number; why: string }[] }> {
  const w = await ws();
  const a = await app((h, res) => (h.path === "/voice" ? xml(res, `<Response><StartStream destination="${w.url}"/><Pause duration="2"/></Response>`) : noContent(res)));
  const c = carrier({ settings });
  const r = await within(c.placeCall({ appUrl: a.url, caller: { wav } }).done, 15_000, "call");
  expect(r.disconnectCause).toBe("hangup");
  const frames = w.messages.map((m) => JSON.parse(m.text) as { eventType?: string; payload?: string });
  expect(frames[0].eventType).toBe("start");
  const media = frames.filter((f) => f.eventType === "media").map((f) => Buffer.from(f.payload!, "base64"));
  const starts = r.timeline.of("caller.start").map((e) => e.data);
  return { bytes: new Uint8Array(Buffer.concat(media)), starts };
}

describe("when the caller starts speaking (ED-12)", () => {
  it("by default the app receives the whole file, from its first media frame", async () => {
    const { bytes, starts } = await received({});
    expect(bytes.length).toBeGreaterThanOrEqual(expected.length);
    expect(Buffer.compare(Buffer.from(bytes.subarray(0, expected.length)), Buffer.from(expected))).toBe(0);
    expect(starts).toHaveLength(1);
    expect(starts[0].why).toBe("stream-start");
  });

  it("callerStartsAt answer: the frames before the stream connected are lost, the rest arrives in order", async () => {
    const { bytes, starts } = await received({ callerStartsAt: "answer" });
    expect(starts).toEqual([]);
    expect(Buffer.compare(Buffer.from(bytes.subarray(0, 160)), Buffer.from(expected.subarray(0, 160)))).not.toBe(0);
    // Whole frames went unsent: the stream's audio is the file from a later frame on.
    const lost = [...Array(expected.length / 160).keys()].find((k) => Buffer.compare(Buffer.from(bytes.subarray(0, 160)), Buffer.from(expected.subarray(k * 160, k * 160 + 160))) === 0);
    expect(lost).toBeGreaterThanOrEqual(1);
    const rest = expected.subarray(lost! * 160);
    expect(Buffer.compare(Buffer.from(bytes.subarray(0, rest.length)), Buffer.from(rest))).toBe(0);
  });
});
