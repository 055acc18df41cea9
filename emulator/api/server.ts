// The Voice REST API subset (bandwidth.md §7.3–7.8) on node:http, 127.0.0.1 by default:
// createCall, getCallState, listCalls, updateCall, updateCallBxml, updateCallRecordingState, plus
// recordings (list, metadata, media) and `/_bwemu/health`. Errors are Bandwidth's JSON shapes (§7.2). Every
// request is recorded as `http.exchange` (role rest-api) on the call's timeline.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { isoTime } from "../clock.js";
import { clipBody, redactHeaders } from "../timeline.js";
import { redactSecrets } from "../webhooks/redact.js";
import { credentials } from "../webhooks/request.js";
import type { ApiCall, ApiCarrier } from "./carrier.js";
import { ERRORS, type ApiError } from "./errors.js";
import { checkCredentials, checkHost } from "./gate.js";
import { jsonReplies, readBody, sendReply, type Reply } from "./reply.js";
import { validateCreateCall, validateRecordingState, validateUpdateCall } from "./validate.js";
import { nullWhenAbsent } from "../protocol/voice-api.js";

/** Largest request body read (a PUT …/bxml is ≤ 64 KB by rule; JSON bodies are small). */
export const MAX_REQUEST_BYTES = 1024 * 1024;
export const BASE_PATH = "/api/v2";

const json = jsonReplies({ "content-type": "application/json;charset=UTF-8" });

const fail = (e: ApiError): Reply => json(e.status, e.body, e.headers);

export class ApiServer {
  private server?: http.Server;
  private base = "";

