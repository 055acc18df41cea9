// The pacing scheduler: ONE per process (per mode), shared by every call, so 100 concurrent streams
// cost one timer, not 100 (ARCHITECTURE.md "Clocks"; bandwidth.md §4.4: one frame per track every
// 20 ms). Deadlines are absolute — tick n is due at start + n·period — so lateness never accumulates
// into drift, and a stall is caught up tick by tick (each recorded with its lateness) rather than
// silently shortening the audio.
//
// Real time, real clock: a deadline heap; one wake-up armed for the earliest deadline. Default
// ("auto"): with few streams a worker thread sleeping in Atomics.wait posts a message at the deadline
// (precise-timer.ts: sub-ms, no busy-wait), on a 500 µs grid; with many streams plain setTimeout,
// because then I/O handlers call runDue() (the carrier's media socket does, for every frame it
// receives) and fire ticks sub-ms anyway, while the worker's two thread wake-ups per deadline only
// compete for the cores (100 streams on 2 cores, 30 s runs: worker p99 1.2–3.4 ms at 82–88% CPU,
// setTimeout 1.2–2.0 ms at 64–70%). Alternatives (option `timer`): always the worker; a coarse setTimeout `spinUs` early,
// then a setImmediate spin (still lets socket I/O run) — most precise on an idle box, costs up to a
// core; or plain setTimeout (1 ms granularity, cheapest). bench/scheduler.bench.ts compares them.
// Phase slots: a stream started without a deadline of its own ticks on the grid the first stream
// set (a media server's channels share one timer; bandwidth.md §4.4 leaves bundling open), so its
// first frame waits up to one period and the streams' ticks come as one burst per period instead of
// a wake-up each: 100 calls on 2 threads, ~20 % less CPU than each stream on its own phase. A burst
// is at most `slotStreams` streams: past that, new streams take the next of the period's
// `phaseSlotUs` slots, so no stream waits behind more than that many others in its tick.
// Any other Clock (e.g. ManualClock in tests): the clock's own sleepUs, deterministic.
// Fast mode: ticks run back-to-back, round-robin across streams, lateness 0, yielding to I/O every
// `fastSliceUs` so sockets drain; a stream whose `ready()` is false is skipped (back-pressure).

import { realClock, type Clock } from "../clock.js";
import { DeadlineHeap } from "./heap.js";
import { createPreciseTimer, type PreciseTimer } from "./precise-timer.js";
import { LatenessRecorder, type LatenessStats } from "./lateness.js";

export type { LatenessStats } from "./lateness.js";

export interface EveryOptions {
  periodUs: number;
  /** Deadline of tick 0 on the scheduler's clock; default now (tick 0 fires at once). */
  startUs?: number;
  /** Called for tick n, `lateUs` after its deadline. Returning false stops this stream. */
  onTick: (n: number, lateUs: number) => boolean | void;
  /** onTick threw: the stream is stopped and the error handed here (default: a process warning). */
  onError?: (err: unknown) => void;
  /** Fast mode only: false = not now (e.g. the socket's send buffer is full); asked again later. */
  ready?: () => boolean;
  /**
   * Keep this stream's own lateness histogram for `TickHandle.lateness()` (default true). An HDR
   * histogram is ~50 KB: a call's media clock summarises its own lateness and passes false, so a
   * load run does not hold one per call.
   */
  lateness?: boolean;
}

export interface TickHandle {
  cancel(): void;
  /** This stream's own lateness (count = ticks fired); all zero when the stream was started with `lateness: false`. */
  lateness(): LatenessStats;
}

export interface PacingScheduler {
  every(opts: EveryOptions): TickHandle;
  /** Lateness over every tick of every stream since creation (or resetLateness). */
  lateness(): LatenessStats;
  /** The same ticks as an HDR histogram (µs, compressed base64), to merge with other threads' (load) or runs' (shards). */
  encodedLateness(): string;
  resetLateness(): void;
  /**
   * Fire every tick already due, now (a no-op when none is). For I/O handlers: a backlog of socket
   * reads handled in one event-loop poll phase would otherwise hold due ticks back until it is done.
   */
  runDue(): void;
  /** Streams currently scheduled. */
  readonly active: number;
  readonly mode: "realtime" | "fast";
  readonly closed: boolean;
  /** Stop every stream and release timers; every() afterwards throws. */
  close(): void;
}

