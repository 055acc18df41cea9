// A shard: the calls one thread carries, on that thread's own pacing scheduler and sockets. It
// starts calls it is handed, reports each outcome, and every window reports itself (its scheduler's
// lateness since the last window, its thread's busy share). The same code runs on the main thread
// (`--workers 0`) and in a worker (worker.ts).

import { performance, type EventLoopUtilization } from "node:perf_hooks";
import { realClock } from "../../emulator/clock.js";
import { sharedScheduler } from "../../emulator/media/scheduler.js";
import { cacheCallerAudio } from "../../emulator/call/media.js";
import { startLoadCall, type LoadCall, type StubTurnsLookup } from "./call.js";
import type { CallOutcome, CallSpec, ShardTick } from "./types.js";

export interface ShardHost {
  outcome(o: CallOutcome): void;
  tick(t: ShardTick): void;
}

export class Shard {
  private readonly calls = new Map<number, LoadCall>();
  private readonly timer: NodeJS.Timeout;
  private elu: EventLoopUtilization = performance.eventLoopUtilization();

  constructor(
    readonly id: number,
    private readonly host: ShardHost,
    private readonly stubTurns?: StubTurnsLookup,
    windowMs = 1000,
  ) {
    sharedScheduler("realtime").resetLateness();
    // Every call of a load run says the same audio: decoded and analysed once per thread.
    cacheCallerAudio(true);
    this.timer = setInterval(() => this.report(), windowMs);
  }

  start(spec: CallSpec): void {
    const call = startLoadCall(spec, this.id, this.stubTurns);
    this.calls.set(spec.index, call);
    void call.outcome.then((o) => {
      this.calls.delete(spec.index);
      this.host.outcome(o);
    });
  }

  /** Hang up every call in progress (the run's end, Ctrl-C); their outcomes follow. */
  cutAll(): void {
    for (const c of this.calls.values()) c.cut();
  }

  /** One window's self-measurement; the scheduler's lateness restarts from here. */
  report(): void {
    const s = sharedScheduler("realtime");
    const lateness = s.encodedLateness();
    s.resetLateness();
    const now = performance.eventLoopUtilization();
    const elu = performance.eventLoopUtilization(now, this.elu).utilization;
    this.elu = now;
    this.host.tick({ shard: this.id, atUs: realClock.nowUs(), active: this.calls.size, lateness, elu });
  }

  close(): void {
    clearInterval(this.timer);
    cacheCallerAudio(false);
    this.report();
  }
}
