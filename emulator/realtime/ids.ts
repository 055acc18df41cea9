// Realtime-style ids (spec §7.1): `event_`, `item_`, `resp_`, `sess_`, `conv_` + 21 base62 characters,
// `call_` + 16. Drawn from a seeded generator so a run is reproducible (harness policy, §7.1 "Stub ids").

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** mulberry32: tiny, fast, good enough for ids; deterministic for a given seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type IdPrefix = "event" | "item" | "resp" | "sess" | "conv" | "call";

export class IdGenerator {
  private readonly rnd: () => number;
  constructor(seed: number) {
    this.rnd = seededRandom(seed);
  }
  next(prefix: IdPrefix): string {
    const n = prefix === "call" ? 16 : 21;
    let s = "";
    for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(this.rnd() * ALPHABET.length)];
    return `${prefix}_${s}`;
  }
  /** Random padding of live GA transcript deltas (`obfuscation`, §3.2). */
  padding(): string {
    const n = 4 + Math.floor(this.rnd() * 12);
    let s = "";
    for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(this.rnd() * ALPHABET.length)];
    return s;
  }
}
