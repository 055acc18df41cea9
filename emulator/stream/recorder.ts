// Append-only recordings of audio (PCM16 or raw μ-law bytes) kept in blocks, so a long call neither
// reallocates one huge array nor allocates per 20 ms frame, and capped, so a flood cannot grow memory
// without bound. Blocks start small and double up to BLOCK: a call holds five recordings, and a
// short one (most calls of a load run) should not pay for 8 s of each up front.
//
// A recorder made with `keepAll` false (a call with `recordAudio: "none"`) counts what it is given
// but keeps it only while something holds it (a <Record> or <StartRecording> in progress): positions
// stay those of the whole call, and what was not kept reads as silence.

type Samples = Int16Array | Uint8Array;

/** Largest block: 8 s of 8 kHz audio. */
const BLOCK = 65_536;
/** First block: 0.5 s of 8 kHz audio. */
const FIRST_BLOCK = 4096;

class BlockRecorder<T extends Samples> {
  private blocks: T[] = [];
  private fill = 0; // used elements of the last block
  private size = 0;
  /** Position of the first element kept (elements before it were counted, not kept). */
  private base = 0;
  private holds = 0;
  /** Elements refused because the cap was reached. */
  truncated = 0;

  constructor(
    private readonly Kind: new (length: number) => T,
    readonly maxLength: number,
    /** False: keep only while held (`hold()`). */
    readonly keepAll = true,
  ) {}

  get length(): number {
    return this.size;
  }

  /** Copies `data` in (callers may reuse their buffers); returns how much was kept. */
  append(data: T): number {
    const n = Math.max(0, Math.min(this.maxLength - this.size, data.length));
    if (!this.keepAll && this.holds === 0) {
      this.size += n;
      this.base = this.size;
      this.truncated += data.length - n;
      return n;
    }
    const cur = this.blocks[this.blocks.length - 1];
    if (n === data.length && cur && this.fill + n <= cur.length) {
      // The common case (a 20 ms frame into a block with room): one copy, no views.
      cur.set(data as never, this.fill);
      this.fill += n;
      this.size += n;
      return n;
    }
    let at = 0;
    while (at < n) {
      let last = this.blocks[this.blocks.length - 1];
      if (!last || this.fill === last.length) {
        // Each block as large as everything before it (doubling), within [FIRST_BLOCK, BLOCK] and the cap.
        last = new this.Kind(Math.min(BLOCK, Math.max(FIRST_BLOCK, this.size - this.base), Math.max(1, this.maxLength - this.size)));
        this.blocks.push(last);
        this.fill = 0;
      }
      const k = Math.min(n - at, last.length - this.fill);
      last.set(data.subarray(at, at + k) as never, this.fill);
      this.fill += k;
      this.size += k;
      at += k;
    }
    this.truncated += data.length - n;
    return n;
  }

  /**
   * Keep what is appended from now on, until the returned function is called (idempotent); when the
   * last hold ends, what was kept is let go. A no-op on a recorder that keeps everything.
   */
  hold(): () => void {
    if (this.keepAll) return () => undefined;
    this.holds++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      if (--this.holds > 0) return;
      this.blocks = [];
      this.fill = 0;
      this.base = this.size;
    };
  }

  /**
   * Elements [from, to) copied into `out` (clamped to what was recorded; `out` starts zeroed, so
   * what was not kept stays silence); returns how many.
   */
  private copyRange(out: T, from: number, to: number): number {
    const a = Math.max(0, Math.min(from, this.size));
    const b = Math.max(a, Math.min(to, this.size));
    let at = Math.max(0, this.base - a);
    let start = this.base; // index of the current block's first element
    for (let i = 0; i < this.blocks.length && start < b; i++) {
      const blk = this.blocks[i];
      const used = i === this.blocks.length - 1 ? this.fill : blk.length;
      const lo = Math.max(a, start);
      const hi = Math.min(b, start + used);
      if (hi > lo) {
        out.set(blk.subarray(lo - start, hi - start) as never, at);
        at += hi - lo;
      }
      start += used;
    }
    return b - a;
  }

  /** Everything recorded, as one new array. */
  toArray(): T {
    const out = new this.Kind(this.size);
    this.copyRange(out, 0, this.size);
    return out;
  }

  /** Elements [from, to), clamped to what was recorded (a copy). */
  range(from: number, to: number): T {
    const out = new this.Kind(Math.max(0, Math.min(to, this.size) - Math.max(0, from)));
    this.copyRange(out, from, to);
    return out;
  }
}

/** PCM16 samples. */
export class PcmRecorder extends BlockRecorder<Int16Array> {
  constructor(maxLength: number, keepAll = true) {
    super(Int16Array, maxLength, keepAll);
  }
}

/** Raw bytes (the μ-law the carrier received). */
export class ByteRecorder extends BlockRecorder<Uint8Array> {
  constructor(maxLength: number, keepAll = true) {
    super(Uint8Array, maxLength, keepAll);
  }
}