export interface PacingSchedulerOptions {
  clock?: Clock;
  mode?: "realtime" | "fast";
  /**
   * Real clock only: how to wake at a deadline. "worker": a worker thread sleeping in Atomics.wait
   * posts a message at the deadline (no busy-wait). "spin": setTimeout until `spinUs` before the
   * deadline, then a setImmediate spin (precise when the CPU is free, costs up to a core). "timer":
   * setTimeout only (1 ms granularity). "auto" (default): "worker" while at most
   * `autoWorkerMaxStreams` streams are active, else "timer". Env BWEMU_PACING_TIMER overrides the default.
   */
  timer?: "auto" | "worker" | "spin" | "timer";
  /** Timer "auto": the most streams for which the worker timer is used (default AUTO_WORKER_MAX_STREAMS). */
  autoWorkerMaxStreams?: number;
  /** The spin window for timer "spin" (default DEFAULT_SPIN_US). */
  spinUs?: number;
  /**
   * Timer "worker": wake-ups land on a grid of this many µs (default DEFAULT_COALESCE_US), so the
   * ticks of many streams whose deadlines fall in one slot share a wake-up. Bounds the wake rate
   * (≤ 1e6/coalesceUs per s, whatever the number of calls) at the cost of ≤ coalesceUs lateness.
   */
  coalesceUs?: number;
  /** Fast mode: run ticks for at most this long before yielding to I/O. */
  fastSliceUs?: number;
  /**
   * Real-time mode: width of the phase slots a stream's first deadline is placed in (see above); 0 =
   * every stream starts at once, on its own phase. Default DEFAULT_PHASE_SLOT_US on the real clock, 0
   * on any other (deterministic tests); env BWEMU_PACING_SLOT_US overrides the default. Only for
   * periods it divides.
   */
  phaseSlotUs?: number;
  /** Phase slots: streams in one slot before the next slot is used (default DEFAULT_SLOT_STREAMS; env BWEMU_PACING_SLOT_STREAMS). */
  slotStreams?: number;
}

/** Default spin window; override with BWEMU_PACING_SPIN_US (see bench/scheduler.bench.ts). */
export const DEFAULT_SPIN_US = 1500;
const DEFAULT_FAST_SLICE_US = 2000;
/** Worker wake-up grid; see PacingSchedulerOptions.coalesceUs. */
export const DEFAULT_COALESCE_US = 500;
/** Phase slots: 4 per 20 ms frame. */
export const DEFAULT_PHASE_SLOT_US = 5000;
/**
 * Streams one burst holds. A load call's tick costs 40–90 µs of this 2-core VM's CPU: 32 streams end
 * within ~3 ms of their deadline. 100 calls on 2 threads, median 500 ms window's lateness p99: bursts
 * of 50 3.6–4.9 ms, of 32 2.6–3.8 ms, of 16 2.1–2.5 ms (with ~7 % more CPU than 50).
 */
export const DEFAULT_SLOT_STREAMS = 32;
/** Timer "auto": up to this many streams use the worker timer. */
export const AUTO_WORKER_MAX_STREAMS = 10;

interface Entry {
  deadlineUs: number;
  seq: number;
  n: number;
  readonly startUs: number;
  readonly periodUs: number;
  readonly opts: EveryOptions;
  readonly late?: LatenessRecorder;
  /** The phase slot it holds (counted by PhaseSlots), if any: always set, so every entry has one shape. */
  readonly slot: number | undefined;
  done: boolean;
}

function envTimer(): "auto" | "worker" | "spin" | "timer" | undefined {
  const v = process.env.BWEMU_PACING_TIMER;
  return v === "auto" || v === "worker" || v === "spin" || v === "timer" ? v : undefined;
}

