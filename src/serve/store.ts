// Which calls a long-running serve forgets: it keeps at most `cap` calls, dropping the oldest ended
// ones first; live calls are never dropped (pure: server.ts applies the answer to the carrier).

export interface KeptCall {
  id: string;
  ended: boolean;
}

/** Ids to drop, oldest first, so that at most `cap` calls remain (fewer drops when too many are live). */
export function callsToDrop(calls: readonly KeptCall[], cap: number): string[] {
  let excess = calls.length - cap;
  const out: string[] = [];
  for (const c of calls) {
    if (excess <= 0) break;
    if (!c.ended) continue;
    out.push(c.id);
    excess--;
  }
  return out;
}

/** Default cap on calls kept in memory (each keeps its timeline, documents and audio). */
export const DEFAULT_MAX_CALLS = 200;
