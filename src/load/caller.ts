// What each load call's caller says: `--turns N` utterances from the bundled speech fixtures
// (fixtures/audio, μ-law 8 kHz so PCMU is bit-exact), each after the previous reply has played, so a
// bridge with a model behind it holds a real conversation; or one WAV (`--audio`).

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CallerAudio } from "../../emulator/call/types.js";

const SPEECH = ["speech-hello.8k-mulaw.wav", "speech-order.8k-mulaw.wav", "speech-long.8k-mulaw.wav"];
const AUDIO_DIR = fileURLToPath(new URL("../../fixtures/audio/", import.meta.url));

/** The fixture WAVs load calls speak (absolute paths). */
export const speechFixtures = (): string[] => SPEECH.map((f) => join(AUDIO_DIR, f));

/** N turns: the first waits up to 3 s for a greeting, each next one for the previous reply; a tail lets the last reply play. */
export function conversation(turns: number): Extract<CallerAudio, { script: unknown }> {
  const wavs = speechFixtures();
  return {
    script: Array.from({ length: turns }, (_, i) => ({
      wav: wavs[i % wavs.length],
      silenceBeforeMs: 300,
      start: i === 0 ? ({ kind: "after-reply", timeoutMs: 3000 } as const) : ({ kind: "after-reply" } as const),
    })),
    tailSilenceMs: 2500,
  };
}

/** A call long enough for N turns (speech ≤ 3 s, a reply ≤ 10 s each) with room to spare. */
export const conversationCapMs = (turns: number): number => 10_000 + turns * 15_000;
