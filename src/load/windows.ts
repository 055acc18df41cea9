// The run's figures in windows of time (default 1 s) and in total: pure, fed with timestamps by the
// caller (µs on the carrier clock), so tests drive it with any clock. Latencies go into HDR
// histograms (emulator/latency/histogram.ts): constant memory whatever the number of calls, and
// shards' lateness histograms merge exactly — percentiles are never averaged.

import { LatencyHistogram, type HdrSummary } from "../../emulator/latency/histogram.js";
import { FAILURE_REASONS, type CallOutcome, type FailureReason, type ShardTick } from "./types.js";

export type FailureCounts = Record<FailureReason, number>;

export interface WindowFigures {
  /** Window start, ms since the run started. */
  tMs: number;
  /** Calls in progress at the window's last sample. */
  active: number;
  started: number;
  completed: number;
  failed: FailureCounts;
  turn: HdrSummary;
  bridgeOverhead: HdrSummary;
  /** bwemu's own pacing lateness, every shard merged. */
  lateness: HdrSummary;
  /** Process CPU over the window, % of one core (every thread). */
  cpuPct?: number;
  /** Each shard's thread busy share over the window (event-loop utilisation, %). */
  shardBusyPct: Record<number, number>;
  /**
   * The window's histograms themselves (HDR, µs, compressed base64): `mergeWindows` merges them into
   * any span's exact percentiles, e.g. the lateness p99 of a run's steady part.
   */
  hdr: { turn: string; bridgeOverhead: string; lateness: string };
}

export interface ShardFigures {
  shard: number;
  lateness: HdrSummary;
  /** Mean busy share of the shard's thread over the run, %. */
  busyPct: number;
  calls: number;
  died?: { calls: number; message: string };
}

export interface TotalFigures {
  started: number;
  completed: number;
  /** Completed calls the run's end (or Ctrl-C) hung up. */
  cut: number;
  failed: FailureCounts;
  turn: HdrSummary;
  bridgeOverhead: HdrSummary;
  lateness: HdrSummary;
  /** Peak calls in progress. */
  peakActive: number;
  shards: ShardFigures[];
}

const noFailures = (): FailureCounts => Object.fromEntries(FAILURE_REASONS.map((r) => [r, 0])) as FailureCounts;

export const failureTotal = (f: FailureCounts): number => Object.values(f).reduce((a, b) => a + b, 0);

interface Acc {
  active: number;
  started: number;
  completed: number;
  failed: FailureCounts;
  turn: LatencyHistogram;
  overhead: LatencyHistogram;
  lateness: LatencyHistogram;
  cpuPct?: number;
  busy: Map<number, number>;
}

const newAcc = (): Acc => ({
  active: 0,
  started: 0,
  completed: 0,
  failed: noFailures(),
  turn: new LatencyHistogram(),
  overhead: new LatencyHistogram(),
  lateness: new LatencyHistogram(),
  busy: new Map(),
});

interface ShardAcc {
  lateness: LatencyHistogram;
  busySum: number;
  busyN: number;
  calls: number;
  died?: { calls: number; message: string };
}

function figuresOf(tMs: number, w: Acc): WindowFigures {
  return {
    tMs,
    active: w.active,
    started: w.started,
    completed: w.completed,
    failed: { ...w.failed },
    turn: w.turn.summary(),
    bridgeOverhead: w.overhead.summary(),
    lateness: w.lateness.summary(),
    cpuPct: w.cpuPct,
    shardBusyPct: Object.fromEntries(w.busy),
    hdr: { turn: w.turn.encode(), bridgeOverhead: w.overhead.encode(), lateness: w.lateness.encode() },
  };
}

/**
 * Percentiles over a span of the result's windows (e.g. a run's steady part): their histograms
 * merged, never their percentiles averaged.
 */
export function mergeWindows(windows: readonly WindowFigures[]): { turn: HdrSummary; bridgeOverhead: HdrSummary; lateness: HdrSummary } {
  const acc = { turn: new LatencyHistogram(), bridgeOverhead: new LatencyHistogram(), lateness: new LatencyHistogram() };
  for (const w of windows) {
    if (!w.hdr) throw new TypeError(`mergeWindows: the window at ${w.tMs} ms has no histograms (hdr)`);
    for (const k of ["turn", "bridgeOverhead", "lateness"] as const) {
      let h: LatencyHistogram;
      try {
        h = new LatencyHistogram(w.hdr[k]);
      } catch (e) {
        throw new TypeError(`mergeWindows: the window at ${w.tMs} ms: hdr.${k} is not an encoded histogram (${e instanceof Error ? e.message : String(e)})`);
      }
      acc[k].add(h);
    }
  }
  return { turn: acc.turn.summary(), bridgeOverhead: acc.bridgeOverhead.summary(), lateness: acc.lateness.summary() };
}