  constructor(private readonly carrier: ApiCarrier) {}

  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    if (this.server) return this.base;
    const server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const a = server.address() as AddressInfo;
    this.base = `http://${host}:${a.port}${BASE_PATH}`;
    return this.base;
  }

  /** Serve on a server someone else owns (`bwemu serve` puts its control API on the same origin). */
  mount(origin: string): (req: http.IncomingMessage, res: http.ServerResponse) => void {
    this.base = `${origin.replace(/\/$/, "")}${BASE_PATH}`;
    return (req, res) => void this.handle(req, res);
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const t0 = this.carrier.clock.nowUs();
    let body = "";
    let tooLarge = false;
    try {
      ({ text: body, tooLarge } = await readBody(req, MAX_REQUEST_BYTES));
    } catch {
      /* a request that broke off reads as empty */
    }
    let reply: Reply;
    let callId: string | undefined;
    try {
      const r = this.route(req, body, tooLarge);
      reply = await r.reply;
      callId = r.callId;
    } catch (e) {
      reply = fail(ERRORS.internal());
      this.carrier.timeline.append("note", { message: `REST API internal error: ${e instanceof Error ? e.message : String(e)}` });
    }
    sendReply(res, reply);
    if (req.url?.startsWith("/_bwemu/")) return;
    const reqBody = clipBody(redactSecrets(body));
    const resBody = typeof reply.body === "string" ? clipBody(redactSecrets(reply.body)) : { text: reply.body ? `(${reply.body.length} bytes)` : undefined, truncated: false };
    this.carrier.timeline.append(
      "http.exchange",
      {
        role: "rest-api",
        method: req.method ?? "GET",
        url: `${this.base.replace(BASE_PATH, "")}${req.url ?? ""}`,
        requestHeaders: redactHeaders(req.headers),
        requestBody: reqBody.text,
        status: reply.status,
        responseHeaders: redactHeaders(reply.headers ?? {}),
        responseBody: resBody.text,
        durationUs: this.carrier.clock.nowUs() - t0,
        attempt: 1,
        truncated: reqBody.truncated || resBody.truncated || tooLarge || undefined,
      },
      { callId, lane: "app" },
    );
  }

  private route(req: http.IncomingMessage, body: string, tooLarge: boolean): { reply: Reply | Promise<Reply>; callId?: string } {
    const url = new URL(req.url ?? "/", "http://x");
    const method = req.method ?? "GET";
    const gate = { allowedHosts: this.carrier.settings.apiAllowedHosts, credentials: this.carrier.settings.apiCredentials };
    const strangeHost = checkHost(req.headers, gate);
    if (strangeHost) return { reply: fail(strangeHost) };
    if (url.pathname === "/_bwemu/health") return { reply: json(200, { status: "ok", calls: this.carrier.calls.size }) };
    const path = url.pathname.startsWith(BASE_PATH) ? url.pathname.slice(BASE_PATH.length) : undefined;
    const m = path ? /^\/accounts\/([^/]+)\/calls(?:\/([^/]+)(?:\/(bxml|recording|recordings(?:\/([^/]+)(\/media)?)?|transcriptions\/([^/]+)))?)?\/?$/.exec(path) : null;
    if (!m) return { reply: fail(ERRORS.noRoute()) };
    const [, account, callId, sub, recordingId, media, transcriptionId] = m;
    const badCredentials = checkCredentials(req.headers.authorization, gate);
    if (badCredentials) return { reply: fail(badCredentials), callId };
    if (account !== this.carrier.settings.accountId) return { reply: fail(ERRORS.forbidden()), callId };
    if (tooLarge) return { reply: fail(ERRORS.invalid(`request body larger than ${MAX_REQUEST_BYTES} bytes`)), callId };
    const allow = (...ms: string[]) => ms.includes(method);
    if (!callId) {
      if (method === "POST") return { reply: this.createCall(req, body) };
      if (method === "GET") return { reply: this.listCalls(url) };
      return { reply: fail(ERRORS.methodNotAllowed()) };
    }
    const call = this.carrier.calls.get(callId);
    if (!sub) {
      if (!allow("GET", "POST")) return { reply: fail(ERRORS.methodNotAllowed()), callId };
      if (!call) return { reply: fail(ERRORS.notFound(callId)), callId };
      if (method === "GET") return { reply: json(200, callState(call)), callId };
      return { reply: this.updateCall(req, call, body), callId };
    }
    if (sub === "bxml") {
      if (!allow("PUT")) return { reply: fail(ERRORS.methodNotAllowed()), callId };
      if (!call) return { reply: fail(ERRORS.notFound(callId)), callId };
      const ct = req.headers["content-type"] ?? "";
      if (!/^(application|text)\/xml\b/i.test(ct)) return { reply: fail(ERRORS.unsupportedType(ct)), callId };
      if (call.ended) return { reply: fail(ERRORS.conflict(callId)), callId };
      if (call.state !== "answered") return { reply: fail(ERRORS.conflict(callId)), callId };
      // OPEN-20: accepted with 204; an invalid document then ends the call with invalid-bxml.
      call.restReplaceBxml(body);
      return { reply: { status: 204 }, callId };
    }
    if (sub === "recording") {
      if (!allow("PUT")) return { reply: fail(ERRORS.methodNotAllowed()), callId };
      if (!call) return { reply: fail(ERRORS.notFound(callId)), callId };
      const parsed = parseJson(req, body);
      if ("error" in parsed) return { reply: fail(parsed.error), callId };
      const v = validateRecordingState(parsed.value);
      if (!v.ok) return { reply: fail(ERRORS.invalid(v.description)), callId };
      if (call.ended) return { reply: fail(ERRORS.conflict(callId)), callId };
      if (!call.setRecordingState(v.value)) return { reply: fail(ERRORS.conflict(callId)), callId };
      return { reply: { status: 200 }, callId };
    }
    if (sub.startsWith("recordings")) {
      // Kept until the process exits, also after the call ended (a voicemail app downloads after recordComplete).
      if (!allow("GET")) return { reply: fail(ERRORS.methodNotAllowed()), callId };
      const store = this.carrier.recordings;
      if (!recordingId) {
        const all = store.list(callId);
        if (!call && all.length === 0) return { reply: fail(ERRORS.notFound(callId)), callId };
        return { reply: json(200, all.map((r) => r.metadata)), callId };
      }
      const rec = store.get(callId, recordingId);
      if (!rec) return { reply: fail(ERRORS.invalid(`Recording [${recordingId}] not found`)), callId };
      if (!media) return { reply: json(200, rec.metadata), callId };
      const file = store.media(rec).then((f): Reply => ({ status: 200, headers: { "content-type": f.contentType, "content-length": String(f.bytes.length) }, body: f.bytes }));
      return { reply: file, callId };
    }
    if (transcriptionId) {
      if (!allow("GET")) return { reply: fail(ERRORS.methodNotAllowed()), callId };
      if (!call) return { reply: fail(ERRORS.notFound(callId)), callId };
      const lines = call.options.transcript ?? [];
      return { reply: json(200, { transcripts: lines.map((l) => ({ track: l.track, text: l.text, confidence: 0.95 })) }), callId };
    }
    return { reply: fail(ERRORS.noRoute()), callId };
  }

  private createCall(req: http.IncomingMessage, body: string): Reply {
    const parsed = parseJson(req, body);
    if ("error" in parsed) return fail(parsed.error);
    const v = validateCreateCall(parsed.value, this.carrier.settings.applicationId);
    if (!v.ok) return fail(ERRORS.invalid(v.description));
    const b = v.value;
    const c = this.carrier;
    const creds = credentials(b.username, b.password);
    const fbCreds = credentials(b.fallbackUsername, b.fallbackPassword);
    const enqueued = c.clock.wallNow();
    const fe = c.farEnds[b.to] ?? c.farEnds["*"] ?? { outcome: "answer" as const, ringMs: 500 };
    const call = c.startOutbound({
      from: b.from,
      to: b.to,
      first: {
        eventType: "answer",
        primary: { url: b.answerUrl, method: b.answerMethod, credentials: creds },
        fallback: b.answerFallbackUrl ? { url: b.answerFallbackUrl, method: b.answerFallbackMethod, credentials: fbCreds } : undefined,
      },
      disconnectTarget: b.disconnectUrl ? { url: b.disconnectUrl, method: b.disconnectMethod, credentials: creds } : undefined,
      callbackTimeoutMs: b.callbackTimeout * 1000,
      callTimeoutMs: b.callTimeout * 1000,
      tag: b.tag,
      caller: { silence: true },
      options: { appUrl: b.answerUrl, label: "createCall" },
      enqueuedWall: enqueued,
      farEnd: fe,
      machineDetection: b.machineDetection && {
        mode: b.machineDetection.mode,
        result: fe.machineDetection ?? "human",
        durationMs: 1000,
        callback: b.machineDetection.callbackUrl
          ? { url: b.machineDetection.callbackUrl, method: b.machineDetection.callbackMethod, credentials: credentials(b.machineDetection.username, b.machineDetection.password) ?? creds }
          : undefined,
      },
    });
    const out = nullWhenAbsent({
      applicationId: b.applicationId,
      accountId: c.settings.accountId,
      callId: call.id,
      to: b.to,
      from: b.from,
      enqueuedTime: isoTime(enqueued),
      callUrl: call.callUrl,
      callTimeout: b.callTimeout,
      callbackTimeout: b.callbackTimeout,
      tag: b.tag,
      answerMethod: b.answerMethod,
      answerUrl: b.answerUrl,
      answerFallbackMethod: b.answerFallbackMethod,
      answerFallbackUrl: b.answerFallbackUrl,
      disconnectUrl: b.disconnectUrl,
      disconnectMethod: b.disconnectMethod,
      username: b.username,
      password: b.password,
      fallbackUsername: b.fallbackUsername,
      fallbackPassword: b.fallbackPassword,
      priority: b.priority,
    });
    return json(201, out, { location: call.callUrl });
  }

  private listCalls(url: URL): Reply {
    const q = url.searchParams;
    const pageSize = Number(q.get("pageSize") ?? 1000);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10000) return fail(ERRORS.invalid("Invalid pageSize: must be between 1 and 10000"));
    const min = q.get("minStartTime");
    const max = q.get("maxStartTime");
    const calls = [...this.carrier.calls.values()]
      .filter((c) => (q.get("to") ? c.to === q.get("to") : true))
      .filter((c) => (q.get("from") ? c.from === q.get("from") : true))
      .filter((c) => (q.get("disconnectCause") ? c.end?.cause === q.get("disconnectCause") : true))
      .filter((c) => (min ? c.startWall.getTime() >= Date.parse(min) : true))
      .filter((c) => (max ? c.startWall.getTime() <= Date.parse(max) : true))
      .sort((a, b) => a.startWall.getTime() - b.startWall.getTime());
    // §7.5: pages follow `Link: <…>; rel="next"`; the emulator's pageToken is an opaque offset.
    const offset = Math.max(0, Number.parseInt(Buffer.from(q.get("pageToken") ?? "", "base64url").toString() || "0", 10) || 0);
    const page = calls.slice(offset, offset + pageSize);
    const headers: Record<string, string> = {};
    if (offset + pageSize < calls.length) {
      const next = new URL(url.href);
      next.searchParams.set("pageToken", Buffer.from(String(offset + pageSize)).toString("base64url"));
      headers.link = `<${this.base.replace(BASE_PATH, "")}${next.pathname}${next.search}>; rel="next"`;
    }
    return json(200, page.map(callState), headers);
  }

  private updateCall(req: http.IncomingMessage, call: ApiCall, body: string): Reply {
    const parsed = parseJson(req, body);
    if ("error" in parsed) return fail(parsed.error);
    const v = validateUpdateCall(parsed.value);
    if (!v.ok) return fail(ERRORS.invalid(v.description));
    if (call.ended) return fail(ERRORS.conflict(call.id));
    if (v.value.state === "completed") {
      call.hangup("REST updateCall state=completed", "rest-api");
      return { status: 200 };
    }
    if (call.state !== "answered") return fail(ERRORS.conflict(call.id));
    const r = call.restRedirect({ ...v.value, redirectUrl: v.value.redirectUrl! });
    if (!r.ok) return fail(ERRORS.invalid(`Invalid redirectUrl: ${r.message}`));
    return { status: 200 };
  }
}

