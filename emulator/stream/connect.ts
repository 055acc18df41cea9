// Opening the media-stream WebSocket as Bandwidth's carrier does (bandwidth.md §4.1, §3.5, OPEN-6,
// OPEN-7, OPEN-14): a `ws` client to `destination` with path and query kept verbatim, Basic auth
// when credentials are given, no subprotocol, no compression offer, a neutral User-Agent, and one
// overall connect timeout covering TCP, TLS and the upgrade. Every failure becomes a located
// `errorMessage` (it is what `mediaStreamRejected` carries); nothing here throws.

import type { ClientRequest, IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import WebSocket from "ws";
import type { Clock } from "../clock.js";
import type { Headers } from "../timeline.js";
import { redactHeaders } from "../timeline.js";
import { redactUrl as redactUserinfo } from "../webhooks/redact.js";

/** OPEN-7: a User-Agent that names no real product. */
export const DEFAULT_USER_AGENT = "bwemu-media-stream";
/** How much of a refused upgrade's body is kept as evidence. */
const REFUSED_BODY_BYTES = 4096;

export interface ConnectOptions {
  destination: string;
  credentials?: { username: string; password: string };
  /** OPEN-7: whole connect (TCP + TLS + upgrade), default 10 000 ms. */
  timeoutMs: number;
  /** Largest message accepted from the app; bigger → close 1009 (`ws` maxPayload). */
  maxPayload: number;
  /** How long a close handshake may take before the socket is destroyed. */
  closeTimeoutMs: number;
  userAgent?: string;
  clock: Clock;
}

export interface UpgradeExchange {
  url: string;
  requestHeaders: Headers;
  status?: number;
  responseHeaders?: Headers;
  responseBody?: string;
  error?: string;
  durationUs: number;
}

/** What the stream does with the socket's events once it owns it. */
export interface SocketHandlers {
  message(data: WebSocket.RawData, isBinary: boolean): void;
  error(err: NodeJS.ErrnoException): void;
  close(code: number, reason: Buffer): void;
  /** A ping from the app (`ws` has answered it). */
  ping?(): void;
}

export type ConnectResult =
  | {
      ok: true;
      ws: WebSocket;
      /** The TCP (or TLS) socket under `ws`: the stream writes its own frames to it (client-frames.ts), a tick's in one write. */
      socket?: Duplex;
      exchange: UpgradeExchange;
      /**
       * Hand the socket's events to the stream. Events that arrived between the open and this call
       * (an app may send or close at once, in the same TCP read as the 101) are replayed first, in order.
       */
      attach(h: SocketHandlers): void;
    }
  | { ok: false; errorMessage: string; status?: number; exchange: UpgradeExchange };

/**
 * The request target (`/path?query`) exactly as `destination` writes it, with only the characters
 * HTTP cannot carry (controls, space, non-ASCII) percent-encoded as UTF-8. WHATWG URL parsing would
 * otherwise rewrite it (dot segments, `'` in queries, backslashes).
 */
export function requestTarget(destination: string): string {
  const afterScheme = destination.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, "");
  const cut = afterScheme.search(/[/?#]/);
  let target = cut < 0 ? "" : afterScheme.slice(cut);
  const hash = target.indexOf("#");
  if (hash >= 0) target = target.slice(0, hash); // fragments are never sent (RFC 6455 §3)
  if (target === "" || target.startsWith("?")) target = `/${target}`;
  return target.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

/** Checks the destination and returns the URL `ws` should connect to, or why it cannot (OPEN-6). */
export function parseDestination(destination: string): { ok: true; url: URL } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    return { ok: false, error: `destination ${JSON.stringify(redactUrl(destination))} is not an absolute URL` };
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    return { ok: false, error: `destination scheme ${url.protocol.replace(/:$/, "")} is not ws or wss` };
  }
  if (!url.hostname) return { ok: false, error: `destination ${JSON.stringify(redactUrl(destination))} has no host` };
  // `ws` builds the request line from pathname + search; give it the verbatim target instead.
  const target = requestTarget(destination);
  const base = new URL(`${url.protocol}//${url.host}/`);
  if (url.username || url.password) {
    base.username = url.username;
    base.password = url.password;
  }
  Object.defineProperty(base, "pathname", { value: target });
  Object.defineProperty(base, "search", { value: "" });
  return { ok: true, url: base };
}

/** The destination as it may be recorded: a password in its userinfo is replaced. */
export function redactUrl(destination: string): string {
  return redactUserinfo(destination);
}

export function basicAuthorization(c: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`, "utf8").toString("base64")}`;
}

function describeError(err: NodeJS.ErrnoException, destination: string): string {
  const where = (() => {
    try {
      return new URL(destination).host;
    } catch {
      return destination;
    }
  })();
  switch (err.code) {
    case "ECONNREFUSED":
      return `WebSocket connection refused by ${where}`;
    case "ECONNRESET":
      return `WebSocket connection to ${where} reset during the upgrade`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `WebSocket host ${where} not found (DNS)`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `WebSocket host ${where} unreachable`;
    default:
      if (err.code && /CERT|SSL|TLS|SELF_SIGNED/.test(err.code)) return `WebSocket TLS failure to ${where}: ${err.message}`;
      return `WebSocket connection to ${where} failed: ${err.message}`;
  }
}

/** Open the socket; resolves once: open, refused, failed or timed out. */
export function connectStream(o: ConnectOptions): Promise<ConnectResult> {
  const started = o.clock.nowUs();
  const headers: Record<string, string> = { "User-Agent": o.userAgent ?? DEFAULT_USER_AGENT };
  if (o.credentials) headers.Authorization = basicAuthorization(o.credentials);
  const exchange: UpgradeExchange = { url: redactUrl(o.destination), requestHeaders: redactHeaders(headers), durationUs: 0 };
  const fail = (errorMessage: string, status?: number): ConnectResult => {
    exchange.error = errorMessage;
    exchange.durationUs = o.clock.nowUs() - started;
    return { ok: false, errorMessage, status, exchange };
  };

  const dest = parseDestination(o.destination.trim());
  if (!dest.ok) return Promise.resolve(fail(dest.error));

  return new Promise<ConnectResult>((resolve) => {
    let settled = false;
    let ws: WebSocket;
    let socket: Duplex | undefined;
    const settle = (r: ConnectResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      settle(fail(`WebSocket connect to ${redactUrl(o.destination)} timed out after ${o.timeoutMs} ms`));
      ws?.terminate();
    }, o.timeoutMs);

    try {
      ws = new WebSocket(dest.url, {
        headers,
        perMessageDeflate: false,
        followRedirects: false,
        maxPayload: o.maxPayload,
        closeTimeout: o.closeTimeoutMs,
        finishRequest: (req: ClientRequest) => {
          exchange.requestHeaders = redactHeaders(req.getHeaders() as Record<string, string>);
          req.end();
        },
      } as WebSocket.ClientOptions & { closeTimeout: number; finishRequest: (req: ClientRequest) => void });
    } catch (e) {
      settle(fail(`WebSocket connect to ${redactUrl(o.destination)} failed: ${(e as Error).message}`));
      return;
    }

    // Before the open, errors end the attempt; after it, events belong to the stream. Between the
    // open and `attach` they are kept, so nothing the app sends at once is lost.
    type Early = { k: "message"; data: WebSocket.RawData; isBinary: boolean } | { k: "error"; err: NodeJS.ErrnoException } | { k: "close"; code: number; reason: Buffer };
    const early: Early[] = [];
    let live: SocketHandlers | null = null;
    const attach = (h: SocketHandlers) => {
      for (const e of early.splice(0)) {
        if (e.k === "message") h.message(e.data, e.isBinary);
        else if (e.k === "error") h.error(e.err);
        else h.close(e.code, e.reason);
      }
      live = h;
    };
    ws.on("error", (err: NodeJS.ErrnoException) => {
      if (!settled) settle(fail(describeError(err, o.destination)));
      else if (live) live.error(err);
      else early.push({ k: "error", err });
    });
    ws.on("close", (code: number, reason: Buffer) => {
      if (!settled) settle(fail(`WebSocket to ${redactUrl(o.destination)} closed before it was established`));
      else if (live) live.close(code, reason);
      else early.push({ k: "close", code, reason });
    });
    ws.on("ping", () => live?.ping?.());
    ws.on("message", (data: WebSocket.RawData, isBinary: boolean) => {
      if (live) live.message(data, isBinary);
      else early.push({ k: "message", data, isBinary });
    });
    ws.on("upgrade", (res: IncomingMessage) => {
      socket = res.socket;
      exchange.status = res.statusCode;
      exchange.responseHeaders = redactHeaders(res.headers as Record<string, string | string[]>);
    });
    ws.on("unexpected-response", (req: ClientRequest, res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      exchange.status = status;
      exchange.responseHeaders = redactHeaders(res.headers as Record<string, string | string[]>);
      const chunks: Buffer[] = [];
      let size = 0;
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        clearTimeout(bodyTimer);
        res.removeAllListeners("data");
        if (size > 0) exchange.responseBody = Buffer.concat(chunks).subarray(0, REFUSED_BODY_BYTES).toString("utf8");
        settle(fail(`WebSocket upgrade refused with HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ""}`, status));
        req.destroy();
        res.destroy();
        ws.terminate();
      };
      // Keep a little of the body as evidence, without waiting long for it.
      const bodyTimer = setTimeout(done, 500);
      res.on("data", (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= REFUSED_BODY_BYTES) done();
      });
      res.on("end", done);
      res.on("error", done);
    });
    ws.on("open", () => {
      exchange.durationUs = o.clock.nowUs() - started;
      if (exchange.status === undefined) exchange.status = 101;
      if (settled) {
        ws.terminate(); // opened after the timeout fired
        return;
      }
      settle({ ok: true, ws, socket, exchange, attach });
    });
  });
}
