// openai-realtime.md §12.3.1 "receives": a frame is received when the socket read that brought its
// last bytes happened, not when `ws` gets to it after parsing what came before it in the same read.
import type { Socket } from "node:net";
import type WebSocket from "ws";
import type { Clock } from "../clock.js";

/** From now on, the instant of `ws`'s last socket read (before any read: now). */
export function receivedAt(ws: WebSocket, clock: Clock): () => number {
  let readUs: number | undefined;
  (ws as unknown as { _socket?: Socket })._socket?.prependListener("data", () => (readUs = clock.nowUs()));
  return () => readUs ?? clock.nowUs();
}
