// Clocks are injected everywhere so core logic stays testable without sleeping.
// Monotonic time is in microseconds (a double holds µs exactly for ~285 years).

export interface Clock {
  /** Monotonic time in µs; only differences are meaningful. */
  nowUs(): number;
  /** Wall-clock time as a Date (for ISO timestamps in webhooks). */
  wallNow(): Date;
  /** Resolve after `us` microseconds of this clock's time. */
  sleepUs(us: number): Promise<void>;
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
