// The stub's `ws` transport (spec §2): an HTTP(S) server on loopback accepting WebSocket upgrades at
// `/v1/realtime` (and Azure's `/openai/v1/realtime`), choosing the dialect from the upgrade (§1.3),
// selecting the `realtime` subprotocol when offered (§2.3), and feeding each connection's frames to a
// transport-free `RealtimeSession`.

import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket, type RawData } from "ws";
import type { Clock } from "../clock.js";
import { realClock } from "../clock.js";
import { redactHeaders, type Timeline } from "../timeline.js";
import type { Dialect } from "../protocol/realtime.js";
import { checkFaults, type StubFault } from "./faults.js";
import type { StubSessionRecord } from "./record.js";
import { loadScript, type LoadedScript, type StubScript } from "./script.js";
import { MIB, RealtimeSession } from "./session.js";
import { DEFAULT_VAD, type VadSettings } from "./vad.js";

export interface StubOptions {
  host?: string;
  port?: number;
  /** A script object, or a path to a JSON/YAML script file; default: the built-in script. */
  script?: StubScript | string;
  clock?: Clock;
  timeline?: Timeline;
  /** Behave like live since 2026-05-12 for beta clients: `beta_api_shape_disabled` + close 4000 (§1.3). */
  rejectBeta?: boolean;
  /** Session cap (§9.4), default 60 min. */
  sessionMaxMs?: number;
  vad?: Partial<VadSettings>;
  faults?: StubFault[];
  /** Added: serve `wss` with this certificate and key, PEM text (§13 "Serve wss (TLS) as well as ws"). */
  tls?: { cert: string; key: string };
  /** Added: id seed (session n uses seed + n). Default 1. */
  seed?: number;
  /** Added: one line per event (secrets never included). */
  log?: (line: string) => void;
  /** Added: client frame cap in bytes (default 24 MiB; must stay ≥ 21 MiB, §10). */
  maxClientFrameBytes?: number;
  /** Added: GA `obfuscation` padding on transcript deltas (default true, like live). */
  obfuscation?: boolean;
  /** Added: called as each session opens (its record is live from then on). */
  onSession?: (record: StubSessionRecord) => void;
  /**
   * Added: closed sessions kept in sessions() (default: the last 32, holding at most 256 MiB of
   * audio and events together; `Infinity` keeps all). Older closed ones are dropped from the list
   * (objects already handed out stay intact), so a long-running stub's memory stays bounded.
   */
  retain?: Partial<StubRetention>;
  /** Added: a closed record may be dropped only once this says so (the thread mirror has its final state). */
  releasable?: (record: StubSessionRecord) => boolean;
}

export interface StubRetention {
  /** Closed sessions kept. */
  sessions: number;
  /** Memory their records may hold together (audio, events), in bytes. */
  bytes: number;
}

export const DEFAULT_RETENTION: StubRetention = { sessions: 32, bytes: 256 * MIB };
/** Keep every record: a run reads sessions() at its end, so a stub in the run's own thread keeps all. */
export const RETAIN_ALL: StubRetention = { sessions: Infinity, bytes: Infinity };

export interface RealtimeStub {
  /** ws://127.0.0.1:PORT/v1/realtime (wss:// with `tls`). */
  url: string;
  /** Open sessions and the closed ones retained (`retain`), oldest first (live objects; safe to read any time). */
  sessions(): StubSessionRecord[];
  /** Added: sessions opened so far, including closed ones no longer retained. */
  sessionCount(): number;
  waitForSession(predicate?: (s: StubSessionRecord) => boolean, timeoutMs?: number): Promise<StubSessionRecord>;
  /** Closes every socket and the server. */
  close(): Promise<void>;
  /** Added: inject a fault into sessions opened from now on (use `session` to target one). */
  addFault(fault: StubFault): void;
  /**
   * Added: bring sessions() up to date and make sure every earlier addFault is in force. Resolves at
   * once for a stub in this thread; a stub in a worker thread (thread.ts) mirrors its records on demand.
   */
  sync(): Promise<void>;
}

export const REALTIME_PATHS = ["/v1/realtime", "/openai/v1/realtime"];

/** Dialect from the upgrade: header `OpenAI-Beta: realtime=v1` or subprotocol `openai-beta.realtime-v1` (§1.3). */
export function dialectOf(headers: Record<string, string | string[] | undefined>, protocols: string[]): Dialect {
  const beta = headers["openai-beta"];
  const values = (Array.isArray(beta) ? beta : beta ? [beta] : []).flatMap((v) => v.split(",").map((x) => x.trim().toLowerCase()));
  if (values.includes("realtime=v1") || protocols.includes("openai-beta.realtime-v1")) return "beta";
  return "ga";
}

/** Headers safe to record: credentials removed, also from subprotocol tokens and Azure's `api-key` (§2.2, §2.3). */
export function safeHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out = redactHeaders(h);
  if (out["api-key"]) out["api-key"] = "[redacted]";
  if (out["sec-websocket-protocol"])
    out["sec-websocket-protocol"] = out["sec-websocket-protocol"].replace(/openai-insecure-api-key\.[^,\s]+/g, "openai-insecure-api-key.[redacted]");
  return out;
}

