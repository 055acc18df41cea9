// A load run: arrivals (schedule.ts) handed to shards (pool.ts), outcomes and shards' own figures
// aggregated in windows (windows.ts), a live line every window, and the result at the end. The run
// keeps its schedule whatever the app does: it ends on time (calls still up are hung up at the
// deadline), and an abort (Ctrl-C) ends it early with a partial result.

import { realClock, type Clock } from "../../emulator/clock.js";
import type { StubTurnsLookup } from "./call.js";
import { CrossTalkRun, crossTalkOff, type CrossTalkSummary } from "./crosstalk.js";
import { ShardPool } from "./pool.js";
import { Arrivals } from "./schedule.js";
import type { CallOutcome, LoadOptions } from "./types.js";
import { LoadWindows, type TotalFigures, type WindowFigures } from "./windows.js";
import { verdictOf, type LoadVerdict } from "./verdict.js";

export interface LoadRunIo {
  /** The live line, once a window. */
  live?: (w: LiveFigures) => void;
  /** Each call's outcome as it comes (e.g. the Artillery engine, logs). */
  outcome?: (o: CallOutcome) => void;
  /** Ends the run early (Ctrl-C): no more calls start, calls up are hung up, the result is partial. */
  signal?: AbortSignal;
  stubTurns?: StubTurnsLookup;
  clock?: Clock;
}

/** One window's live figures. `window` and `totals` are summarised when first read: read them in the `live` callback. */
export interface LiveFigures {
  elapsedMs: number;
  readonly window: WindowFigures;
  readonly totals: TotalFigures;
  active: number;
}

export interface LoadResult {
  startedAt: string;
  finishedAt: string;
  elapsedMs: number;
  /** Ended early (Ctrl-C): the figures cover what ran. */
  partial: boolean;
  options: { calls: number; ratePerS?: number; durationMs?: number; rampMs?: number; workers: number; windowMs: number; maxCallMs: number };
  totals: TotalFigures;
  windows: WindowFigures[];
  verdict: LoadVerdict;
  /** A few failed calls per reason, for a reader to look into. */
  examples: { reason: string; callId: string; detail: string }[];
  /** What cross-talk detection checked, found and could not check. */
  crossTalk: CrossTalkSummary;
}

/** After the hang-up at the end, how long calls get to report before they are written off. */
const DRAIN_MS = 10_000;
const EXAMPLES_PER_REASON = 3;

