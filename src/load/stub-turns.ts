// Which stub session served which load call, so each turn's bridge overhead B = L − K can be known
// (openai-realtime.md §12.3.3). Every load call says the same fixture speech, so audio cannot tell
// calls apart: a session belongs to the call whose stream connected most recently before it opened
// (a bridge opens its upstream session when the stream starts), among calls not yet matched.
// Lookups are batched: one stub sync serves every call that ended since the last one.

import type { StubTurnLike } from "../../emulator/latency/index.js";
import type { StubSessionRecord } from "../../emulator/realtime/record.js";

export interface StubLike {
  sessions(): StubSessionRecord[];
  sync(): Promise<void>;
}

/** Which call asks: its stream's first connect and its end, on the carrier's clock (µs). */
export interface StubTurnsQuery {
  callId: string;
  connectUs: number;
  endedUs: number;
}

interface Query extends StubTurnsQuery {
  resolve: (turns: StubTurnLike[] | undefined) => void;
}

/** A session may open this long before the carrier stamped the stream's connect (the two happen concurrently)… */
const EARLY_US = 100_000;
/** …and must open within this long after it (a bridge connects upstream when the stream starts). */
const LATE_US = 3_000_000;

export class StubMatcher {
  private readonly owned = new Set<string>();
  private queue: Query[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly stub: StubLike,
    private readonly batchMs = 250,
  ) {}

  lookup(q: StubTurnsQuery): Promise<StubTurnLike[] | undefined> {
    return new Promise((resolve) => {
      this.queue.push({ ...q, resolve });
      this.timer ??= setTimeout(() => void this.flush(), this.batchMs);
    });
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    try {
      await this.stub.sync();
    } catch {
      for (const q of batch) q.resolve(undefined);
      return;
    }
    const all = this.stub.sessions();
    // Sessions the stub no longer keeps cannot be picked again: forget them (a long-running serve).
    const kept = new Set(all.map((s) => s.id));
    for (const id of this.owned) if (!kept.has(id)) this.owned.delete(id);
    const sessions = all.filter((s) => !this.owned.has(s.id));
    for (const q of batch.sort((a, b) => b.connectUs - a.connectUs)) {
      const s = pickSession(sessions, q, this.owned);
      if (s) this.owned.add(s.id);
      q.resolve(s ? s.turns.map((t) => ({ ...t })) : undefined);
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const q of this.queue) q.resolve(undefined);
    this.queue = [];
  }
}

/** The unowned session that opened closest to the call's stream connect (and before the call ended). */
export function pickSession(sessions: readonly StubSessionRecord[], q: { connectUs: number; endedUs: number }, owned: ReadonlySet<string>): StubSessionRecord | undefined {
  let best: StubSessionRecord | undefined;
  for (const s of sessions) {
    if (owned.has(s.id) || s.openedUs < q.connectUs - EARLY_US || s.openedUs > Math.min(q.endedUs, q.connectUs + LATE_US)) continue;
    if (!best || Math.abs(s.openedUs - q.connectUs) < Math.abs(best.openedUs - q.connectUs)) best = s;
  }
  return best;
}
