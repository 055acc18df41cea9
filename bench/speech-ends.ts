// Caller audio for the latency benches: every speech fixture, then synthetic utterances whose speech
// end falls at every 1 ms offset inside a 20 ms frame (a tone cut at 400 + k ms after 200 ms of
// digital silence), so no bench can pass by using ends that sit on frame boundaries.

import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { CallerUtterance } from "../emulator/call/types.js";
import { concat, silence, tone } from "../emulator/media/synth.js";
import { writeWav } from "../emulator/media/wav.js";

const AUDIO = resolve(import.meta.dirname, "../fixtures/audio");

/** The speech fixtures, by rate. `speech-cancel` pauses 210 ms inside: two turns for a 200 ms hangover. */
export function speechFixtures(rate: 8000 | 16000, withCancel: boolean): string[] {
  const names = ["speech-hello", "speech-order", "speech-long", ...(withCancel ? ["speech-cancel"] : [])];
  return names.map((n) => join(AUDIO, `${n}.${rate === 8000 ? "8k-mulaw" : "16k-pcm16"}.wav`));
}

/** Write the synthetic utterances into `dir`; offsets 0..19 ms. */
export async function offsetUtterances(dir: string, rate: 8000 | 16000): Promise<string[]> {
  const out: string[] = [];
  for (let k = 0; k < 20; k++) {
    const wav = join(dir, `end-${rate}-${k}ms.wav`);
    await writeFile(wav, writeWav(concat(silence(200, rate), tone(440, 400 + k, rate, 0.4), silence(300, rate)), rate, { encoding: rate === 8000 ? "mulaw" : "pcm16" }));
    out.push(wav);
  }
  return out;
}

/** One turn per file, each after the previous reply (the first after 500 ms of silence). */
export function turnsOf(files: string[]): { script: CallerUtterance[]; tailSilenceMs: number } {
  return {
    script: files.map((wav, i) => (i === 0 ? { wav, silenceBeforeMs: 500, start: { kind: "after-silence" } } : { wav, silenceBeforeMs: 200, start: { kind: "after-reply", timeoutMs: 4000 } })),
    tailSilenceMs: 1000,
  };
}
