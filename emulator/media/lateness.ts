// Lateness recording for the pacing scheduler: an HDR histogram (µs, 3 significant digits, so values
// under 2 ms are exact) per stream and one for the whole scheduler.

// Named import: works whether this file runs as ESM or is compiled to CJS (a default import does not).
import { build, encodeIntoCompressedBase64 } from "hdr-histogram-js";

export interface LatenessStats {
  count: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

export class LatenessRecorder {
  private h = build({ bitBucketSize: 32, numberOfSignificantValueDigits: 3, autoResize: true });

  record(lateUs: number): void {
    this.h.recordValue(Math.max(0, Math.round(lateUs)));
  }

  stats(): LatenessStats {
    const count = this.h.totalCount;
    if (count === 0) return { count: 0, p50Us: 0, p99Us: 0, maxUs: 0 };
    return {
      count,
      p50Us: this.h.getValueAtPercentile(50),
      p99Us: this.h.getValueAtPercentile(99),
      maxUs: this.h.maxValue,
    };
  }

  /** The histogram itself (HDR compressed base64), so runs on other machines can be merged exactly. */
  reset(): void {
    this.h.reset();
  }

  /** The histogram (µs), compressed base64: mergeable across threads (emulator/latency/histogram.ts decodes it). */
  encode(): string {
    return encodeIntoCompressedBase64(this.h);
  }
}
