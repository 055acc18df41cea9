// `bwemu serve`: one long-running carrier on one origin. `/api/v2/…` is the emulated Voice REST API
// (emulator/api, so an app's `bandwidth-sdk` client works with only its base URL changed), `/_bwemu/…`
// the control API (start inbound calls, DTMF, audio, hang-up, faults, timelines, files, live events),
// and `/` the live page. Every request passes the Voice API's loopback Host/Origin gate first.
// Calls live in memory up to a cap: the oldest ended ones are forgotten first.

import { access, constants } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApiServer } from "../../emulator/api/server.js";
import { checkHost } from "../../emulator/api/gate.js";
import { jsonReplies, readBody, sendReply as send, type Reply } from "../../emulator/api/reply.js";
import type { Call } from "../../emulator/call/call.js";
import { Carrier } from "../../emulator/call/carrier.js";
import type { CallerAudio, CarrierSettings } from "../../emulator/call/types.js";
import { speechWav } from "../speech.js";
import { loadCallerAudio } from "../../emulator/media/caller-feed.js";
import { isoTime } from "../../emulator/clock.js";
import type { TimelineEvent } from "../../emulator/timeline.js";
import { writeWav } from "../../emulator/media/wav.js";
import { badJson, callEnded, checkAudio, checkDtmf, checkFault, checkStartCall, controlError, unknownCall, type ControlError, type FaultRequest } from "./control.js";
import { parseJsonLocated } from "./json.js";
import { callsToDrop, DEFAULT_MAX_CALLS } from "./store.js";
import { LiveViews, summary, type PageContext } from "./live.js";
import type { StubLike } from "../load/stub-turns.js";

/** How soon events of calls no longer kept are forgotten. */
const SWEEP_MS = 5000;
/** Largest control request body (they are small JSON objects). */
export const MAX_CONTROL_BYTES = 64 * 1024;

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Carrier settings (account and application ids, callback credentials, Voice API credentials…). */
  settings?: Partial<CarrierSettings>;
  /** Calls kept in memory (default 200); the oldest ended ones are dropped first. */
  maxCalls?: number;
  /** What the Realtime side is, for the page and the health answer (the stub's URL, or a live URL). */
  realtime?: string;
  /** The stub behind `realtime`, when bwemu runs it: the live page then shows each ended call's bridge overhead. */
  stub?: StubLike;
  /** Unsent bytes an event-stream subscriber may hold before it is dropped (default 1 MiB). */
  sseBufferBytes?: number;
  /** How soon events that arrive for calls no longer kept (an app polling a dropped call) are forgotten (default 5 s). */
  orphanSweepMs?: number;
  /** One line per notable thing (call started/ended, subscriber dropped); app text already escaped by the caller. */
  log?: (line: string) => void;
}

export interface Serve {
  /** The origin, e.g. http://127.0.0.1:4010 (the live page is at `${url}/`). */
  readonly url: string;
  readonly apiBaseUrl: string;
  readonly carrier: Carrier;
  readonly maxCalls: number;
  /** End live calls like a carrier (disconnect webhooks sent, streams stopped), then stop listening. */
  close(): Promise<void>;
}

