// Where speech ends, sample-accurately (openai-realtime.md §6.4, §12.3.2): the one level both sides of
// a latency measurement use. The carrier marks the frame holding the last sample over it (C_end); the
// Realtime stub's VAD ends the utterance just after the last appended sample over it (S_end). Same
// samples, same level: the same sample, whichever frame or append it travels in. Pure.
import { isSilentFrame } from "./analysis.js";

/** The stub VAD's default level (emulator/realtime/vad.ts DEFAULT_VAD.energyThresholdDbfs). */
export const SPEECH_LEVEL_DBFS = -45;

/** A dBFS level as a sample magnitude (full scale 32768). */
export function levelOfDbfs(dbfs: number): number {
  return 32768 * 10 ** (dbfs / 20);
}

/** The magnitude above which a sample is speech (≈ 184). */
export const SPEECH_LEVEL = levelOfDbfs(SPEECH_LEVEL_DBFS);

/** Index just after the last sample whose magnitude exceeds `level` (0 when none does). */
export function speechEndSample(pcm: Int16Array, level = SPEECH_LEVEL): number {
  for (let i = pcm.length - 1; i >= 0; i--) if (pcm[i] > level || pcm[i] < -level) return i + 1;
  return 0;
}

/** The frames of `pcm` (`frameSamples` each) that hold speech, concatenated: the part where something was heard. */
export function audibleFrames(pcm: Int16Array, frameSamples: number, level = SPEECH_LEVEL): Int16Array {
  const out = new Int16Array(pcm.length);
  let n = 0;
  for (let a = 0; a < pcm.length; a += frameSamples) {
    const f = pcm.subarray(a, Math.min(pcm.length, a + frameSamples));
    if (isSilentFrame(f, level)) continue;
    out.set(f, n);
    n += f.length;
  }
  return out.slice(0, n);
}