function envUs(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The media clock's phase slots on the real clock: the defaults, or what the environment sets. */
export function mediaClockSlots(): { slotUs: number; slotStreams: number } {
  return { slotUs: envUs("BWEMU_PACING_SLOT_US") ?? DEFAULT_PHASE_SLOT_US, slotStreams: Math.max(1, envUs("BWEMU_PACING_SLOT_STREAMS") ?? DEFAULT_SLOT_STREAMS) };
}

export function createPacingScheduler(opts: PacingSchedulerOptions = {}): PacingScheduler {
  const clock = opts.clock ?? realClock;
  const mode = opts.mode ?? "realtime";
  const precise = clock === realClock;
  const timerKind = opts.timer ?? envTimer() ?? "auto";
  const spinUs = timerKind === "timer" || timerKind === "auto" ? 0 : Math.max(0, opts.spinUs ?? envUs("BWEMU_PACING_SPIN_US") ?? DEFAULT_SPIN_US);
  const autoWorkerMax = opts.autoWorkerMaxStreams ?? AUTO_WORKER_MAX_STREAMS;
  const usesWorker = timerKind === "worker" || timerKind === "auto";
  const coalesceUs = Math.max(1, opts.coalesceUs ?? DEFAULT_COALESCE_US);
  let workerTargetUs = Infinity; // what the worker is armed for (Infinity: fired or disarmed)
  const onWorkerFire = (): void => {
    workerTargetUs = Infinity;
    onPreciseWake();
  };
  // Booted at once (it takes tens of ms) so it is ready by the first stream; null = unavailable.
  let worker: PreciseTimer | null | undefined =
    precise && mode === "realtime" && usesWorker ? createPreciseTimer(onWorkerFire) : undefined;
  const fastSliceUs = Math.max(0, opts.fastSliceUs ?? DEFAULT_FAST_SLICE_US);
  const slots = mediaClockSlots();
  const phaseSlotUs = mode === "realtime" ? Math.max(0, opts.phaseSlotUs ?? (precise ? slots.slotUs : 0)) : 0;
  const phases = new PhaseSlots(phaseSlotUs, Math.max(1, opts.slotStreams ?? slots.slotStreams));

  const all = new LatenessRecorder();
  const heap = new DeadlineHeap<Entry>();
  const fastList: Entry[] = [];
  let seq = 0;
  let active = 0;
  let closed = false;

  // Real-clock wake-ups.
  let timer: NodeJS.Timeout | null = null;
  let timerTargetUs = Infinity;
  let immediate: NodeJS.Immediate | null = null;
  // Clock.sleepUs wake-ups (cannot be cancelled: stale ones are recognised by generation).
  let generation = 0;
  let sleepTargetUs = Infinity;
  // Fast mode.
  let fastTimer: NodeJS.Timeout | null = null;

  const finish = (e: Entry): void => {
    if (e.done) return;
    e.done = true;
    active--;
    if (e.slot !== undefined) phases.leave(e.periodUs, e.slot);
  };

  /** Run one tick; returns whether the stream goes on. */
  const fire = (e: Entry, lateUs: number): boolean => {
    e.late?.record(lateUs);
    all.record(lateUs);
    let goOn: boolean | void;
    try {
      goOn = e.opts.onTick(e.n, lateUs);
    } catch (err) {
      finish(e);
      if (e.opts.onError) e.opts.onError(err);
      else process.emitWarning(`pacing scheduler: onTick threw, stream stopped: ${err instanceof Error ? err.stack : String(err)}`);
      return false;
    }
    if (goOn === false) finish(e);
    if (e.done) return false;
    e.n++;
    e.deadlineUs = e.startUs + e.n * e.periodUs;
    return true;
  };

  /** Real clock: after this long firing ticks (a big catch-up), yield so socket I/O can run. */
  const MAX_SLICE_MS = 5;

  let firing = false;
  /** Not re-entrant: an onTick that leads to runDue() (e.g. through a synchronous socket event) is a no-op. */
  const fireDue = (): void => {
    if (firing) return;
    firing = true;
    try {
      fireDueNow();
    } finally {
      firing = false;
    }
  };

  const fireDueNow = (): void => {
    const sliceEndUs = precise ? clock.nowUs() + MAX_SLICE_MS * 1000 : Infinity;
    for (;;) {
      const e = heap.peek();
      if (!e || closed) return;
      if (e.done) {
        heap.pop();
        continue;
      }
      const now = clock.nowUs();
      if (now > sliceEndUs) {
        if (!immediate) immediate = setImmediate(onPreciseWake);
        return;
      }
      if (e.deadlineUs > now) return;
      heap.pop();
      if (fire(e, now - e.deadlineUs)) heap.push(e);
    }
  };

  const dropDoneAtTop = (): Entry | undefined => {
    let e = heap.peek();
    while (e && e.done) {
      heap.pop();
      e = heap.peek();
    }
    return e;
  };

  const onPreciseWake = (): void => {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = null;
    immediate = null;
    timerTargetUs = Infinity;
    fireDue();
    arm();
  };

  /**
   * Worker wake-up at the end of d's grid slot; under 100 µs to go, a setImmediate step is cheaper.
   * The worker is re-armed only when its target changes: every arm wakes the worker thread.
   */
  const armWorker = (d: number, w: PreciseTimer): void => {
    if (immediate) return;
    const at = Math.ceil(d / coalesceUs) * coalesceUs;
    if (at - clock.nowUs() <= 100) {
      immediate = setImmediate(onPreciseWake);
      return;
    }
    if (workerTargetUs === at) return;
    workerTargetUs = at;
    w.arm(at);
  };

  const armPrecise = (d: number): void => {
    if (timerKind === "worker" || (timerKind === "auto" && active <= autoWorkerMax)) {
      if (worker === undefined) worker = createPreciseTimer(onWorkerFire);
      if (worker?.ready) {
        if (timer) clearTimeout(timer);
        timer = null;
        return armWorker(d, worker);
      }
      // until the worker is up (or if it is unavailable): timer + spin
    } else if (workerTargetUs !== Infinity) {
      worker?.disarm(); // auto, many streams: setTimeout from now on
      workerTargetUs = Infinity;
    }
    if (immediate) return; // a spin step is queued; it re-arms after checking
    const wait = d - clock.nowUs();
    if (wait <= spinUs) {
      if (timer) clearTimeout(timer);
      timer = null;
      timerTargetUs = Infinity;
      immediate = setImmediate(onPreciseWake);
      return;
    }
    const target = d - spinUs;
    if (timer && timerTargetUs <= target) return;
    if (timer) clearTimeout(timer);
    timerTargetUs = target;
    timer = setTimeout(onPreciseWake, Math.max(1, Math.floor((wait - spinUs) / 1000)));
  };

  const armClock = (d: number): void => {
    if (sleepTargetUs <= d) return;
    sleepTargetUs = d;
    const gen = ++generation;
    void clock.sleepUs(Math.max(0, d - clock.nowUs())).then(() => {
      if (gen !== generation || closed) return;
      sleepTargetUs = Infinity;
      fireDue();
      arm();
    });
  };

  const arm = (): void => {
    if (closed) return;
    if (mode === "fast") return armFast();
    const e = dropDoneAtTop();
    if (!e) {
      if (timer) clearTimeout(timer);
      timer = null;
      worker?.disarm();
      workerTargetUs = Infinity;
      timerTargetUs = Infinity;
      return;
    }
    if (precise) armPrecise(e.deadlineUs);
    else armClock(e.deadlineUs);
  };

  // ---- fast mode -------------------------------------------------------------------------------
  const runFast = (): void => {
    immediate = null;
    fastTimer = null;
    const t0 = performance.now();
    let anyReady = true;
    while (!closed && fastList.length && anyReady) {
      anyReady = false;
      for (const e of fastList.slice()) {
        if (e.done) continue;
        if (e.opts.ready && !e.opts.ready()) continue;
        anyReady = true;
        fire(e, 0);
      }
      for (let i = fastList.length - 1; i >= 0; i--) if (fastList[i].done) fastList.splice(i, 1);
      if ((performance.now() - t0) * 1000 >= fastSliceUs) break;
    }
    if (closed || !fastList.length) return;
    // Nobody could take a frame: poll again shortly instead of spinning.
    if (!anyReady) fastTimer = setTimeout(runFast, 1);
    else immediate = setImmediate(runFast);
  };

  const armFast = (): void => {
    if (immediate || fastTimer || !fastList.length) return;
    immediate = setImmediate(runFast);
  };

  return {
    mode,
    get active() {
      return active;
    },
    get closed() {
      return closed;
    },
    every(o: EveryOptions): TickHandle {
      if (closed) throw new Error("pacing scheduler is closed");
      if (!(o.periodUs > 0) || !Number.isFinite(o.periodUs)) {
        throw new RangeError(`pacing scheduler: periodUs must be a positive number, got ${o.periodUs}`);
      }
      const phase = o.startUs === undefined ? phases.join(o.periodUs, clock.nowUs(), active === 0) : undefined;
      const startUs = o.startUs ?? phase?.startUs ?? clock.nowUs();
      const e: Entry = {
        deadlineUs: startUs,
        seq: seq++,
        n: 0,
        startUs,
        periodUs: o.periodUs,
        opts: o,
        late: o.lateness === false ? undefined : new LatenessRecorder(),
        slot: phase?.slot,
        done: false,
      };
      active++;
      if (mode === "fast") fastList.push(e);
      else heap.push(e);
      arm();
      return {
        cancel: () => {
          finish(e);
          if (mode === "fast") {
            const i = fastList.indexOf(e);
            if (i >= 0) fastList.splice(i, 1);
          }
        },
        lateness: () => e.late?.stats() ?? { count: 0, p50Us: 0, p99Us: 0, maxUs: 0 },
      };
    },
    runDue() {
      if (closed || mode !== "realtime" || !precise || firing) return;
      const e = heap.peek();
      if (!e || e.deadlineUs > clock.nowUs()) return;
      fireDue();
      arm();
    },
    lateness: () => all.stats(),
    encodedLateness: () => all.encode(),
    resetLateness: () => all.reset(),
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      if (fastTimer) clearTimeout(fastTimer);
      worker?.close();
      timer = null;
      immediate = null;
      fastTimer = null;
      generation++;
      for (const e of fastList) finish(e);
      fastList.length = 0;
      for (let e = heap.pop(); e; e = heap.pop()) finish(e);
    },
  };
}