/**
 * A window this much older than the newest is summarised and its histograms let go (~50 KB each: a
 * long run kept every window's). Anything still landing in it (an outcome reported minutes after its
 * call ended) counts in the totals only.
 */
const FREEZE_AFTER_MS = 120_000;

export class LoadWindows {
  private readonly windows = new Map<number, Acc>();
  /** Summarised windows (FREEZE_AFTER_MS). */
  private readonly frozen = new Map<number, WindowFigures>();
  /** Where what lands in a summarised window goes (never read). */
  private readonly late = newAcc();
  private last = -1;
  private readonly total = newAcc();
  private readonly shards = new Map<number, ShardAcc>();
  private cut = 0;
  private peakActive = 0;

  constructor(
    private readonly startUs: number,
    readonly windowMs = 1000,
  ) {}

  private at(tUs: number): Acc {
    const i = Math.max(0, Math.floor((tUs - this.startUs) / 1000 / this.windowMs));
    let w = this.windows.get(i);
    if (w) return w;
    if (this.frozen.has(i)) return this.late;
    this.windows.set(i, (w = newAcc()));
    if (i > this.last) {
      this.last = i;
      this.freezeBefore(i - Math.ceil(FREEZE_AFTER_MS / this.windowMs));
    }
    return w;
  }

  private freezeBefore(index: number): void {
    for (const [j, acc] of this.windows) {
      if (j >= index) continue;
      this.frozen.set(j, figuresOf(j * this.windowMs, acc));
      this.windows.delete(j);
    }
  }

  private shard(n: number): ShardAcc {
    let s = this.shards.get(n);
    if (!s) this.shards.set(n, (s = { lateness: new LatencyHistogram(), busySum: 0, busyN: 0, calls: 0 }));
    return s;
  }

  callStarted(atUs: number): void {
    this.at(atUs).started++;
    this.total.started++;
  }

  active(atUs: number, n: number): void {
    this.at(atUs).active = n;
    if (n > this.peakActive) this.peakActive = n;
  }

  cpu(atUs: number, pct: number): void {
    this.at(atUs).cpuPct = pct;
  }

  outcome(o: CallOutcome): void {
    const w = this.at(o.endedUs);
    this.shard(o.shard).calls++;
    for (const acc of [w, this.total]) {
      if (o.ok) acc.completed++;
      else acc.failed[o.reason ?? "harness"]++;
      for (const v of o.turnMs) acc.turn.recordMs(v);
      for (const v of o.bridgeOverheadMs) acc.overhead.recordMs(v);
    }
    if (o.ok && o.cut) this.cut++;
  }

  tick(t: ShardTick): void {
    const h = new LatencyHistogram(t.lateness);
    const w = this.at(t.atUs);
    w.lateness.add(h);
    w.busy.set(t.shard, Math.round(t.elu * 1000) / 10);
    this.total.lateness.add(h);
    const s = this.shard(t.shard);
    s.lateness.add(h);
    s.busySum += t.elu;
    s.busyN++;
  }

  shardDied(shard: number, calls: number, message: string): void {
    this.shard(shard).died = { calls, message };
  }

  /** Every window from the first to the last that saw anything, gaps filled with empty windows. */
  figures(): WindowFigures[] {
    const out: WindowFigures[] = [];
    let active = 0;
    for (let i = 0; i <= this.lastIndex(); i++) {
      const f = this.frozen.get(i);
      if (f) {
        out.push(f);
        active = f.active;
        continue;
      }
      const w = this.windows.get(i) ?? { ...newAcc(), active };
      active = w.active;
      out.push(figuresOf(i * this.windowMs, w));
    }
    return out;
  }

  /** Index of the last window that saw anything (-1: none yet). */
  lastIndex(): number {
    return this.last;
  }

  /** One window's figures, without summarising the others (the live line asks every window). */
  figure(i: number): WindowFigures {
    const f = this.frozen.get(i);
    if (f) return f;
    let w = this.windows.get(i);
    if (!w) {
      let j = i - 1;
      while (j >= 0 && !this.windows.has(j) && !this.frozen.has(j)) j--;
      w = { ...newAcc(), active: j >= 0 ? (this.windows.get(j) ?? this.frozen.get(j)!).active : 0 };
    }
    return figuresOf(i * this.windowMs, w);
  }

  totals(): TotalFigures {
    const t = this.total;
    return {
      started: t.started,
      completed: t.completed,
      cut: this.cut,
      failed: { ...t.failed },
      turn: t.turn.summary(),
      bridgeOverhead: t.overhead.summary(),
      lateness: t.lateness.summary(),
      peakActive: this.peakActive,
      shards: [...this.shards]
        .sort((a, b) => a[0] - b[0])
        .map(([shard, s]) => ({ shard, lateness: s.lateness.summary(), busyPct: s.busyN ? Math.round((s.busySum / s.busyN) * 1000) / 10 : 0, calls: s.calls, ...(s.died ? { died: s.died } : {}) })),
    };
  }
}
