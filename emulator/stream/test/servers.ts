// Real servers on 127.0.0.1 playing the app's side of the media stream, for the stream tests.
// Nothing here mocks bwemu: the carrier's real `ws` client talks to these over real sockets.

import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createNetServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { wsPeer, type WsPeer } from "../../../test/support/ws-peer.js";

export interface AppConnection extends WsPeer {
  /** Every text frame, in order. */
  texts: string[];
  /** Parsed JSON frames (texts that parse). */
  frames: Record<string, unknown>[];
  binary: Buffer[];
  closed: Promise<{ code: number; reason: string }>;
}

export interface AppServer {
  url: string;
  port: number;
  connections: AppConnection[];
  /** Resolves with the n-th connection (0-based). */
  connection(n?: number): Promise<AppConnection>;
  close(): Promise<void>;
}

/** A WebSocket app on 127.0.0.1; `onConnection` scripts its behaviour. */
export async function startApp(
  onConnection?: (c: AppConnection) => void,
  opts: { maxPayload?: number; verify?: (req: IncomingMessage) => number | undefined } = {},
): Promise<AppServer> {
  const http = createServer((_req, res) => res.writeHead(426).end("upgrade required"));
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? 64 * 1024 * 1024 });
  const connections: AppConnection[] = [];
  const waiters: (() => void)[] = [];
  http.on("upgrade", (req, socket, head) => {
    const refuse = opts.verify?.(req);
    if (refuse) {
      socket.end(`HTTP/1.1 ${refuse} Refused\r\nContent-Type: text/plain\r\nContent-Length: 7\r\nConnection: close\r\n\r\nrefused`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const c: AppConnection = {
        ...wsPeer(ws, req),
        texts: [],
        frames: [],
        binary: [],
        closed: new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() }))),
      };
      ws.on("message", (data, isBinary) => {
        const buf = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
        if (isBinary) c.binary.push(buf);
        else {
          const t = buf.toString("utf8");
          c.texts.push(t);
          try {
            c.frames.push(JSON.parse(t));
          } catch {
            /* kept in texts */
          }
        }
      });
      ws.on("error", () => {});
      connections.push(c);
      onConnection?.(c);
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    connections,
    async connection(n = 0) {
      await waitFor(() => connections.length > n, 5000, `app connection #${n}`);
      return connections[n];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.ws.terminate();
        wss.close();
        http.closeAllConnections?.();
        http.close(() => resolve());
      }),
  };
}

/**
 * A hand-written server for behaviours `ws` will not produce: `silent` accepts TCP and never
 * answers; `deaf` completes the upgrade, then never reads nor answers anything (no close reply).
 */
export async function startRawServer(
  mode: "silent" | "deaf",
  afterUpgrade?: (socket: Socket) => void,
): Promise<{ url: string; sockets: Socket[]; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  let server: Server | ReturnType<typeof createNetServer>;
  if (mode === "silent") {
    server = createNetServer((s) => {
      sockets.push(s);
      s.on("error", () => {});
    });
  } else {
    const http = createServer();
    http.on("upgrade", (req, socket: Socket) => {
      sockets.push(socket);
      socket.on("error", () => {});
      const accept = createHash("sha1").update(`${req.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      socket.on("data", () => {}); // read and ignore everything, close frames included
      afterUpgrade?.(socket);
    });
    server = http;
  }
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Poll `pred` every 5 ms; reject with `what` after `timeoutMs`. */
export async function waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A promise with a deadline. */
export async function within<T>(p: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        t = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(t);
  }
}