const json = jsonReplies({ "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }, { pretty: true });
const fail = (e: ControlError, headers: Record<string, string> = {}): Reply => json(e.status, { error: e }, headers);
const notAllowed = (allow: string): Reply => fail(controlError(405, "method-not-allowed", `use ${allow} here`), { allow });

export async function startServe(o: ServeOptions = {}): Promise<Serve> {
  const host = o.host ?? "127.0.0.1";
  let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_q, s) => s.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  server.on("clientError", (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}`;
  const carrier = new Carrier({ settings: { ...o.settings, apiBaseUrl: o.settings?.apiBaseUrl ?? `${url}/api/v2` } });
  const app = new ServeApp(carrier, url, o);
  const api = new ApiServer(carrier).mount(url);
  handler = (req, res) => {
    const gate = checkHost(req.headers, { allowedHosts: carrier.settings.apiAllowedHosts });
    const path = (req.url ?? "/").split("?")[0];
    if (path.startsWith("/api/")) return api(req, res);
    if (gate) return send(res, fail(controlError(403, "host-not-allowed", gate.body.description)));
    void app.handle(req, res).catch((e: unknown) => {
      o.log?.(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) send(res, json(500, { error: { code: "internal", message: "bwemu failed to answer this request (see its output)" } }));
      else res.destroy();
    });
  };
  let closing: Promise<void> | undefined;
  return {
    url,
    apiBaseUrl: `${url}/api/v2`,
    carrier,
    maxCalls: app.maxCalls,
    close: () =>
      (closing ??= (async () => {
        await carrier.close();
        app.close();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      })()),
  };
}

/** The control API and the live page: routing, bodies, the call cap. */
class ServeApp implements PageContext {
  readonly maxCalls: number;
  readonly live: LiveViews;
  /** Calls started through the carrier (call.created seen), and those of them whose result is final. */
  private readonly tracked = new Set<string>();
  private readonly finished = new Set<string>();
  /** Call ids of events that arrived for calls no longer kept. */
  private readonly orphans = new Set<string>();
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    readonly carrier: Carrier,
    readonly url: string,
    private readonly o: ServeOptions,
  ) {
    this.maxCalls = o.maxCalls ?? DEFAULT_MAX_CALLS;
    this.live = new LiveViews(this, { maxBufferedBytes: o.sseBufferBytes, onDrop: (why) => o.log?.(why) });
    carrier.timeline.subscribe((e) => this.onEvent(e));
  }

  get realtime(): string | undefined {
    return this.o.realtime;
  }

  get stub(): StubLike | undefined {
    return this.o.stub;
  }

  private onEvent(e: TimelineEvent): void {
    this.live.event(e);
    if (e.callId === undefined) return;
    const call = this.call(e.callId);
    if (!call) {
      // An event of a call no longer kept (an app polling a dropped call's URL): swept soon, so it cannot pile up.
      this.orphans.add(e.callId);
      this.sweepTimer ??= setTimeout(() => this.sweep(), this.o.orphanSweepMs ?? SWEEP_MS).unref();
      return;
    }
    if (e.kind === "call.created") {
      const d = e.data as { direction: string; appUrl: string };
      this.o.log?.(`call ${e.callId} ${d.direction} → ${d.appUrl}`);
      // Only a call whose result is final (disconnect webhook recorded) may be dropped.
      this.tracked.add(call.id);
      void call.done.then(() => setImmediate(() => {
        this.finished.add(call.id);
        this.enforceCap();
      }));
    }
    if (e.kind === "call.state" && (e.data as { state: string }).state === "disconnected") {
      const d = e.data as { cause?: string };
      this.o.log?.(`call ${e.callId} ended (${d.cause ?? "unknown"})`);
    }
  }

  /** Drop the oldest ended calls beyond the cap: their events, recordings and views go with them. */
  enforceCap(): void {
    // A Transfer's B-leg joins the list without call.created: it counts as ended once disconnected.
    const calls = [...this.carrier.calls.values()].map((c) => ({ id: c.id, ended: this.finished.has(c.id) || (!this.tracked.has(c.id) && c.state === "disconnected") }));
    const drop = callsToDrop(calls, this.maxCalls);
    if (!drop.length) return;
    for (const id of drop) {
      this.carrier.calls.delete(id);
      this.carrier.recordings.forget(id);
      this.carrier.webhooks.forget(id);
      this.finished.delete(id);
      this.tracked.delete(id);
      this.live.forget(id);
    }
    this.carrier.timeline.forget(new Set(drop));
  }

  private sweep(): void {
    this.sweepTimer = undefined;
    const gone = new Set([...this.orphans].filter((id) => !this.carrier.calls.has(id)));
    this.orphans.clear();
    this.carrier.timeline.forget(gone);
  }

  close(): void {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.live.close();
  }

  call(id: string): Call | undefined {
    return this.carrier.calls.get(id);
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const method = req.method ?? "GET";
    const path = url.pathname;
    // Pages.
    if (path === "/" || path === "/index.html") return method === "GET" || method === "HEAD" ? send(res, this.live.listPage()) : send(res, notAllowed("GET"));
    const page = /^\/calls\/([^/]+)$/.exec(path);
    if (page) {
      if (method !== "GET" && method !== "HEAD") return send(res, notAllowed("GET"));
      const call = this.call(decode(page[1]));
      return send(res, call ? this.live.callPage(call) : this.live.missingPage(decode(page[1])));
    }
    if (!path.startsWith("/_bwemu/")) return send(res, fail(controlError(404, "not-found", `nothing at ${clipPath(path)}: the Voice API is under /api/v2, the control API under /_bwemu/, the live page at /`)));
    const rest = path.slice("/_bwemu/".length);
    if (rest === "health") return method === "GET" || method === "HEAD" ? send(res, json(200, this.health())) : send(res, notAllowed("GET"));
    if (rest === "events") return method === "GET" ? this.live.subscribeList(req, res) : send(res, notAllowed("GET"));
    if (rest === "calls" || rest === "calls/") {
      if (method === "GET") return send(res, json(200, { calls: [...this.carrier.calls.values()].map((c) => this.describe(c)), maxCalls: this.maxCalls }));
      if (method !== "POST") return send(res, notAllowed("GET, POST"));
      return send(res, await this.withBody(req, (b) => this.startCall(b)));
    }
    const m = /^calls\/([^/]+)(?:\/(.+))?$/.exec(rest);
    if (!m) return send(res, fail(controlError(404, "not-found", `no control route ${clipPath(path)}; see GET /_bwemu/health for the list`)));
    const id = decode(m[1]);
    const sub = m[2] ?? "";
    const call = this.call(id);
    if (!call) return send(res, fail(unknownCall(id)));
    const post = (fn: (body: unknown) => Reply | Promise<Reply>) => (method === "POST" ? this.withBody(req, fn).then((r) => send(res, r)) : send(res, notAllowed("POST")));
    const get = (fn: () => Reply | Promise<Reply> | void) => {
      if (method !== "GET" && method !== "HEAD") return send(res, notAllowed("GET"));
      const r = fn();
      if (r) return Promise.resolve(r).then((x) => send(res, x));
    };
    switch (sub) {
      case "":
        return get(() => json(200, this.describe(call)));
      case "hangup":
        return post(() => {
          if (call.ended) return fail(callEnded(id));
          call.hangup("hung up from the control API");
          return json(202, { callId: id, hangingUp: true });
        });
      case "dtmf":
        return post((b) => this.dtmf(call, b));
      case "audio":
        return post((b) => this.audio(call, b));
      case "faults":
        return post((b) => this.fault(call, b));
      case "timeline":
        return get(() => {
          res.writeHead(200, { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" });
          for (const line of this.carrier.timeline.slice(id).jsonLines()) res.write(line);
          res.end();
        });
      case "events":
        return get(() => this.live.subscribeCall(call, req, res, url.searchParams.get("format") === "html"));
      case "report.html":
        return get(() => ({ status: 200, headers: { "content-type": "text/html; charset=utf-8", "content-disposition": `attachment; filename="bwemu-${safeName(id)}.html"`, "cache-control": "no-store" }, body: this.live.report(call) }));
    }
    const doc = /^bxml\/(\d+)$/.exec(sub);
    if (doc) {
      return get(() => {
        const d = call.documents[Number(doc[1]) - 1];
        if (!d) return fail(controlError(404, "not-found", `call ${id} has ${call.documents.length} BXML document(s); numbering starts at 1`));
        return { status: 200, headers: { "content-type": "application/xml; charset=utf-8", "content-disposition": `inline; filename="bxml-${doc[1]}.xml"`, "x-content-type-options": "nosniff", "content-security-policy": "default-src 'none'" }, body: d.text };
      });
    }
    const file = /^files\/([\w.-]+\.wav)$/.exec(sub);
    if (file) {
      return get(() => {
        const wav = this.wav(call, file[1]);
        if (!wav) return fail(controlError(404, "not-found", `call ${id} has no ${file[1]}; GET /_bwemu/calls/${id} lists its files`));
        return { status: 200, headers: { "content-type": "audio/wav", "content-length": String(wav.length), "cache-control": "no-store" }, body: wav };
      });
    }
    return send(res, fail(controlError(404, "not-found", `no control route ${clipPath(path)}`)));
  }

  private async withBody(req: http.IncomingMessage, fn: (body: unknown) => Reply | Promise<Reply>): Promise<Reply> {
    const r = await readBody(req, MAX_CONTROL_BYTES);
    if (r.tooLarge) return fail(controlError(413, "body-too-large", `request body larger than ${MAX_CONTROL_BYTES} bytes`));
    const ct = req.headers["content-type"] ?? "";
    if (r.text.trim() === "") return fn({});
    // JSON only: a cross-site form cannot send it without a CORS preflight, which this server never grants.
    if (!/^application\/json\s*(;|$)/i.test(ct)) return fail(controlError(415, "unsupported-media-type", `send the body as Content-Type: application/json (got ${JSON.stringify(ct.slice(0, 80)) || "none"})`));
    const parsed = parseJsonLocated(r.text);
    if (!parsed.ok) return fail(badJson(parsed.problem));
    return fn(parsed.value);
  }

  health(): Record<string, unknown> {
    const calls = [...this.carrier.calls.values()];
    return {
      status: "ok",
      url: this.url,
      apiBaseUrl: this.carrier.settings.apiBaseUrl,
      accountId: this.carrier.settings.accountId,
      applicationId: this.carrier.settings.applicationId,
      realtime: this.o.realtime ?? null,
      calls: calls.length,
      live: calls.filter((c) => !c.ended).length,
      maxCalls: this.maxCalls,
      routes: [
        "GET /_bwemu/calls",
        "POST /_bwemu/calls {appUrl, audio|caller, dtmf, from, to, maxDurationMs, hangupAfterCallerMs, method, label}",
        "GET /_bwemu/calls/:id",
        "POST /_bwemu/calls/:id/dtmf {digits, gapMs}",
        "POST /_bwemu/calls/:id/audio {audio|wav}",
        "POST /_bwemu/calls/:id/hangup",
        "POST /_bwemu/calls/:id/faults {kind, ms, cause}",
        "GET /_bwemu/calls/:id/timeline (JSON lines)",
        "GET /_bwemu/calls/:id/events (server-sent events)",
        "GET /_bwemu/calls/:id/bxml/:n",
        "GET /_bwemu/calls/:id/files/:name.wav",
        "GET /_bwemu/calls/:id/report.html",
        "GET /_bwemu/events (server-sent events: the call list)",
      ],
    };
  }

  describe(c: Call): Record<string, unknown> {
    const base = `${this.url}/_bwemu/calls/${encodeURIComponent(c.id)}`;
    return {
      ...summary(c),
      answerTime: c.answerWall ? isoTime(c.answerWall) : null,
      endTime: c.endWall ? isoTime(c.endWall) : null,
      callUrl: c.callUrl,
      documents: c.documents.map((_d, i) => `${base}/bxml/${i + 1}`),
      streams: c.streamRecords.map((s) => ({ streamId: s.streamId, name: s.name, destination: s.destination, closedBy: s.closedBy ?? null, closeCode: s.closeCode ?? null })),
      files: this.wavNames(c).map((n) => `${base}/files/${n}`),
      recordings: this.carrier.recordings.list(c.id).map((r) => r.metadata),
      timeline: `${base}/timeline`,
      events: `${base}/events`,
      report: `${base}/report.html`,
      page: `${this.url}/calls/${encodeURIComponent(c.id)}`,
    };
  }

  wavNames(c: Call): string[] {
    const names = c.audio ? ["caller.wav", "heard.wav"] : [];
    c.streamRecords.forEach((_s, i) => names.push(`stream-${i + 1}-inbound.wav`, `stream-${i + 1}-played.wav`));
    for (const r of this.carrier.recordings.list(c.id)) names.push(`recording-${r.recordingId}.wav`);
    return names;
  }

  wav(c: Call, name: string): Uint8Array | undefined {
    if (name === "caller.wav" && c.audio) return writeWav(c.audio.inboundPcm(), 8000);
    if (name === "heard.wav" && c.audio) return writeWav(c.audio.outboundPcm(), 8000);
    const s = /^stream-(\d+)-(inbound|played)\.wav$/.exec(name);
    if (s) {
      const rec = c.streamRecords[Number(s[1]) - 1];
      return rec ? writeWav(s[2] === "inbound" ? rec.inboundPcm : rec.playedPcm, 8000) : undefined;
    }
    const r = /^recording-(.+)\.wav$/.exec(name);
    const stored = r ? this.carrier.recordings.get(c.id, r[1]) : undefined;
    return stored ? this.carrier.recordings.wav(stored) : undefined;
  }

  private async startCall(body: unknown): Promise<Reply> {
    const v = checkStartCall(body);
    if (!v.ok) return fail(v.error);
    const live = [...this.carrier.calls.values()].filter((c) => !c.ended).length;
    if (live >= this.maxCalls) return fail(controlError(503, "too-many-calls", `${live} calls are live, the cap is ${this.maxCalls} (--max-calls): hang some up first`));
    const r = v.value;
    const caller: CallerAudio = r.fixture ? { wav: speechWav(r.fixture) } : (r.caller ?? { silence: true });
    const missing = await missingWav(caller);
    if (missing) return fail(controlError(400, "no-audio", `${missing.field}: cannot read ${JSON.stringify(missing.path)} on the serve machine`, { field: missing.field }));
    const handle = this.carrier.placeCall({
      appUrl: r.appUrl,
      caller,
      dtmf: r.dtmf,
      from: r.from,
      to: r.to,
      maxDurationMs: r.maxDurationMs,
      hangupAfterCallerMs: r.hangupAfterCallerMs,
      label: r.label,
      settings: r.method ? { initiateMethod: r.method } : undefined,
    });
    handle.done.catch(() => undefined);
    const call = this.call(handle.callId)!;
    return json(201, this.describe(call), { location: `${this.url}/_bwemu/calls/${encodeURIComponent(call.id)}` });
  }

  private dtmf(call: Call, body: unknown): Reply {
    const v = checkDtmf(body);
    if (!v.ok) return fail(v.error);
    if (call.ended) return fail(callEnded(call.id));
    void call.act({ atMs: 0, action: "dtmf", digits: v.value.digits, gapMs: v.value.gapMs }).catch(() => undefined);
    return json(202, { callId: call.id, digits: v.value.digits });
  }

  private async audio(call: Call, body: unknown): Promise<Reply> {
    const v = checkAudio(body);
    if (!v.ok) return fail(v.error);
    if (call.ended) return fail(callEnded(call.id));
    const path = v.value.fixture ? speechWav(v.value.fixture) : v.value.wav!;
    let utterances;
    try {
      utterances = await loadCallerAudio({ wav: path }, call.settings.mediaFormat);
    } catch (e) {
      return fail(controlError(400, "no-audio", `${v.value.fixture ? "audio" : "wav"}: ${e instanceof Error ? e.message : String(e)}`, { field: v.value.fixture ? "audio" : "wav" }));
    }
    const audio = await call.getAudio().catch(() => undefined);
    if (!audio || call.ended) return fail(controlError(409, "call-ended", `call ${call.id} has no caller audio running (ended, or its audio failed to load)`));
    for (const u of utterances) audio.say(u);
    call.record("note", { message: `control API: the caller says ${v.value.fixture ?? path}` });
    return json(202, { callId: call.id, queued: v.value.fixture ?? path });
  }

  private fault(call: Call, body: unknown): Reply {
    const v = checkFault(body);
    if (!v.ok) return fail(v.error);
    if (call.ended) return fail(callEnded(call.id));
    applyFault(call, v.value, this.carrier.webhooks);
    call.record("note", { message: `control API: injected fault ${v.value.kind}${v.value.ms ? ` (${v.value.ms} ms)` : ""}${v.value.cause ? ` (${v.value.cause})` : ""}` });
    return json(202, { callId: call.id, fault: v.value });
  }
}

/** The emulator's own fault injection (scripted call actions, the StartStream rejection, the webhook client's delay), now. */
function applyFault(call: Call, f: FaultRequest, webhooks: Pick<Carrier["webhooks"], "delayNext">): void {
  const act = (a: Parameters<Call["act"]>[0]) => void call.act(a).catch(() => undefined);
  switch (f.kind) {
    case "drop-stream":
      return act({ atMs: 0, action: "drop-socket" });
    case "malformed-frame":
      return act({ atMs: 0, action: "send-malformed-frame" });
    case "unknown-event":
      return act({ atMs: 0, action: "send-unknown-event" });
    case "binary-frame":
      return act({ atMs: 0, action: "send-binary-frame" });
    case "burst-media":
      return act({ atMs: 0, action: "burst-media", durationMs: f.ms ?? 1000 });
    case "carrier-end":
      return act({ atMs: 0, action: "carrier-end", cause: f.cause ?? "error" });
    case "reject-next-stream":
      call.options.forceStreamRejection = (f.cause as "error" | "connection-error" | undefined) ?? "error";
      call.verbState.forcedRejectionUsed = false;
      return;
    case "slow-next-webhook":
      webhooks.delayNext(call.id, f.ms ?? 5000);
  }
}


async function missingWav(caller: CallerAudio): Promise<{ field: string; path: string } | undefined> {
  const paths = "wav" in caller ? [{ field: "caller.wav", path: caller.wav }] : "script" in caller ? caller.script.map((u, i) => ({ field: `caller.script[${i}].wav`, path: u.wav })) : [];
  for (const p of paths) {
    try {
      await access(p.path, constants.R_OK);
    } catch {
      return p;
    }
  }
  return undefined;
}

/** A path segment decoded; a malformed escape stays as it was (it names no call either way). */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function clipPath(p: string): string {
  return JSON.stringify(p.length > 100 ? `${p.slice(0, 100)}…` : p);
}

function safeName(s: string): string {
  return s.replace(/[^\w.-]+/g, "_").slice(0, 80);
}

