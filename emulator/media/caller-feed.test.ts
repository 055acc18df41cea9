// Caller feed timing (openai-realtime.md §12.3.4) with a deterministic play-out model, and loading
// caller audio / scripts from the fixtures (caller-feed.ts, caller-script.ts).
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CallerUtterance } from "../call/types.js";
import { CallerAudioError, readCallerScriptFile, validateCallerAudio } from "./caller-script.js";
import { CallerFeed, loadCallerAudio, type CallerFrame, type PlayoutState, type ResolvedUtterance } from "./caller-feed.js";
import { L16_16K, PCMU_8K } from "./format.js";
import { concat, silence, tone } from "./synth.js";
import { readWavFile, WavError } from "./wav.js";
import { encodeMulaw } from "./mulaw.js";

/** The committed annotation of a fixture (fixtures/audio/annotations.json, written by generate.ts). */
function speechOf(file: string): { firstFrame: number; lastFrame: number } {
  const all = JSON.parse(readFileSync(join(FIX, "annotations.json"), "utf8")) as { file: string; speech: { firstFrame: number; lastFrame: number }[] }[];
  return all.find((a) => a.file === file)!.speech[0];
}

const FIX = join(import.meta.dirname, "../../fixtures/audio");
const tmp = mkdtempSync(join(tmpdir(), "bwemu-feed-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** An 8 kHz utterance: `lead` silent frames, `speech` tone frames, `tail` silent frames. */
function utt(speech: number, start?: CallerUtterance["start"], silenceBeforeMs = 0, lead = 2, tail = 2): ResolvedUtterance {
  return {
    pcm: concat(silence(lead * 20, 8000), tone(500, speech * 20, 8000, 0.3), silence(tail * 20, 8000)),
    silenceBeforeMs,
    start,
    firstSpeechFrame: speech ? lead : -1,
    lastSpeechFrame: speech ? lead + speech - 1 : -1,
  };
}

/**
 * The engine side, reduced to what the feed sees: playAudio arrivals scripted per frame (ms of audio),
 * real-time play-out of 20 ms per frame, the flag reset on each `end` event.
 */
class Playout {
  queuedMs = 0;
  last: number | null = null; // frame index of the last playAudio
  since = false;
  frames: CallerFrame[] = [];
  constructor(private readonly arrivals: (frame: number, p: Playout) => number) {}
  run(feed: CallerFeed, maxFrames: number): CallerFrame[] {
    for (let f = 0; f < maxFrames; f++) {
      const ms = this.arrivals(f, this);
      if (ms > 0) {
        this.queuedMs += ms;
        this.last = f;
        this.since = true;
      }
      const state: PlayoutState = {
        queuedMs: this.queuedMs,
        msSinceLastPlayAudio: this.last === null ? null : (f - this.last) * 20,
        playAudioSinceLastUtterance: this.since,
      };
      const frame = feed.next(state);
      this.frames.push(frame);
      if (frame.events.some((e) => e.phase === "end")) this.since = false;
      this.queuedMs = Math.max(0, this.queuedMs - 20);
      if (frame.done) break;
    }
    return this.frames;
  }
}

const eventsOf = (frames: CallerFrame[]) =>
  frames.flatMap((f, i) => f.events.map((e) => `${i}:${e.index}${e.phase === "start" ? "+" : "-"}${e.bargeIn === undefined ? "" : e.bargeIn ? "!" : "?"}`));

describe("CallerFeed", () => {
  it("after-silence: utterances in order, silence between, exact event frames, done after the tail", () => {
    const feed = new CallerFeed([utt(5, undefined, 100), utt(3, { kind: "after-silence" }, 300)], PCMU_8K, { tailSilenceMs: 60 });
    const frames = new Playout(() => 0).run(feed, 1_000);
    // u0: 5 lead-silence frames (100 ms), 2 lead, speech 7..11, 2 tail → ends at 13
    // u1: 15 frames (300 ms) → 14..28, 2 lead → speech 31..33, tail 34..35; tail silence 36..38
    expect(eventsOf(frames)).toEqual(["7:0+", "11:0-", "31:1+", "33:1-"]);
    expect(frames.length).toBe(39);
    expect(frames.findIndex((f) => f.done)).toBe(38);
    expect(frames.map((f) => (f.speech ? 1 : 0)).join("")).toBe("0".repeat(7) + "11111" + "0".repeat(19) + "111" + "00000");
    expect(feed.frameIndex).toBe(39);
  });

  it("sends the utterance's samples unchanged, in 160-sample frames (last frame padded)", () => {
    const u: ResolvedUtterance = { ...utt(3), pcm: tone(700, 50, 8000) }; // 400 samples: 2.5 frames
    u.firstSpeechFrame = 0;
    u.lastSpeechFrame = 2;
    const frames = new Playout(() => 0).run(new CallerFeed([u], PCMU_8K, { tailSilenceMs: 0 }), 10);
    expect(frames.length).toBe(3);
    expect(frames.every((f) => f.pcm.length === 160)).toBe(true);
    const sent = concat(...frames.map((f) => f.pcm));
    expect(Array.from(sent.subarray(0, 400))).toEqual(Array.from(u.pcm));
    expect(sent.subarray(400).every((v) => v === 0)).toBe(true);
    expect(frames[2].done).toBe(true);
    expect(Buffer.concat(frames.map((f) => f.payload)).equals(Buffer.from(encodeMulaw(sent)))).toBe(true);
  });

  it("after-reply waits for play-out to finish and 500 ms without playAudio", () => {
    // reply: 1 s of audio arrives in one playAudio 10 frames after u0's end event (frame 6)
    const feed = new CallerFeed([utt(5), utt(4, { kind: "after-reply" }, 100)], PCMU_8K, { tailSilenceMs: 0 });
    const frames = new Playout((f) => (f === 16 ? 1_000 : 0)).run(feed, 1_000);
    // queue holds 1000 ms from frame 16: empty at frame 66 (and ≥ 500 ms quiet) → gate opens at 66,
    // then 5 frames of silenceBefore (66..70), 2 lead (71..72), speech 73..76
    expect(eventsOf(frames)).toEqual(["2:0+", "6:0-", "73:1+", "76:1-"]);
    expect(feed.timedOut).toEqual([]);
  });

  it("after-reply: a reply streamed in chunks; late chunks extend the wait (500 ms quiet rule)", () => {
    // 40 ms chunks every frame from 10 to 29 (800 ms of audio), one stray 20 ms chunk at frame 45
    const arrivals = (f: number) => (f >= 10 && f < 30 ? 40 : f === 45 ? 20 : 0);
    const feed = new CallerFeed([utt(2), utt(2, { kind: "after-reply" })], PCMU_8K, { tailSilenceMs: 0 });
    const frames = new Playout(arrivals).run(feed, 1_000);
    // without the stray chunk the gate would open at 54 (queue empty at 50, 500 ms after frame 29);
    // the chunk at 45 restarts the quiet clock: open at 70, 2 lead frames, speech at 72
    expect(eventsOf(frames)).toEqual(["2:0+", "3:0-", "72:1+", "73:1-"]);
  });

  it("after-reply with no reply goes on after the reply timeout and records it", () => {
    const feed = new CallerFeed([utt(3), utt(3, { kind: "after-reply", timeoutMs: 1_000 }), utt(3, { kind: "after-reply" })], PCMU_8K, {
      tailSilenceMs: 0,
      replyTimeoutMs: 400,
    });
    const frames = new Playout(() => 0).run(feed, 1_000);
    // u0 end at 4; u1 starts 1000 ms (50 frames) after frame 5 → 55 (+2 lead) → 57..59;
    // u2 uses replyTimeoutMs 400 ms (20 frames) after frame 60 → 80 (+2) → 82..84
    expect(eventsOf(frames)).toEqual(["2:0+", "4:0-", "57:1+", "59:1-", "82:2+", "84:2-"]);
    expect(feed.timedOut).toEqual([1, 2]);
  });

  it("the first after-reply utterance waits for the greeting", () => {
    const feed = new CallerFeed([utt(2, { kind: "after-reply" })], PCMU_8K, { tailSilenceMs: 0 });
    const frames = new Playout((f) => (f === 5 ? 200 : 0)).run(feed, 1_000);
    // greeting 200 ms from frame 5: queue empty at 15, quiet 500 ms at 30 → lead 30..31, speech 32..33
    expect(eventsOf(frames)).toEqual(["32:0+", "33:0-"]);
  });

  it("barge-in starts offsetMs after the first playAudio while audio is queued", () => {
    const feed = new CallerFeed([utt(3), utt(3, { kind: "barge-in", offsetMs: 300 }, 5_000, 0)], PCMU_8K, { tailSilenceMs: 0 });
    // reply: 2 s queued at frame 20, more chunks after
    const frames = new Playout((f) => (f === 20 ? 2_000 : f > 20 && f < 40 ? 20 : 0)).run(feed, 1_000);
    // 300 ms = 15 frames after frame 20 → speech from frame 35 (no lead, silenceBefore ignored)
    expect(eventsOf(frames)).toEqual(["2:0+", "4:0-", "35:1+!", "37:1-!"]);
  });

  it("barge-in after the reply already ended is flagged as not a barge-in", () => {
    const feed = new CallerFeed([utt(3), utt(3, { kind: "barge-in", offsetMs: 600 }, 0, 0)], PCMU_8K, { tailSilenceMs: 0 });
    const frames = new Playout((f) => (f === 10 ? 200 : 0)).run(feed, 1_000);
    expect(eventsOf(frames)).toEqual(["2:0+", "4:0-", "40:1+?", "42:1-?"]);
  });

  it("barge-in without any reply goes on after the reply timeout", () => {
    const feed = new CallerFeed([utt(2), utt(2, { kind: "barge-in", offsetMs: 100 }, 0, 0)], PCMU_8K, { tailSilenceMs: 0, replyTimeoutMs: 200 });
    const frames = new Playout(() => 0).run(feed, 1_000);
    expect(eventsOf(frames)).toEqual(["2:0+", "3:0-", "14:1+?", "15:1-?"]);
    expect(feed.timedOut).toEqual([1]);
  });

  it("a one-frame utterance carries start and end on the same frame", () => {
    const frames = new Playout(() => 0).run(new CallerFeed([utt(1, undefined, 0, 0, 0)], PCMU_8K, { tailSilenceMs: 0 }), 10);
    expect(frames[0].events.map((e) => e.phase)).toEqual(["start", "end"]);
    expect(frames[0].event).toEqual({ index: 0, phase: "start" });
    expect(frames[0].done).toBe(true);
  });

  it("an utterance without speech has no events and does not block the next one", () => {
    const feed = new CallerFeed([utt(0), utt(2, { kind: "after-reply" })], PCMU_8K, { tailSilenceMs: 0, replyTimeoutMs: 100 });
    const frames = new Playout(() => 0).run(feed, 100);
    expect(eventsOf(frames)).toEqual(["11:1+", "12:1-"]);
  });

  it("no utterances: silence until the tail is done, then silence with done=true", () => {
    const feed = new CallerFeed([], L16_16K, { tailSilenceMs: 100 });
    const p: PlayoutState = { queuedMs: 0, msSinceLastPlayAudio: null, playAudioSinceLastUtterance: false };
    const frames = Array.from({ length: 8 }, () => feed.next(p));
    expect(frames.map((f) => f.done)).toEqual([false, false, false, false, true, true, true, true]);
    expect(frames.every((f) => f.pcm.length === 320 && !f.speech && f.pcm.every((v) => v === 0))).toBe(true);
    expect(frames.every((f) => f.payload.length === 640 && f.payload.every((b) => b === 0))).toBe(true);
    expect(feed.state.phase).toBe("done");
  });

  it("is deterministic: the same inputs give the same frames", () => {
    const run = () => eventsOf(new Playout((f) => (f % 37 === 0 ? 300 : 0)).run(new CallerFeed([utt(4), utt(4, { kind: "after-reply" }), utt(2, { kind: "barge-in", offsetMs: 40 })], PCMU_8K), 2_000));
    expect(run()).toEqual(run());
  });
});

describe("loadCallerAudio", () => {
  it("a μ-law 8 kHz WAV goes out on a PCMU stream bit-exact, with the fixture's speech frames", async () => {
    const path = join(FIX, "speech-order.8k-mulaw.wav");
    const [u] = await loadCallerAudio({ wav: path }, PCMU_8K);
    expect(u.firstSpeechFrame).toBe(10);
    expect(u.lastSpeechFrame).toBe(83);
    expect(u.start).toEqual({ kind: "after-silence" });
    const feed = new CallerFeed([u], PCMU_8K, { tailSilenceMs: 0 });
    const p: PlayoutState = { queuedMs: 0, msSinceLastPlayAudio: null, playAudioSinceLastUtterance: false };
    const bytes: Uint8Array[] = [];
    for (let f = feed.next(p); ; f = feed.next(p)) {
      expect(f.payload.length).toBe(160);
      bytes.push(f.payload);
      if (f.done) break;
    }
    const file = readFileSync(path);
    const at = file.indexOf("data");
    const data = file.subarray(at + 8, at + 8 + file.readUInt32LE(at + 4));
    const sent = Buffer.concat(bytes);
    expect(data.includes(0x7f)).toBe(true); // −0 codes are there and must survive
    expect(sent.subarray(0, data.length).equals(data)).toBe(true);
    expect(sent.subarray(data.length).every((b) => b === 0xff)).toBe(true);
    // from PCM alone they would not: 0x7F re-encodes as 0xFF
    expect(Buffer.from(encodeMulaw(u.pcm)).equals(data)).toBe(false);
  });

  it("converts to L16 16 kHz with the same speech frames (±1)", async () => {
    const [u] = await loadCallerAudio({ wav: join(FIX, "speech-hello.8k-mulaw.wav") }, L16_16K);
    const src = await readWavFile(join(FIX, "speech-hello.8k-mulaw.wav"));
    expect(u.pcm.length).toBe(src.pcm.length * 2);
    expect(Math.abs(u.firstSpeechFrame - 10)).toBeLessThanOrEqual(1);
    expect(Math.abs(u.lastSpeechFrame - speechOf("speech-hello.8k-mulaw.wav").lastFrame)).toBeLessThanOrEqual(1);
  });

  it("loads the conversation script with paths relative to it", async () => {
    const audio = await readCallerScriptFile(join(FIX, "conversation.json"));
    const us = await loadCallerAudio(audio, PCMU_8K);
    expect(us.map((u) => u.start?.kind)).toEqual(["after-reply", "after-reply", "barge-in"]);
    const expected = ["speech-hello", "speech-order", "speech-cancel"].map((f) => speechOf(`${f}.8k-mulaw.wav`)).map((x) => [x.firstFrame, x.lastFrame]);
    expect(us.map((u) => [u.firstSpeechFrame, u.lastSpeechFrame])).toEqual(expected);
    expect(us[2].tailSilenceMs).toBe(3_000);
    expect(us[0].silenceBeforeMs).toBe(300);
  });

  it("a WAV said several times is read once: its utterances share the audio, each with its own timing", async () => {
    const hello = join(FIX, "speech-hello.8k-mulaw.wav");
    const order = join(FIX, "speech-order.8k-mulaw.wav");
    const us = await loadCallerAudio(
      { script: [{ wav: hello }, { wav: order, silenceBeforeMs: 200 }, { wav: hello, silenceBeforeMs: 700, start: { kind: "after-reply" } }] },
      PCMU_8K,
    );
    expect(us[2].pcm).toBe(us[0].pcm);
    expect(us[1].pcm).not.toBe(us[0].pcm);
    expect([us[0].silenceBeforeMs, us[2].silenceBeforeMs, us[2].start?.kind]).toEqual([0, 700, "after-reply"]);
    expect([us[2].firstSpeechFrame, us[2].lastSpeechFrame, us[2].encoded]).toEqual([us[0].firstSpeechFrame, us[0].lastSpeechFrame, us[0].encoded]);
  });

  it("{silence: true} is no utterances; a relative wav resolves against baseDir", async () => {
    expect(await loadCallerAudio({ silence: true }, PCMU_8K)).toEqual([]);
    const [u] = await loadCallerAudio({ wav: "format-mulaw-8k.wav" }, PCMU_8K, { baseDir: FIX });
    expect(u.firstSpeechFrame).toBe(0);
    expect(Buffer.from(encodeMulaw(u.pcm)).length).toBe(4000);
  });

  it("an in-memory prefix is spliced in at the frame where the speech begins; the WAV's own bytes go out around it unchanged", async () => {
    const wav = join(FIX, "speech-order.8k-mulaw.wav");
    const all = (u: ResolvedUtterance) => {
      const feed = new CallerFeed([u], PCMU_8K, { tailSilenceMs: 0 });
      const p: PlayoutState = { queuedMs: 0, msSinceLastPlayAudio: null, playAudioSinceLastUtterance: false };
      const frames: CallerFrame[] = [];
      for (let f = feed.next(p); ; f = feed.next(p)) if ((frames.push(f), f.done)) return frames;
    };
    const [plain] = await loadCallerAudio({ wav }, PCMU_8K);
    // 110 ms of tone: padded with silence to 6 whole frames.
    const clip = tone(1500, 110, 8000, 0.3);
    const [u] = await loadCallerAudio({ script: [{ wav, prefix: { pcm: clip, sampleRate: 8000 } }] }, PCMU_8K);
    let start = 0;
    while (Math.abs(plain.pcm[start]) <= 184) start++;
    const at = Math.floor(start / 160);
    expect(u.insert).toEqual({ pcm: concat(clip, new Int16Array(960 - 880)), atFrame: at });
    const [a, b] = [all(plain), all(u)];
    expect(b.length).toBe(a.length + 6);
    // The clip opens the speech (its first frame is the start event); the end is the WAV's, 6 frames later, at the same offset.
    expect(eventsOf(b)).toEqual([`${at}:0+`, `${plain.lastSpeechFrame + 6}:0-`]);
    expect(b[plain.lastSpeechFrame + 6].event).toEqual(a[plain.lastSpeechFrame].events.at(-1));
    const bytes = (fs: CallerFrame[]) => Buffer.concat(fs.map((f) => f.payload));
    expect(bytes(b.slice(0, at)).equals(bytes(a.slice(0, at)))).toBe(true);
    expect(bytes(b.slice(at, at + 6)).equals(Buffer.from(encodeMulaw(u.insert!.pcm)))).toBe(true);
    // After the clip, the WAV's own bytes (−0 codes and all), bit-exact.
    expect(bytes(b.slice(at + 6)).equals(bytes(a.slice(at)))).toBe(true);
    // A prefix that is not samples is a located error; validation keeps a good one as it is.
    await expect(loadCallerAudio({ script: [{ wav, prefix: { pcm: [1, 2], sampleRate: 8000 } }] } as never, PCMU_8K)).rejects.toThrow(/^caller audio: script\[0\]: `prefix` must be/);
    expect(() => validateCallerAudio({ script: [{ wav, prefix: { pcm: clip, sampleRate: 0 } }] })).toThrow(/script\[0\]: `prefix` must be/);
    const prefix = { pcm: clip, sampleRate: 8000 };
    const checked = validateCallerAudio({ script: [{ wav, prefix }] });
    expect("script" in checked && checked.script[0].prefix).toBe(prefix);
  });

  it("bad input gives located errors", async () => {
    await expect(loadCallerAudio({ wav: join(FIX, "broken-not-riff.wav") }, PCMU_8K)).rejects.toBeInstanceOf(WavError);
    await expect(loadCallerAudio({ script: [{ wav: "x.wav", start: { kind: "later" } }] } as never, PCMU_8K)).rejects.toThrow(
      /script\[0\]: `start.kind` must be one of after-silence, after-reply, barge-in/,
    );
    expect(() => validateCallerAudio({ script: [{ wav: "a.wav", silenceBeforeMs: -1 }] })).toThrow(/script\[0\]: `silenceBeforeMs` must be a number ≥ 0/);
    expect(() => validateCallerAudio({ script: [{ wav: "a.wav", start: { kind: "barge-in" } }] })).toThrow(/offsetMs/);
    expect(() => validateCallerAudio({ script: [{ wav: "a.wav", volume: 3 }] })).toThrow(/unknown field `volume`/);
    expect(() => validateCallerAudio("caller.wav")).toThrow(CallerAudioError);
    const bad = join(tmp, "bad.json");
    writeFileSync(bad, "{ script: ");
    await expect(readCallerScriptFile(bad)).rejects.toThrow(/bad\.json: not valid JSON/);
    const yaml = join(tmp, "s.yaml");
    writeFileSync(yaml, `script:\n  - wav: ${join(FIX, "speech-order.8k-mulaw.wav")}\n    start: { kind: barge-in, offsetMs: 250 }\n`);
    expect(await readCallerScriptFile(yaml)).toEqual({ script: [{ wav: join(FIX, "speech-order.8k-mulaw.wav"), start: { kind: "barge-in", offsetMs: 250 } }] });
  });
});
