// Real loopback servers for the carrier tests: an "app" HTTP server whose handler the test writes,
// and a WebSocket server standing in for the app's stream endpoint. Every wait has a timeout.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export interface Hit {
  method: string;
  path: string;
  url: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  json?: Record<string, unknown>;
}

export type Handler = (hit: Hit, res: http.ServerResponse) => unknown;

export interface App {
  url: string;
  base: string;
  hits: Hit[];
  server: http.Server;
  close(): Promise<void>;
  /** Resolves when a hit matching `pred` arrives (or rejects after `ms`). */
  waitFor(pred: (h: Hit) => boolean, ms?: number): Promise<Hit>;
}

export async function startApp(handler: Handler): Promise<App> {
  const hits: Hit[] = [];
  const waiters: { pred: (h: Hit) => boolean; resolve: (h: Hit) => void }[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const u = new URL(req.url ?? "/", "http://x");
    let json: Record<string, unknown> | undefined;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const hit: Hit = { method: req.method ?? "", path: u.pathname, url: req.url ?? "", query: u.searchParams, headers: req.headers, body, json };
    hits.push(hit);
    for (const w of waiters.splice(0)) {
      if (w.pred(hit)) w.resolve(hit);
      else waiters.push(w);
    }
    try {
      await handler(hit, res);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}/voice`,
    base,
    hits,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
    waitFor(pred, ms = 10_000) {
      const found = hits.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("timed out waiting for an app request")), ms);
        waiters.push({
          pred,
          resolve: (h) => {
            clearTimeout(t);
            resolve(h);
          },
        });
      });
    },
  };
}

export function xml(res: http.ServerResponse, body: string, status = 200, contentType = "application/xml; charset=utf-8"): void {
  res.writeHead(status, { "content-type": contentType });
  res.end(body);
}

export function noContent(res: http.ServerResponse): void {
  res.writeHead(204);
  res.end();
}

export interface WsApp {
  url: string;
  wss: WebSocketServer;
  sockets: WebSocket[];
  messages: { socket: WebSocket; text: string }[];
  upgrades: http.IncomingMessage[];
  close(): Promise<void>;
}

export async function startWs(onConnection?: (ws: WebSocket, req: http.IncomingMessage) => void, opts: { verifyClient?: (req: http.IncomingMessage) => boolean | number } = {}): Promise<WsApp> {
  const server = http.createServer();
  const sockets: WebSocket[] = [];
  const messages: { socket: WebSocket; text: string }[] = [];
  const upgrades: http.IncomingMessage[] = [];
  const wss = new WebSocketServer({
    server,
    verifyClient: opts.verifyClient
      ? (info, cb) => {
          upgrades.push(info.req);
          const r = opts.verifyClient!(info.req);
          if (r === true) cb(true);
          else cb(false, typeof r === "number" ? r : 401);
        }
      : undefined,
  });
  wss.on("connection", (ws, req) => {
    if (!opts.verifyClient) upgrades.push(req);
    sockets.push(ws);
    ws.on("message", (d, isBinary) => {
      if (!isBinary) messages.push({ socket: ws, text: d.toString() });
    });
    onConnection?.(ws, req);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/stream`,
    wss,
    sockets,
    messages,
    upgrades,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Resolve when `p` does, or reject after `ms` with `what`. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
