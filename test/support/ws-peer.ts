// What a test double records of a WebSocket client that connected to it: the socket, and the
// upgrade request's target and headers (the stream tests' fake app, the bridges' fake Realtime).
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { WebSocket } from "ws";

export interface WsPeer {
  ws: WebSocket;
  /** The upgrade request's target: path and query. */
  url: string;
  headers: IncomingHttpHeaders;
}

export function wsPeer(ws: WebSocket, req: IncomingMessage): WsPeer {
  return { ws, url: req.url ?? "", headers: req.headers };
}
