// After-call helpers: every recording written in its own format; --linger ends at its time or at Ctrl-C.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RecordingStore } from "../../emulator/call/recordings.js";
import { sniffAudio } from "../../emulator/media/sniff.js";
import { tone } from "../../emulator/media/synth.js";
import { readWav } from "../../emulator/media/wav.js";
import { lingerAfterCall, writeRecordings } from "./recordings.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe("writeRecordings", () => {
  it("writes recording-<id>.wav and .mp3 as each recording's fileFormat asked", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bwemu-rec-"));
    dirs.push(dir);
    const store = new RecordingStore();
    const pcm = tone(440, 500, 8000);
    store.put({ callId: "c-1", recordingId: "r-wav", channels: [pcm], sampleRate: 8000, fileFormat: "wav", metadata: {} });
    store.put({ callId: "c-2", recordingId: "r-mp3", channels: [pcm, pcm.subarray(0, 2000)], sampleRate: 8000, fileFormat: "mp3", metadata: {} });
    expect(await writeRecordings(store, dir)).toEqual(["recording-r-wav.wav", "recording-r-mp3.mp3"]);
    expect((await readdir(dir)).sort()).toEqual(["recording-r-mp3.mp3", "recording-r-wav.wav"]);
    const wav = await readWav(await readFile(join(dir, "recording-r-wav.wav")));
    expect(wav.pcm).toEqual(pcm);
    expect(sniffAudio(await readFile(join(dir, "recording-r-mp3.mp3")))).toMatchObject({ kind: "mp3", channels: 2, sampleRate: 8000 });
  });
});

describe("lingerAfterCall", () => {
  it("does nothing for 0", async () => {
    const lines: string[] = [];
    await lingerAfterCall({ ms: 0, apiBaseUrl: "http://127.0.0.1:1/api/v2", write: (s) => lines.push(s) });
    expect(lines).toEqual([]);
  });

  it("says where the Voice API stays up, and Ctrl-C ends the wait", async () => {
    const lines: string[] = [];
    const before = process.listenerCount("SIGINT");
    const waiting = lingerAfterCall({ ms: 600_000, apiBaseUrl: "http://127.0.0.1:1/api/v2", write: (s) => lines.push(s) });
    expect(process.listenerCount("SIGINT")).toBe(before + 1);
    process.emit("SIGINT");
    await waiting;
    expect(process.listenerCount("SIGINT")).toBe(before);
    expect(lines).toEqual(["call over; the Voice API at http://127.0.0.1:1/api/v2 stays up 600s for recording downloads (--linger; Ctrl-C ends it)\n"]);
  });
});
