// openai-realtime.md §12.3.1 "receives": a frame is received when the socket read that brought its
// last bytes happened, not when `ws` gets to it after parsing what came before it in the same read.
import type { Socket } from "node:net";
import type WebSocket from "ws";
import type { Clock } from "../clock.js";

type Write = (chunk: Buffer, encoding?: BufferEncoding, cb?: () => void) => boolean;

/** From now on, the instant of `ws`'s last socket read (before any read: now). */
export function receivedAt(ws: WebSocket, clock: Clock): () => number {
  let readUs: number | undefined;
  const internals = ws as unknown as { _socket?: Socket; _receiver?: { write?: Write } };
  const rx = internals._receiver;
  const write = rx?.write;
  if (rx && typeof write === "function") {
    // `ws` hands every read to its receiver (socketOnData → receiver.write): stamped there, a second
    // 'data' listener would make the socket's every read emit to a cloned listener list.
    rx.write = function (this: unknown, chunk, encoding, cb) {
      readUs = clock.nowUs();
      return write.call(this, chunk, encoding, cb);
    };
  } else internals._socket?.prependListener("data", () => (readUs = clock.nowUs()));
  return () => readUs ?? clock.nowUs();
}
