// Realtime-style ids (spec §7.1): `event_`, `item_`, `resp_`, `sess_`, `conv_` + 21 base62 characters,
// `call_` + 16. Drawn from a seeded generator so a run is reproducible (harness policy, §7.1 "Stub ids").

import { prng } from "../media/synth.js";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";


export type IdPrefix = "event" | "item" | "resp" | "sess" | "conv" | "call";

export class IdGenerator {
  private readonly rnd: () => number;
  constructor(seed: number) {
    this.rnd = prng(seed);
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
