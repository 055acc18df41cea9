// What Node's own net.Socket hands the kernel, one entry per write syscall (_write or _writev, the
// chunks joined). Tests use it to check that frames meant to leave together do (one segment, one
// wake-up of the peer): a reader on the other end could not tell one write from two quick ones.
import { Socket } from "node:net";

type Cb = (e?: Error | null) => void;
interface Writes {
  _writev(this: Socket, chunks: { chunk: Buffer | string }[], cb: Cb): void;
  _write(this: Socket, chunk: Buffer | string, enc: BufferEncoding, cb: Cb): void;
}

/** Record the writes of every socket `which` accepts until stop(); always call stop(). */
export function recordSocketWrites(which: (s: Socket) => boolean): { writes: Buffer[]; stop(): void } {
  const proto = Socket.prototype as unknown as Writes;
  const { _writev, _write } = proto;
  const writes: Buffer[] = [];
  const bytes = (c: Buffer | string) => (typeof c === "string" ? Buffer.from(c) : c);
  proto._writev = function (chunks, cb) {
    if (which(this)) writes.push(Buffer.concat(chunks.map((c) => bytes(c.chunk))));
    return _writev.call(this, chunks, cb);
  };
  proto._write = function (chunk, enc, cb) {
    if (which(this)) writes.push(Buffer.from(bytes(chunk)));
    return _write.call(this, chunk, enc, cb);
  };
  return { writes, stop: () => Object.assign(proto, { _writev, _write }) };
}
