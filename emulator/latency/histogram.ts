// HDR histograms for many-sample runs (load, bench): constant memory, mergeable across shards
// (encode/decode), µs resolution. Percentiles *reported* by conformance are nearest-rank over the
// exact samples (percentiles.ts, §12.3.5); HDR values are for volumes where keeping every sample
// is not reasonable, and say so.

import * as hdr from "hdr-histogram-js";

export interface HdrSummary {
  n: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Values are HDR-bucketed (3 significant digits), not exact nearest-rank. */
  approximate: true;
}

export class LatencyHistogram {
  private readonly h: hdr.Histogram;

  constructor(encoded?: string) {
    this.h = encoded
      ? hdr.decodeFromCompressedBase64(encoded, 32, false)
      : hdr.build({ bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, useWebAssembly: false });
  }

  /** Record one sample in ms (stored as whole µs; negative values clamp to 0). */
  recordMs(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.h.recordValue(Math.max(0, Math.round(ms * 1000)));
  }

  /** Merge another shard's histogram. */
  add(other: LatencyHistogram): void {
    this.h.add(other.h);
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** Compact string for shipping a shard's histogram to the merger. */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.h);
  }

  summary(): HdrSummary {
    const at = (p: number): number => this.h.getValueAtPercentile(p) / 1000;
    return {
      n: this.h.totalCount,
      minMs: this.h.totalCount ? at(0) : 0,
      maxMs: this.h.maxValue / 1000,
      meanMs: this.h.mean / 1000,
      p50Ms: at(50),
      p95Ms: at(95),
      p99Ms: at(99),
      approximate: true,
    };
  }
}
