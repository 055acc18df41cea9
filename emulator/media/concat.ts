// Joining sample or byte runs: the one copy loop behind synth's `concat` (PCM16 signals) and the
// Realtime stub's (μ-law / PCM byte runs).

/** `parts` one after another in a new array of `Kind`. */
export function concatArrays<T extends Int16Array | Uint8Array>(Kind: new (length: number) => T, parts: readonly T[]): T {
  const out = new Kind(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