export async function runLoad(o: LoadOptions, io: LoadRunIo = {}): Promise<LoadResult> {
  const clock = io.clock ?? realClock;
  const windowMs = o.windowMs ?? 1000;
  const arrivals = new Arrivals({ calls: o.calls, ratePerS: o.ratePerS, durationMs: o.durationMs, rampMs: o.rampMs });
  const examples: LoadResult["examples"] = [];
  const perReason = new Map<string, number>();
  let reported = 0;
  let onReport: (() => void) | undefined;
  const crossTalk = o.crossTalk && !("silence" in o.caller) ? new CrossTalkRun(o.crossTalk) : undefined;
  // The run's clock starts once every shard is up (from sources a worker compiles for seconds).
  let t0 = clock.nowUs();
  let win = new LoadWindows(t0, windowMs);
  const pool = await ShardPool.start({
    workers: o.workers,
    windowMs,
    stubTurns: io.stubTurns,
    events: {
      outcome: (raw) => {
        const ev = crossTalk ? crossTalk.outcome(raw) : raw;
        win.outcome(ev);
        reported++;
        if (!ev.ok) {
          const n = perReason.get(ev.reason ?? "") ?? 0;
          perReason.set(ev.reason ?? "", n + 1);
          if (n < EXAMPLES_PER_REASON) examples.push({ reason: ev.reason ?? "harness", callId: ev.callId, detail: ev.detail ?? "" });
        }
        io.outcome?.(ev);
        onReport?.();
      },
      tick: (t) => win.tick(t),
      died: (shard, calls, message) => win.shardDied(shard, calls, message),
    },
  });
  const startedAt = new Date().toISOString();
  t0 = clock.nowUs();
  win = new LoadWindows(t0, windowMs);
  const elapsed = (): number => (clock.nowUs() - t0) / 1000;
  let partial = false;
  const cpu0 = { usage: process.cpuUsage(), at: clock.nowUs() };
  let cpuLast = cpu0;
  const sampleCpu = (): void => {
    const now = { usage: process.cpuUsage(), at: clock.nowUs() };
    const d = process.cpuUsage(cpuLast.usage);
    if (now.at > cpuLast.at) win.cpu(cpuLast.at, ((d.user + d.system) / (now.at - cpuLast.at)) * 100);
    cpuLast = now;
  };

  try {
    await new Promise<void>((resolve) => {
      let nextWindow = windowMs;
      const step = (): void => {
        const e = elapsed();
        if (io.signal?.aborted) return resolve();
        const n = arrivals.take(e, pool.active);
        for (let i = 0; i < n; i++) {
          const index = arrivals.count - n + i;
          win.callStarted(clock.nowUs());
          if (!pool.dispatch({ ...specFor(o, index, e), ...(crossTalk ? crossTalk.assign(index, clock.nowUs()) : {}) })) {
            // Every shard died: the run cannot go on.
            return resolve();
          }
        }
        win.active(clock.nowUs(), pool.active);
        if (e >= nextWindow) {
          nextWindow += windowMs;
          sampleCpu();
          if (io.live) io.live(liveFigures(win, e, pool.active));
        }
        if (arrivals.finished(e) && (o.durationMs !== undefined || reported >= arrivals.count)) return resolve();
        timer = setTimeout(step, arrivals.nextCheckMs());
      };
      let timer: NodeJS.Timeout = setTimeout(step, 0);
      io.signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
    partial = !!io.signal?.aborted;
    // The end: calls still up are hung up (they keep what they measured) and get DRAIN_MS to report.
    pool.cutAll();
    await new Promise<void>((resolve) => {
      if (reported >= arrivals.count || pool.active === 0) return resolve();
      const t = setTimeout(resolve, DRAIN_MS);
      onReport = () => {
        if (pool.active === 0) (clearTimeout(t), resolve());
      };
    });
    onReport = undefined;
    pool.abandon(`the call did not end within ${DRAIN_MS / 1000} s of the run's hang-up`);
  } finally {
    sampleCpu();
    await pool.close();
  }
  const totals = win.totals();
  const windows = win.figures();
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    elapsedMs: Math.round(elapsed()),
    partial,
    options: { calls: o.calls, ratePerS: o.ratePerS, durationMs: o.durationMs, rampMs: o.rampMs, workers: o.workers, windowMs, maxCallMs: o.maxCallMs },
    totals,
    windows,
    verdict: verdictOf(totals, partial),
    examples: examples.map((e) => (e.reason === "cross-talk" ? { ...e, detail: crossTalk?.detailOf(e.callId) ?? e.detail } : e)),
    crossTalk: crossTalk?.summary() ?? crossTalkOff(!o.crossTalk ? "not asked for" : "the callers are silent (--turns 0): there is no caller audio to sign"),
  };
}

/**
 * The live figures, each summarised when first read: a summary walks HDR histograms (the totals one
 * per shard too), on the thread that also merges every shard's windows, and not every consumer reads them.
 */
function liveFigures(win: LoadWindows, elapsedMs: number, active: number): LiveFigures {
  let window: WindowFigures | undefined;
  let totals: TotalFigures | undefined;
  return {
    elapsedMs,
    active,
    get window() {
      return (window ??= lastComplete(win, elapsedMs));
    },
    get totals() {
      return (totals ??= win.totals());
    },
  };
}

/** The window that ended last (the one in progress is still filling). */
function lastComplete(win: LoadWindows, elapsedMs: number): WindowFigures {
  return win.figure(Math.max(0, Math.min(win.lastIndex(), Math.floor(elapsedMs / win.windowMs) - 1)));
}

function specFor(o: LoadOptions, index: number, elapsedMs: number) {
  // A timed run's calls never outlast it (plus the drain): the run ends on time.
  const left = o.durationMs !== undefined ? Math.max(1000, o.durationMs - elapsedMs) : o.maxCallMs;
  return {
    index,
    appUrl: o.appUrl,
    caller: o.caller,
    dtmf: o.dtmf,
    maxDurationMs: Math.min(o.maxCallMs, left),
    hangupAfterCallerMs: o.hangupAfterCallerMs,
    settings: o.settings,
    conversation: o.conversation,
  };
}
