// Load shards share resolved caller audio between calls (emulator/call/media.ts cacheCallerAudio):
// with the cache on, a WAV is decoded once per thread; off (the default), every call reads it.
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { realClock } from "../../emulator/clock.js";
import { cacheCallerAudio, createCallAudio } from "../../emulator/call/media.js";
import { Timeline } from "../../emulator/timeline.js";
import { turnSpeech } from "../../src/speech.js";

let dir: string | undefined;
afterEach(async () => {
  cacheCallerAudio(false);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const make = (wav: string) =>
  createCallAudio({ callId: "c-cache", caller: { wav }, format: { encoding: "PCMU", sampleRate: 8000 }, pacing: "realtime", timeline: new Timeline(realClock), clock: realClock, callerWaits: false });

describe("caller audio cache", () => {
  it("with the cache on, a second call with the same audio does not read the file again", async () => {
    dir = await mkdtemp(join(tmpdir(), "bwemu-cache-"));
    const wav = join(dir, "caller.wav");
    await copyFile(turnSpeech()[0], wav);
    cacheCallerAudio(true);
    await make(wav);
    await writeFile(wav, "not a wav any more");
    await expect(make(wav)).resolves.toBeDefined();
    // Off again: the file is read (and refused) per call, as every other command does.
    cacheCallerAudio(false);
    await expect(make(wav)).rejects.toThrow();
  });
});
