// Clocks are injected everywhere so core logic stays testable without sleeping.
// Monotonic time is in microseconds (a double holds µs exactly for ~285 years).

export interface Clock {
  /** Monotonic time in µs; only differences are meaningful. */
  nowUs(): number;
  /** Wall-clock time as a Date (for ISO timestamps in webhooks). */
  wallNow(): Date;
  /** Resolve after `us` microseconds of this clock's time. A clock may forget the sleeper when `signal`
   * fires (its promise then never settles: callers race it against the signal, call/sleep.ts). */
  sleepUs(us: number, signal?: AbortSignal): Promise<void>;
  /** Virtual time only: real work is under way (a webhook, a media stream), so time must not skip
   * ahead; returns the release. */
  hold?(): () => void;
}

export const realClock: Clock = {
  nowUs: () => performance.now() * 1000,
  wallNow: () => new Date(),
  sleepUs: (us) => new Promise((resolve) => setTimeout(resolve, Math.max(0, us / 1000))),
};

/** A clock that moves only when told to; sleepers wake in deadline order. */
export class ManualClock implements Clock {
  private us: number;
  private readonly wallStartMs: number;
  private sleepers: { at: number; resolve: () => void }[] = [];

  constructor(startUs = 0, wallStart = new Date("2025-03-04T14:00:00.000Z")) {
    this.us = startUs;
    this.wallStartMs = wallStart.getTime() - startUs / 1000;
  }

  nowUs(): number {
    return this.us;
  }

  wallNow(): Date {
    return new Date(this.wallStartMs + this.us / 1000);
  }

  sleepUs(us: number): Promise<void> {
    return new Promise((resolve) => {
      this.sleepers.push({ at: this.us + Math.max(0, us), resolve });
      this.sleepers.sort((a, b) => a.at - b.at);
    });
  }

  /** Advance time, waking sleepers (and letting their continuations run) in order. */
  async advanceUs(us: number): Promise<void> {
    const target = this.us + us;
    while (this.sleepers.length && this.sleepers[0].at <= target) {
      const s = this.sleepers.shift()!;
      this.us = s.at;
      s.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.us = target;
  }
}

/**
 * Virtual time for functional runs (`--fast`): it runs at real speed, and whenever nothing holds it
 * (no webhook in flight, no media stream open) and someone sleeps on it, it skips ahead to the
 * earliest sleeper's deadline. Ring, Pause, Gather/Record timeouts, DTMF gaps and the call's duration
 * cap then cost no real time, while an app's replies still get real time to arrive.
 */
export class VirtualClock implements Clock {
  private skippedUs = 0;
  private seq = 0;
  private readonly sleepers: { at: number; seq: number; resolve: () => void }[] = [];
  private holds = 0;
  private timer?: NodeJS.Timeout;

  nowUs(): number {
    return performance.now() * 1000 + this.skippedUs;
  }

  wallNow(): Date {
    return new Date(Date.now() + this.skippedUs / 1000);
  }

  /** Time skipped so far, ms. */
  get skippedMs(): number {
    return this.skippedUs / 1000;
  }

  sleepUs(us: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return;
      const onAbort = () => {
        const k = this.sleepers.indexOf(s);
        if (k >= 0) this.sleepers.splice(k, 1);
        this.arm();
      };
      const s = {
        at: this.nowUs() + Math.max(0, us),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      let i = this.sleepers.length;
      while (i > 0 && this.sleepers[i - 1].at > s.at) i--;
      this.sleepers.splice(i, 0, s);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.arm();
    });
  }

  hold(): () => void {
    this.holds++;
    this.arm();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.arm();
    };
  }

  /** One real timer: at the earliest deadline while held, else a skip once pending I/O has had its turn. */
  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const first = this.sleepers[0];
    if (!first) return;
    if (this.holds > 0) {
      this.timer = setTimeout(() => this.wake(), Math.max(0, (first.at - this.nowUs()) / 1000));
      return;
    }
    // setTimeout rather than setImmediate: socket reads due now (a reply that just arrived, which
    // will take a hold) run first.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const next = this.sleepers[0];
      if (this.holds > 0 || !next) return this.arm();
      const ahead = next.at - this.nowUs();
      if (ahead > 0) this.skippedUs += ahead;
      this.wake();
    }, 0);
  }

  private wake(): void {
    this.timer = undefined;
    const now = this.nowUs();
    while (this.sleepers.length && this.sleepers[0].at <= now) this.sleepers.shift()!.resolve();
    this.arm();
  }
}

/** ISO 8601 UTC with milliseconds, as Bandwidth timestamps are written. */
export function isoTime(d: Date): string {
  return d.toISOString();
}

/** ISO 8601 duration as in `mediaStream.duration` (e.g. `PT1M52.217S`). */
export function isoDuration(us: number): string {
  const totalMs = Math.max(0, Math.round(us / 1000));
  const h = Math.floor(totalMs / 3_600_000);
  const m = Math.floor((totalMs % 3_600_000) / 60_000);
  const s = (totalMs % 60_000) / 1000;
  return `PT${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s.toFixed(3).replace(/\.?0+$/, "") || "0"}S`;
}