/** Shared plumbing of the ws and msw transports: session numbering, records and waiters. */
export class SessionHub {
  readonly live = new Set<RealtimeSession>();
  readonly records: StubSessionRecord[] = [];
  private readonly retain: StubRetention;
  private waiters: { pred: (s: StubSessionRecord) => boolean; resolve: (s: StubSessionRecord) => void }[] = [];
  /** Sessions opened so far. */
  count = 0;
  readonly vad: VadSettings;
  readonly faults: StubFault[];

  /** Add a fault for sessions opened from now on (validated like the `faults` option). */
  addFault(f: StubFault): void {
    this.faults.push(...checkFaults([f]));
  }

  constructor(readonly opts: StubOptions, readonly script: LoadedScript) {
    this.vad = { ...DEFAULT_VAD, ...opts.vad };
    this.retain = { ...DEFAULT_RETENTION, ...opts.retain };
    this.faults = [...checkFaults(opts.faults)];
    const frameCap = opts.maxClientFrameBytes ?? 24 * MIB;
    if (frameCap < 21 * MIB) throw new RangeError("maxClientFrameBytes must be at least 21 MiB (15 MiB of audio in base64)");
  }

  /** Create a session for a new connection. `send`/`close` are the transport's. */
  open(a: { model: string | null; dialect: Dialect; headers: Record<string, string>; send(frame: string): void; flush?(): void; close(code: number, reason: string, abrupt: boolean): void }): RealtimeSession {
    const index = ++this.count;
    const log = this.opts.log;
    if (a.model === null) log?.("stub: no model in the URL; using gpt-realtime (live behaviour UNCONFIRMED)");
    let session!: RealtimeSession;
    session = new RealtimeSession({
      dialect: a.dialect,
      model: a.model ?? "gpt-realtime",
      clock: this.opts.clock ?? realClock,
      script: this.script,
      vad: this.vad,
      sessionMaxMs: this.opts.sessionMaxMs,
      faults: this.faults,
      sessionIndex: index,
      rejectBeta: this.opts.rejectBeta,
      headers: a.headers,
      seed: (this.opts.seed ?? 1) + index,
      timeline: this.opts.timeline,
      maxClientFrameBytes: this.opts.maxClientFrameBytes,
      obfuscation: this.opts.obfuscation,
      send: (frame) => {
        a.send(frame);
        if (log) log(`${session.record.id} ← ${summarize(frame)}`);
      },
      flush: a.flush,
      close: (code, reason, abrupt) => {
        this.live.delete(session);
        a.close(code, reason, abrupt);
        this.prune();
      },
      onChange: () => this.check(),
      log,
    });
    this.live.add(session);
    this.prune();
    this.records.push(session.record);
    log?.(`${session.record.id} open (${a.dialect}, model ${session.record.model})`);
    this.opts.onSession?.(session.record);
    return session;
  }

  /** Feed a client frame, logging its type. */
  receive(session: RealtimeSession, text: string | undefined, bytes: number, binary: boolean): void {
    if (this.opts.log) this.opts.log(`${session.record.id} → ${binary ? "(binary)" : summarize(text ?? "", true)}`);
    session.receive(text, bytes, binary);
  }

  closed(session: RealtimeSession, code: number): void {
    this.live.delete(session);
    session.clientClosed(code);
    this.opts.log?.(`${session.record.id} closed by ${session.record.closedBy} (${session.record.closeCode})`);
    this.prune();
  }

  /** Drop the oldest closed records beyond the retention caps (those the `releasable` hook allows). */
  prune(): void {
    const { sessions, bytes } = this.retain;
    if (sessions === Infinity && bytes === Infinity) return;
    const closed = this.records.filter((r) => r.closedUs !== undefined);
    let count = closed.length;
    let held = bytes === Infinity ? 0 : closed.reduce((n, r) => n + footprint(r), 0);
    const drop = new Set<StubSessionRecord>();
    for (const r of closed) {
      if (count <= sessions && held <= bytes) break;
      if (this.opts.releasable && !this.opts.releasable(r)) continue;
      drop.add(r);
      count--;
      if (bytes !== Infinity) held -= footprint(r);
    }
    if (!drop.size) return;
    const kept = this.records.filter((r) => !drop.has(r));
    this.records.length = 0;
    this.records.push(...kept);
    this.opts.log?.(`released ${drop.size} closed session record${drop.size === 1 ? "" : "s"} (retaining ${count}, ${Math.round(held / MIB)} MiB)`);
  }

  check(): void {
    if (!this.waiters.length) return;
    this.waiters = this.waiters.filter((w) => {
      const hit = this.records.find(w.pred);
      if (hit) w.resolve(hit);
      return !hit;
    });
  }