function parseJson(req: http.IncomingMessage, body: string): { value: Record<string, unknown> } | { error: ApiError } {
  const ct = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(ct)) return { error: ERRORS.unsupportedType(ct) };
  try {
    const v: unknown = JSON.parse(body === "" ? "{}" : body);
    if (!v || typeof v !== "object" || Array.isArray(v)) return { error: ERRORS.invalid("Request body must be a JSON object") };
    return { value: v as Record<string, unknown> };
  } catch (e) {
    return { error: ERRORS.invalid(`Malformed JSON: ${e instanceof Error ? e.message : String(e)}`) };
  }
}

/** §7.4 callState. */
export function callState(c: ApiCall): Record<string, unknown> {
  return nullWhenAbsent({
    applicationId: c.settings.applicationId,
    accountId: c.settings.accountId,
    callId: c.id,
    parentCallId: c.parentCallId,
    to: c.to,
    from: c.from,
    direction: c.direction,
    state: c.state,
    stirShaken: null,
    identity: null,
    enqueuedTime: c.enqueuedWall ? isoTime(c.enqueuedWall) : null,
    startTime: isoTime(c.startWall),
    answerTime: c.answerWall ? isoTime(c.answerWall) : null,
    endTime: c.endWall ? isoTime(c.endWall) : null,
    disconnectCause: c.end && c.endWall ? c.end.cause : null,
    errorMessage: c.end && c.endWall ? c.end.errorMessage : null,
    errorId: c.end && c.endWall ? c.end.errorId : null,
    lastUpdate: isoTime(c.lastUpdateWall),
  });
}
