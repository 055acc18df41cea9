// The bundled speech (fixtures/audio/README.md: μ-law 8 kHz, so PCMU is bit-exact) and the caller's
// conversation built from it, for every command: one folder, resolved the same from the clone (src/)
// and from the installed package (dist/src/, beside dist/fixtures/audio/).

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CallerAudio } from "../emulator/call/types.js";

const AUDIO_DIR = fileURLToPath(new URL("../fixtures/audio/", import.meta.url));

/** The bundled utterance `speech-<name>.8k-mulaw.wav` (hello, order, cancel, long). */
export function speechWav(name: string): string {
  return join(AUDIO_DIR, `speech-${name}.8k-mulaw.wav`);
}

/**
 * The utterances a conversation cycles through. Not `cancel`: its 210 ms pause after "Wait," is two
 * utterances to a VAD with the live 200 ms silence_duration_ms, which would make the stub's turn
 * count disagree with the carrier's.
 */
export const TURN_SPEECH = ["hello", "order", "long"] as const;

/** The conversation's utterances (absolute paths). */
export const turnSpeech = (): string[] => TURN_SPEECH.map(speechWav);

/**
 * N utterances, each after the previous reply has played (openai-realtime.md §12.3.4 after-reply). The
 * first waits up to 3 s for a greeting (like fixtures/audio/conversation.json); the tail leaves time
 * for the last reply to arrive and play.
 */
export function conversation(turns: number, wavs: readonly string[] = turnSpeech()): Extract<CallerAudio, { script: unknown }> {
  return {
    script: Array.from({ length: turns }, (_, i) => ({
      wav: wavs[i % wavs.length],
      silenceBeforeMs: 300,
      start: i === 0 ? ({ kind: "after-reply", timeoutMs: 3000 } as const) : ({ kind: "after-reply" } as const),
    })),
    tailSilenceMs: 2500,
  };
}

/** A call long enough for a conversation of N turns (speech ≤ 3 s, a reply ≤ 10 s each) with room to spare: `bwemu load`'s default call cap. */
export const conversationCapMs = (turns: number): number => 10_000 + turns * 15_000;
