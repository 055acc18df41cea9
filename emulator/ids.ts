// Identifiers in Bandwidth's formats (bandwidth.md §6.7). A seeded generator keeps runs reproducible.

import { randomBytes } from "node:crypto";

/** Random bytes (a Uint8Array, so the public types need no Node typings). */
export type RandomSource = (bytes: number) => Uint8Array;

/** Deterministic byte source (xorshift32) for reproducible ids in tests and seeded runs. */
export function seededRandom(seed: number): RandomSource {
  let x = seed >>> 0 || 0x9e3779b9;
  return (n) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      b[i] = x & 0xff;
    }
    return b;
  };
}

export class IdFactory {
  constructor(private readonly random: RandomSource = randomBytes) {}

  private hex(n: number): string {
    return Buffer.from(this.random(Math.ceil(n / 2))).toString("hex").slice(0, n);
  }

  uuid(): string {
    const b = this.random(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Buffer.from(b).toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** `c-` + 8 hex + `-` + UUID */
  callId(): string {
    return `c-${this.hex(8)}-${this.uuid()}`;
  }

  /** `s-` + 8 hex + `-` + UUID */
  streamId(): string {
    return `s-${this.hex(8)}-${this.uuid()}`;
  }

  /** `t-` + 8 hex + `-` + UUID (real-time transcription) */
  transcriptionId(): string {
    return `t-${this.hex(8)}-${this.uuid()}`;
  }

  /** `r-` + UUID */
  recordingId(): string {
    return `r-${this.uuid()}`;
  }

  /** `conf-` + 8 hex + `-` + UUID */
  conferenceId(): string {
    return `conf-${this.hex(8)}-${this.uuid()}`;
  }

  errorId(): string {
    return this.uuid();
  }
}

export const ID_PATTERNS = {
  callId: /^c-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  streamId: /^s-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  transcriptionId: /^t-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  recordingId: /^r-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  conferenceId: /^conf-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
} as const;
