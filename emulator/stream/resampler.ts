// The per-stream resampler for 16/24 kHz `playAudio` PCM (bandwidth.md §4.6: "Bandwidth resamples
// PCM to the call"). Consecutive messages are one continuous signal, so one streaming resampler per
// source rate runs across them; `clear` resets it (the cut audio must not leak into what follows),
// and a drained queue flushes it so the last few milliseconds of a reply are played too.

import { StreamingResampler } from "../media/resample.js";

export interface Resampler {
  /** Converted samples whose filter window is complete. */
  push(pcm: Int16Array): Int16Array;
  /** The held-back tail (input treated as followed by silence); the resampler starts afresh. */
  flush(): Int16Array;
  /** Forget everything held back. */
  reset(): void;
}

export function makeResampler(fromRate: number, toRate: number): Resampler {
  let r = new StreamingResampler(fromRate, toRate);
  let pending = false;
  return {
    push(pcm) {
      pending = true;
      return r.push(pcm);
    },
    flush() {
      if (!pending) return new Int16Array(0);
      const tail = r.flush();
      r = new StreamingResampler(fromRate, toRate);
      pending = false;
      return tail;
    },
    reset() {
      r = new StreamingResampler(fromRate, toRate);
      pending = false;
    },
  };
}