  waitForSession(pred: (s: StubSessionRecord) => boolean = () => true, timeoutMs = 10_000): Promise<StubSessionRecord> {
    const hit = this.records.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: (s: StubSessionRecord) => {
          clearTimeout(timer);
          resolve(s);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`waitForSession: no matching stub session within ${timeoutMs} ms (${this.records.length} sessions so far)`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }
}

function footprint(r: StubSessionRecord): number {
  const f = (r as { footprint?: () => number }).footprint;
  return f ? f.call(r) : r.appendedAudio().length + r.sentAudio().length;
}

/** `type` plus a few identifying fields; never audio payloads, never credentials. */
function summarize(frame: string, client = false): string {
  const head = frame.length > 600 ? frame.slice(0, 600) : frame;
  const m = /"type"\s*:\s*"([^"]+)"/.exec(head);
  const type = m ? m[1] : client ? "(unparsable)" : "?";
  const code = /"code"\s*:\s*"([^"]+)"/.exec(head);
  return `${type}${type === "error" && code ? ` ${code[1]}` : ""} (${frame.length} B)`;
}

export async function startRealtimeStub(opts: StubOptions = {}): Promise<RealtimeStub> {
  const script = await loadScript(opts.script);
  const hub = new SessionHub(opts, script);
  const frameCap = opts.maxClientFrameBytes ?? 24 * MIB;
  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }) : http.createServer();
  server.on("request", (req, res) => {
    // Readiness for scripts and CI (`bwemu stub` prints this URL on its ready line).
    if (new URL(req.url ?? "/", "http://stub").pathname === "/health" && (req.method === "GET" || req.method === "HEAD")) {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ status: "ok", service: "bwemu-realtime-stub", sessions: { open: sockets.size, total: hub.records.length } }));
      return;
    }
    res.writeHead(426, { "content-type": "application/json", upgrade: "websocket" });
    res.end(JSON.stringify({ error: { type: "invalid_request_error", message: "bwemu Realtime stub: connect with a WebSocket upgrade to /v1/realtime?model=…" } }));
  });
  // ws enforces a hard ceiling above the session's own cap: frames between the two get an `error`
  // event (socket open); beyond the ceiling ws closes with 1009 rather than buffering without bound.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: frameCap * 2,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has("realtime") ? "realtime" : false),
  });
  const sockets = new Map<WebSocket, RealtimeSession>();

  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://stub");
    if (!REALTIME_PATHS.includes(url.pathname.replace(/\/+$/, ""))) {
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nbwemu Realtime stub: use /v1/realtime\r\n");
      return;
    }
    socket.on("error", () => {});
    wss.handleUpgrade(req, socket, head, (ws) => {
      const protocols = String(req.headers["sec-websocket-protocol"] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      // The frames of one synchronous burst (a response's opening events) go out in one write: the
      // client wakes once and finds them all, instead of once per frame (each wake-up of an idle
      // process costs ~0.3 ms on a small VM, measured). flush() writes at once (each audio delta).
      let corked = false;
      const flush = (): void => {
        if (!corked) return;
        corked = false;
        socket.uncork();
      };
      const session = hub.open({
        model: url.searchParams.get("model") ?? url.searchParams.get("deployment"),
        dialect: dialectOf(req.headers, protocols),
        headers: safeHeaders(req.headers),
        send: (frame) => {
          if (ws.readyState !== ws.OPEN) return;
          if (!corked) {
            corked = true;
            socket.cork();
            process.nextTick(flush);
          }
          ws.send(frame);
        },
        flush,
        close: (code, reason, abrupt) => {
          if (abrupt) ws.terminate();
          else ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
        },
      });
      sockets.set(ws, session);
      ws.on("message", (data: RawData, isBinary: boolean) => {
        const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        hub.receive(session, isBinary ? undefined : buf.toString("utf8"), buf.length, isBinary);
      });
      ws.on("close", (code) => {
        sockets.delete(ws);
        hub.closed(session, code);
      });
      ws.on("error", (e) => opts.log?.(`${session.record.id} socket error: ${e.message}`));
      session.start();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.address === "0.0.0.0" || addr.address === "::" ? "127.0.0.1" : addr.address.includes(":") ? `[${addr.address}]` : addr.address;
  const url = `${opts.tls ? "wss" : "ws"}://${host}:${addr.port}/v1/realtime`;

  return {
    url,
    sessions: () => hub.records,
    sessionCount: () => hub.count,
    waitForSession: (p, t) => hub.waitForSession(p, t),
    addFault: (f) => hub.addFault(f),
    sync: async () => hub.prune(),
    close: async () => {
      for (const session of sockets.values()) session.stop(1001, "bwemu stub shutting down");
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          for (const ws of sockets.keys()) ws.terminate();
          server.closeAllConnections?.();
        }, 1000);
        server.close(() => {
          clearTimeout(t);
          resolve();
        });
        wss.close();
        if (sockets.size === 0) server.closeAllConnections?.();
      });
    },
  };
}
