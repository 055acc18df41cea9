// A configurable hostile bridge on loopback: the worst a new user's app does to bwemu, one behaviour
// per option. The webhook side (`initiate`) and the media-socket side (`media`) are chosen
// independently; everything is real HTTP and a real WebSocket server (`ws`), on 127.0.0.1.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/** How the app answers the initiate webhook. */
export type InitiateBehaviour =
  /** BXML that streams to this app's media socket and keeps the call open. */
  | "stream"
  /** `<Response><Pause duration="30"/></Response>`: a call with no stream. */
  | "pause"
  /** Status line and headers, then nothing, ever. */
  | "headers-then-nothing"
  /** Headers, then one byte of the body every 500 ms, never finishing. */
  | "slow-drip"
  /** The TCP connection is accepted and never answered. */
  | "never-answer"
  /** A BXML document with a Latin-1 byte (invalid UTF-8) in a SpeakSentence. */
  | "invalid-utf8";

/** What the app does on the media socket once the carrier's `start` arrives. */
export type MediaBehaviour =
  /** Nothing: a quiet, well-behaved socket. */
  | "quiet"
  /** Invalid JSON text frames (~1 KB each) at `ratePerSecond` for `floodMs`. */
  | "invalid-json-flood"
  /** Tiny valid `playAudio` frames (20 ms of PCMU each) as fast as the socket takes them, for `floodMs`. */
  | "play-audio-flood"
  /** One text frame of `bigFrameBytes` (default 10 MB) of deeply nested JSON arrays. */
  | "nested-10mb"
  /** A frame header announcing a payload of 2^63−1 bytes, written raw on the socket. */
  | "huge-length"
  /** Pings as fast as the socket takes them, for `floodMs`. */
  | "ping-flood";

export interface HostileAppOptions {
  initiate?: InitiateBehaviour;
  media?: MediaBehaviour;
  /** Flood length (default 4000 ms). */
  floodMs?: number;
  /** invalid-json-flood: frames per second (default 9000). */
  ratePerSecond?: number;
  /** invalid-json-flood: size of each frame (default ~1 KB). */
  frameBytes?: number;
  /** nested-10mb: frame size (default 10 MB). */
  bigFrameBytes?: number;
}

export interface HostileApp {
  /** The initiate URL (`--app`). */
  url: string;
  /** The exact bytes of the invalid-UTF-8 document (for `bwemu lint`). */
  invalidUtf8Bxml: Buffer;
  /** Frames/pings the media side sent. */
  sent(): number;
  close(): Promise<void>;
}

export const INVALID_UTF8_BXML = Buffer.concat([
  Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <SpeakSentence>Caf', "utf8"),
  Buffer.from([0xe9]), // "é" in Latin-1: not UTF-8
  Buffer.from("</SpeakSentence>\n  <Pause duration=\"5\"/>\n</Response>\n", "utf8"),
]);

const invalidJson = (bytes: number) => `{"eventType":"playAudio","media":${"x".repeat(Math.max(1, bytes - 34))}`;

function playAudioFrame(): string {
  return JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/PCMU", payload: Buffer.alloc(160, 0xff).toString("base64") } });
}

/** `[[[[…]]]]` of about `bytes` bytes: cheap to build, costly to parse. */
function nestedJson(bytes: number): string {
  const depth = Math.floor(bytes / 2);
  return "[".repeat(depth) + "]".repeat(depth);
}

export async function startHostileApp(o: HostileAppOptions = {}): Promise<HostileApp> {
  const initiate = o.initiate ?? "stream";
  const media = o.media ?? "quiet";
  const floodMs = o.floodMs ?? 4000;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let sent = 0;
  let port = 0;

  const every = (ms: number, f: () => void) => {
    const t = setInterval(f, ms);
    timers.add(t);
    return t;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    if (req.url?.startsWith("/status")) return void res.writeHead(204).end();
    switch (initiate) {
      case "stream":
        res.writeHead(200, { "content-type": "application/xml" });
        return void res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <StartStream name="hostile" mode="bidirectional" destination="ws://127.0.0.1:${port}/media"/>\n  <Pause duration="60"/>\n</Response>\n`,
        );
      case "pause":
        res.writeHead(200, { "content-type": "application/xml" });
        return void res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Pause duration="30"/>\n</Response>\n');
      case "headers-then-nothing":
        res.writeHead(200, { "content-type": "application/xml" });
        return void res.flushHeaders();
      case "slow-drip": {
        res.writeHead(200, { "content-type": "application/xml" });
        const body = "<Response><Pause duration=\"30\"/></Response>";
        let i = 0;
        const t = every(500, () => {
          if (res.destroyed) return clearInterval(t);
          res.write(body[i++ % body.length]);
        });
        return;
      }
      case "never-answer":
        return; // the request is read and left hanging
      case "invalid-utf8":
        res.writeHead(200, { "content-type": "application/xml" });
        return void res.end(INVALID_UTF8_BXML);
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on("upgrade", (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => onMedia(ws, socket as Socket));
  });

  function onMedia(ws: WebSocket, raw: Socket): void {
    ws.on("error", () => undefined);
    ws.once("message", () => {
      // `start` arrived: misbehave.
      const until = Date.now() + floodMs;
      switch (media) {
        case "quiet":
          return;
        case "invalid-json-flood": {
          const perTick = Math.max(1, Math.round((o.ratePerSecond ?? 9000) / 100));
          const frame = invalidJson(o.frameBytes ?? 1000);
          const t = every(10, () => {
            if (Date.now() > until || ws.readyState !== ws.OPEN) return clearInterval(t);
            if (ws.bufferedAmount > 8 << 20) return; // the carrier reads slower than we send: wait
            for (let i = 0; i < perTick; i++) ws.send(frame);
            sent += perTick;
          });
          return;
        }
        case "play-audio-flood": {
          const frame = playAudioFrame();
          const pump = () => {
            while (Date.now() < until && ws.readyState === ws.OPEN && ws.bufferedAmount < 1 << 20) {
              for (let i = 0; i < 100; i++) ws.send(frame);
              sent += 100;
            }
            if (Date.now() < until && ws.readyState === ws.OPEN) timers.add(setTimeout(pump, 1));
          };
          pump();
          return;
        }
        case "nested-10mb":
          ws.send(nestedJson(o.bigFrameBytes ?? 10 * 1024 * 1024));
          sent++;
          return;
        case "huge-length": {
          // FIN + text opcode, unmasked (server → client), 127 = 64-bit length, then 2^63−1.
          const header = Buffer.from([0x81, 127, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
          raw.write(header);
          sent++;
          return;
        }
        case "ping-flood": {
          const pump = () => {
            while (Date.now() < until && ws.readyState === ws.OPEN && ws.bufferedAmount < 1 << 16) {
              for (let i = 0; i < 100; i++) ws.ping();
              sent += 100;
            }
            if (Date.now() < until && ws.readyState === ws.OPEN) timers.add(setTimeout(pump, 1));
          };
          pump();
          return;
        }
      }
    });
  }

  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/voice`,
    invalidUtf8Bxml: INVALID_UTF8_BXML,
    sent: () => sent,
    close: async () => {
      for (const t of timers) clearInterval(t);
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
