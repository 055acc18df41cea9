// Bridges under test that misbehave in exactly one way (issue 5 "Bad input"). Each is a real
// node:http server (+ a `ws` server for the media stream) on 127.0.0.1, port 0. Every socket it
// accepts and every timer it arms is tracked, so `close()` leaves nothing behind: whatever the leak
// check finds after a run belongs to the harness, not to the test's bridge.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/** How `/voice` (initiate) misbehaves; "bxml" answers correctly with a StartStream to `/media`. */
export type VoiceFault =
  | { kind: "bxml" }
  | { kind: "slow"; delayMs: number }
  | { kind: "body"; status: number; contentType: string; body: Buffer | string }
  /** Headers and the start of a BXML body, then nothing (the socket stays open). */
  | { kind: "stall" }
  /** The connection is reset as soon as the request arrives (a crash while answering). */
  | { kind: "reset" };

/** How the media WebSocket at `/media` misbehaves. */
export type MediaFault =
  | { kind: "refuse"; status: number }
  | { kind: "silent" }
  | { kind: "close"; code: number }
  /** Accept, then send frames no carrier can use: non-JSON text, binary, broken playAudio, one 2 MB frame. */
  | { kind: "garbage" }
  /** Accept, then destroy every socket (HTTP and WS) and stop listening `afterMs` into the stream: a crash. */
  | { kind: "crash"; afterMs: number };

export interface BadBridgeOptions {
  voice: VoiceFault;
  media?: MediaFault;
}

export interface BadBridge {
  /** The initiate URL (…/voice). */
  url: string;
  /** Requests and upgrades the bridge saw, in order ("POST /voice", "UPGRADE /media", …). */
  seen: string[];
  /** Whether the crash fault has fired. */
  crashed(): boolean;
  close(): Promise<void>;
}

/** The answer a conformant bridge gives: a bidirectional StartStream kept alive by StopStream wait. */
export function answerBxml(destination: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<Response>",
    `  <StartStream name="s1" mode="bidirectional" destination="${destination}" streamEventUrl="/stream-events" streamEventMethod="POST"/>`,
    '  <StopStream name="s1" wait="true"/>',
    "</Response>",
    "",
  ].join("\n");
}

export async function startBadBridge(o: BadBridgeOptions): Promise<BadBridge> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const seen: string[] = [];
  let crashed = false;
  let closed = false;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer((req, res) => onRequest(req, res));
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  const crash = () => {
    if (crashed) return;
    crashed = true;
    server.close();
    for (const s of sockets) s.destroy();
  };

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    seen.push(`${req.method} ${req.url?.split("?")[0]}`);
    req.resume();
    if (!req.url?.startsWith("/voice")) {
      // Stream events, status callbacks: acknowledged.
      res.writeHead(204).end();
      return;
    }
    const v = o.voice;
    if (v.kind === "bxml") {
      res.writeHead(200, { "content-type": "application/xml; charset=utf-8" }).end(answerBxml(`ws://127.0.0.1:${port}/media`));
    } else if (v.kind === "slow") {
      later(v.delayMs, () => {
        if (!res.destroyed) res.writeHead(200, { "content-type": "application/xml" }).end(answerBxml(`ws://127.0.0.1:${port}/media`));
      });
    } else if (v.kind === "stall") {
      res.writeHead(200, { "content-type": "application/xml" });
      res.write('<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n');
    } else if (v.kind === "reset") {
      req.socket.resetAndDestroy();
    } else {
      const body = typeof v.body === "string" ? Buffer.from(v.body, "utf8") : v.body;
      res.writeHead(v.status, { "content-type": v.contentType, "content-length": body.length });
      // A reader that stops early (the carrier's body cap) destroys the socket: ignore the write error.
      res.on("error", () => undefined);
      res.end(body);
    }
  }

  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    seen.push(`UPGRADE ${req.url?.split("?")[0]}`);
    socket.on("error", () => undefined);
    const m = o.media ?? { kind: "silent" };
    if (m.kind === "refuse") {
      socket.end(`HTTP/1.1 ${m.status} Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      ws.on("error", () => undefined);
      if (m.kind === "close") ws.close(m.code, "bridge failure");
      else if (m.kind === "crash") later(m.afterMs, crash);
      else if (m.kind === "garbage") {
        ws.send("this is not JSON");
        ws.send(Buffer.from([0xff, 0x00, 0x7f, 0x80]));
        ws.send(JSON.stringify({ eventType: "playAudio" }));
        ws.send(JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/pcmu", payload: "%%% not base64 %%%" } }));
        ws.send(JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/x-unknown", payload: "AAAA" } }));
        ws.send(JSON.stringify([1, 2, 3]));
        ws.send(JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/pcmu", payload: "A".repeat(2 * 1024 * 1024) } }));
      }
      // "silent": accept and never send a frame; incoming frames are read and dropped.
    });
  });

  return {
    url: `${base}/voice`,
    seen,
    crashed: () => crashed,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const c of wss.clients) c.terminate();
      wss.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens (a port bound then released). */
export async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}/voice`;
}

export interface CrashingProxy {
  /** The initiate URL through the proxy. */
  url: string;
  crashed(): boolean;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a working bridge that "crashes" `afterMs` into the first media stream
 * (counted from the bridge's first playAudio, so the stream demonstrably worked): it stops listening
 * and resets every connection (HTTP and WebSocket, both sides). To the carrier
 * it is a bridge that served BXML, relayed audio, and then died. The bridge behind builds its
 * stream URL from the Host header, so the stream comes through the proxy too.
 */
export async function startCrashingProxy(target: URL, afterMs: number): Promise<CrashingProxy> {
  const sockets = new Set<Socket>();
  let timer: NodeJS.Timeout | undefined;
  let crashed = false;
  const track = (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
  };
  const server = createNetServer((client) => {
    track(client);
    const upstream = connect(Number(target.port), target.hostname);
    track(upstream);
    client.once("data", (first: Buffer) => {
      if (!/^GET [^\r]*\r\n[\s\S]*upgrade:\s*websocket/i.test(first.toString("latin1"))) return;
      // The stream is live once the bridge sends audio back (server frames are unmasked, so readable).
      const onDown = (chunk: Buffer) => {
        if (timer || !chunk.includes("playAudio")) return;
        upstream.off("data", onDown);
        timer = setTimeout(crash, afterMs);
      };
      upstream.on("data", onDown);
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const crash = () => {
    crashed = true;
    server.close();
    for (const s of sockets) s.resetAndDestroy();
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    crashed: () => crashed,
    close: async () => {
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    },
  };
}