/** Streams per phase slot of each period, from an epoch set when the scheduler goes from idle to busy. */
class PhaseSlots {
  private epochUs = 0;
  private readonly counts = new Map<number, number[]>();

  constructor(
    private readonly slotUs: number,
    private readonly slotStreams: number,
  ) {}

  /**
   * A new stream's first deadline and slot (undefined when slots do not apply to its period): the
   * fullest slot that still has room (ties: the soonest), else the emptiest.
   */
  join(periodUs: number, nowUs: number, idle: boolean): { startUs: number; slot: number } | undefined {
    const k = this.slotUs > 0 ? periodUs / this.slotUs : 0;
    if (!Number.isInteger(k) || k < 1) return undefined;
    if (idle) {
      this.epochUs = nowUs;
      this.counts.clear();
    }
    let counts = this.counts.get(periodUs);
    if (!counts) this.counts.set(periodUs, (counts = new Array<number>(k).fill(0)));
    const room = counts.some((c) => c < this.slotStreams);
    let best = -1;
    let bestUs = Infinity;
    for (let i = 0; i < k; i++) {
      const c = counts[i];
      if (room && c >= this.slotStreams) continue;
      const from = this.epochUs + i * this.slotUs;
      const at = from + Math.max(0, Math.ceil((nowUs - from) / periodUs)) * periodUs;
      const better = best < 0 || (room ? c > counts[best] : c < counts[best]);
      if (better || (c === counts[best] && at < bestUs)) {
        best = i;
        bestUs = at;
      }
    }
    counts[best]++;
    return { startUs: bestUs, slot: best };
  }

  leave(periodUs: number, slot: number): void {
    const counts = this.counts.get(periodUs);
    if (counts && counts[slot] > 0) counts[slot]--;
  }
}

const shared = new Map<"realtime" | "fast", PacingScheduler>();

/** The process-wide scheduler for a mode (real clock), created on first use (again after close()). */
export function sharedScheduler(mode: "realtime" | "fast" = "realtime"): PacingScheduler {
  let s = shared.get(mode);
  if (!s || s.closed) {
    s = createPacingScheduler({ mode });
    shared.set(mode, s);
  }
  return s;
}
