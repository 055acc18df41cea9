// Append-only recordings of audio (PCM16 or raw μ-law bytes) kept as a list of chunks, so a long
// call never reallocates one huge array, and capped, so a flood cannot grow memory without bound.

type Chunk = Int16Array | Uint8Array;

abstract class ChunkRecorder<T extends Chunk> {
  private chunks: T[] = [];
  private size = 0;
  /** Samples (or bytes) refused because the cap was reached. */
  truncated = 0;

  constructor(readonly maxLength: number) {}

  get length(): number {
    return this.size;
  }

  /** Keeps a copy of `data` (callers may reuse their buffers); returns how much was kept. */
  append(data: T): number {
    const room = this.maxLength - this.size;
    const n = Math.max(0, Math.min(room, data.length));
    if (n > 0) {
      this.chunks.push(data.slice(0, n) as T);
      this.size += n;
    }
    this.truncated += data.length - n;
    return n;
  }

  protected concat(out: T): T {
    let at = 0;
    for (const c of this.chunks) {
      out.set(c as never, at);
      at += c.length;
    }
    return out;
  }
}

export class PcmRecorder extends ChunkRecorder<Int16Array> {
  toInt16Array(): Int16Array {
    return this.concat(new Int16Array(this.length));
  }
}

export class ByteRecorder extends ChunkRecorder<Uint8Array> {
  toUint8Array(): Uint8Array {
    return this.concat(new Uint8Array(this.length));
  }
}
