// When to start calls: pure, driven by the caller's clock. `--calls N` alone places N calls in all;
// with `--duration` it holds N concurrent calls until the duration is over (a call that ends is
// replaced). Starts are limited by `--rate` (a token bucket: at most rate·t calls by time t) and by
// `--ramp` (the concurrency target grows linearly from 0 to N over the ramp).

export interface ArrivalPlan {
  calls: number;
  ratePerS?: number;
  durationMs?: number;
  rampMs?: number;
}

/** Default start rate when neither --rate nor --ramp is given: a burst of N connects at once is a test of its own. */
export const DEFAULT_RATE_PER_S = 10;

export class Arrivals {
  private started = 0;

  constructor(private readonly plan: ArrivalPlan) {}

  /** Calls started so far. */
  get count(): number {
    return this.started;
  }

  /** No more calls will start (the duration is over, or every call of a fixed-count run started). */
  finished(elapsedMs: number): boolean {
    return this.plan.durationMs !== undefined ? elapsedMs >= this.plan.durationMs : this.started >= this.plan.calls;
  }

  /** The concurrency target at `elapsedMs`. */
  target(elapsedMs: number): number {
    const { calls, rampMs } = this.plan;
    if (!rampMs || elapsedMs >= rampMs) return calls;
    return Math.min(calls, Math.floor((calls * Math.max(0, elapsedMs)) / rampMs) + 1);
  }

  /** Calls started per second at most (a ramp without --rate is limited by the ramp alone). */
  private get rate(): number {
    return this.plan.ratePerS ?? (this.plan.rampMs ? Infinity : DEFAULT_RATE_PER_S);
  }

  /** How many calls to start now, with `active` calls in progress; counts them as started. */
  take(elapsedMs: number, active: number): number {
    if (this.finished(elapsedMs)) return 0;
    const rate = this.rate;
    const allowance = rate === Infinity ? Infinity : Math.floor((rate * Math.max(0, elapsedMs)) / 1000) + 1 - this.started;
    let n = Math.min(this.target(elapsedMs) - active, allowance);
    if (this.plan.durationMs === undefined) n = Math.min(n, this.plan.calls - this.started);
    n = Math.max(0, n);
    this.started += n;
    return n;
  }

  /** Milliseconds until take() may next return more than 0 with the same `active` (for the run loop's timer). */
  nextCheckMs(): number {
    const rate = this.rate;
    const step = rate === Infinity ? 50 : 1000 / rate;
    return Math.max(5, Math.min(100, step));
  }
}
