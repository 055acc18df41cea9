// Rate limit for a live view: an app flooding one kind of mistake (thousands of bad frames a second)
// must not print a line each. Per kind, the first `burst` lines print; after that at most one a
// second, saying how many like it were not shown. The full record stays in the timeline.

export interface LineLimitOptions {
  /** Lines of one kind printed before limiting starts (default 5). */
  burst?: number;
  /** Then at most one line of that kind per this many µs (default 1 s). */
  intervalUs?: number;
}

interface KindState {
  shown: number;
  lastShownUs: number;
  /** Lines not shown since the last one that was. */
  held: number;
}

export class LineLimiter {
  private readonly kinds = new Map<string, KindState>();
  private readonly burst: number;
  private readonly intervalUs: number;

  constructor(o: LineLimitOptions = {}) {
    this.burst = o.burst ?? 5;
    this.intervalUs = o.intervalUs ?? 1_000_000;
  }

  /**
   * Whether a line of `kind` at `tUs` may print: undefined when it is held back, otherwise the number
   * of lines of that kind held back since the last one printed (to say so on this one).
   */
  allow(kind: string, tUs: number): number | undefined {
    let k = this.kinds.get(kind);
    if (!k) this.kinds.set(kind, (k = { shown: 0, lastShownUs: -Infinity, held: 0 }));
    if (k.shown >= this.burst && tUs - k.lastShownUs < this.intervalUs) {
      k.held++;
      return undefined;
    }
    const held = k.held;
    k.shown++;
    k.lastShownUs = tUs;
    k.held = 0;
    return held;
  }

  /** Kinds with lines held back since their last printed line (for a closing summary); resets them. */
  drain(): [kind: string, held: number][] {
    const out: [string, number][] = [];
    for (const [kind, k] of this.kinds) {
      if (k.held) out.push([kind, k.held]);
      k.held = 0;
    }
    return out;
  }
}
