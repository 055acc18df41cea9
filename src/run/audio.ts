// The caller audio of the conformance scenarios: speech fixtures for conversations, and a distinct
// tone per call for the concurrency scenario (written once to a temporary folder).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tone, silence } from "../../emulator/media/synth.js";
import { writeWav } from "../../emulator/media/wav.js";
import type { CallerAudio } from "../../emulator/call/types.js";
import type { ScenarioAudio } from "../../suites/scenarios.js";
import { signatureHz } from "../../suites/signatures.js";

const AUDIO = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "audio");

/** The speech fixtures the scenarios play (fixtures/audio/README.md). */
export const SPEECH = {
  first: join(AUDIO, "speech-hello.8k-mulaw.wav"),
  second: join(AUDIO, "speech-order.8k-mulaw.wav"),
  interrupt: join(AUDIO, "speech-cancel.8k-mulaw.wav"),
};

export interface ScenarioAudioSet extends ScenarioAudio {
  /** The latency calibration's caller (src/run/calibration.ts): every conversation fixture, one turn each. */
  calibration: CallerAudio;
  dispose(): void;
}

export function scenarioAudio(): ScenarioAudioSet {
  const dir = mkdtempSync(join(tmpdir(), "bwemu-audio-"));
  const signatures = new Map<number, string>();
  return {
    // A greeting (if any) plays first; each utterance waits for the previous reply to finish.
    conversation: {
      script: [
        { wav: SPEECH.first, silenceBeforeMs: 500, start: { kind: "after-reply", timeoutMs: 2500 } },
        { wav: SPEECH.second, silenceBeforeMs: 300, start: { kind: "after-reply", timeoutMs: 6000 } },
      ],
      tailSilenceMs: 1500,
    },
    bargeIn: {
      script: [
        { wav: SPEECH.first, silenceBeforeMs: 500, start: { kind: "after-reply", timeoutMs: 2500 } },
        { wav: SPEECH.interrupt, start: { kind: "barge-in", offsetMs: 400 } },
      ],
      tailSilenceMs: 2500,
    },
    // A warm-up turn, then one turn per fixture; only the reply's first audio matters, so the next turn
    // does not wait for the (echoed, as long as the turn) reply to play out: 1.2 s after each end is past it.
    calibration: {
      script: [SPEECH.second, SPEECH.first, SPEECH.second, SPEECH.interrupt].map((wav) => ({ wav, silenceBeforeMs: 1200, start: { kind: "after-silence" as const } })),
      tailSilenceMs: 1500,
    },
    single: { script: [{ wav: SPEECH.first, silenceBeforeMs: 300, start: { kind: "after-reply", timeoutMs: 2500 } }], tailSilenceMs: 1500 },
    signature(i) {
      let path = signatures.get(i);
      if (!path) {
        // 1.2 s of the call's own tone between silences: the stub's echo reply carries it back.
        const pcm = Int16Array.from([...silence(300, 8000), ...tone(signatureHz(i), 1200, 8000, 0.3), ...silence(200, 8000)]);
        path = join(dir, `signature-${i}.wav`);
        writeFileSync(path, writeWav(pcm, 8000));
        signatures.set(i, path);
      }
      return { script: [{ wav: path, silenceBeforeMs: 200, start: { kind: "after-silence" } }], tailSilenceMs: 2500 };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
