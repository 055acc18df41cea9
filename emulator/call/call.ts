// One call: its state, its tag, its documents and the loop that executes them (bandwidth.md §1.4).
// Verbs run one after another on the call's clock; BXML-returning webhooks replace the document;
// REST interruption (ED-5) aborts the running verb and continues with new BXML; the call ends
// exactly once, tearing down streams in the ED-3 order before `disconnect`.

import { MAX_DOCUMENT_BYTES, parseBxml } from "../bxml/parse.js";
import { checkAcceptance } from "../bxml/acceptance/index.js";
import { walkDocumentedAttributes } from "../bxml/acceptance/walk.js";
import { keepAliveAfter } from "../bxml/keepalive.js";
import { childElements, type BxmlContext, type BxmlElement, type Diagnostic } from "../bxml/model.js";
import { isoDuration, isoTime } from "../clock.js";
import {
  answerPayload,
  disconnectPayload,
  initiatePayload,
  redirectPayload,
  type CallSnapshot,
  type Direction,
  type Payload,
} from "../protocol/webhooks.js";
import type { TimelineEventMap } from "../timeline.js";
import type { BxmlDelivery, WebhookSpec, WebhookTarget } from "../webhooks/client.js";
import type { Clock } from "../clock.js";
import type { IdFactory } from "../ids.js";
import type { Timeline } from "../timeline.js";
import { redactBxml } from "../webhooks/redact.js";
import { resolveUrl } from "../webhooks/url.js";
import { attrsRecord, bool, creds, credentials, method, str } from "./attrs.js";
import type { CarrierContext, FarEnd } from "./context.js";
import { farEndFor } from "./farend.js";
import type { VerbOutcome } from "./executor.js";
import { CALL_FINDINGS, type CallFindingCode } from "./findings.js";
import { Keypad } from "./keypad.js";
import { setRecordingState } from "./recorder.js";
import { createCallAudio, type CallAudio } from "./media.js";
import { callUrl } from "./settings.js";
import { Aborted, sleepMs } from "./sleep.js";
import type { StreamEntry } from "./streams.js";
import { stopAllStreams, stopStream } from "./streams.js";
import "./limit.js";
import type { CallAction, CallResult, CarrierSettings, EndedBy, PlaceCallOptions, StreamRecord } from "./types.js";
import type { CallInit, CallState, DocSource, VerbHost, VerbState } from "./host.js";
import { executorFor } from "./verbs/index.js";
import type { RedirectRequest } from "../protocol/voice-api.js";
import type { ApiCall } from "../api/carrier.js";

export type { CallInit, CallState, DocSource } from "./host.js";

declare module "../timeline.js" {
  interface TimelineEventMap {
    /** A REST request or scripted action interrupted the running document (ED-5). */
    "call.interrupt": { via: "rest-redirect" | "rest-bxml" | "action"; url?: string };
  }
}

/** The CNAM `initiate` carries when the call does not set one (≤ 15 characters, as CNAM is). */
export const DEFAULT_CALLER_DISPLAY_NAME = "BWEMU CALLER";

export interface LoadedDocument {
  root: BxmlElement;
  url?: string;
  context: BxmlContext;
}


export class Call implements VerbHost, ApiCall {
  readonly id: string;
  readonly direction: Direction;
  readonly from: string;
  readonly to: string;
  readonly callUrl: string;
  readonly label?: string;
  state: CallState = "initiated";
  tag?: string;
  parentCallId?: string;
  transferCallerId?: string;
  transferTo?: string;
  readonly startWall: Date;
  readonly enqueuedWall?: Date;
  answerWall?: Date;
  endWall?: Date;
  readonly startedUs: number;
  endedUs = 0;
  lastUpdateWall: Date;
  end?: { cause: string; errorMessage?: string; errorId?: string; by?: EndedBy };
  /** The URL that served the most recent document (OPEN-5 base for PUT / REST). */
  lastDocUrl?: string;
  bxmlRequests = 0;
  readonly bxmlUrls: string[] = [];
  readonly documents: CallResult["documents"] = [];
  /** Active streams by name. */
  readonly streams = new Map<string, StreamEntry>();
  readonly streamRecords: StreamRecord[] = [];
  readonly keypad: Keypad;
  audio?: CallAudio;
  private audioReady?: Promise<CallAudio>;
  /** Set while the call is bridged/transferred/in a conference; `leave` releases the peer. */
  peer?: { kind: "bridge" | "transfer" | "conference"; leave: (cause: string) => void };
  /** Forward / Refer success: the app no longer controls the call. */
  released = false;
  /** Per-call state verbs keep (recording, gathers, transcriptions), typed by key. */
  readonly verbState: VerbState = {};
  readonly callbackTimeoutMs?: number;
  readonly options: PlaceCallOptions;
  private readonly init: CallInit;
  private runAbort = new AbortController();
  private readonly endAbort = new AbortController();
  private pendingInterrupt?: DocSource;
  private readonly pendingNotifications = new Set<Promise<unknown>>();
  private firstStreamStarted = false;
  private resolveDone!: (r: CallResult) => void;
  readonly done: Promise<CallResult>;
  private readonly answeredWaiters: (() => void)[] = [];
  private readonly endedWaiters: (() => void)[] = [];

  readonly settings: CarrierSettings;
  /** The carrier's shared pieces, with this call's settings. */
  private readonly ctx: CarrierContext;

  constructor(ctx: CarrierContext, init: CallInit, id?: string) {
    // Per-call setting overrides (PlaceCallOptions.settings) apply to this call only.
    this.ctx = init.options.settings ? { ...ctx, settings: { ...ctx.settings, ...init.options.settings } } : ctx;
    this.settings = this.ctx.settings;
    this.init = init;
    this.id = id ?? ctx.ids.callId();
    this.direction = init.direction;
    this.from = init.from;
    this.to = init.to;
    this.callUrl = callUrl(ctx.settings, this.id);
    this.label = init.options.label;
    this.options = init.options;
    this.tag = init.tag;
    this.parentCallId = init.parentCallId;
    this.transferCallerId = init.transferCallerId;
    this.transferTo = init.transferTo;
    this.enqueuedWall = init.enqueuedWall;
    this.callbackTimeoutMs = init.callbackTimeoutMs;
    this.startWall = ctx.clock.wallNow();
    this.lastUpdateWall = this.startWall;
    this.startedUs = ctx.clock.nowUs();
    this.keypad = new Keypad(this);
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  // ---------- the carrier's pieces ----------

  get clock(): Clock {
    return this.ctx.clock;
  }

  get ids(): IdFactory {
    return this.ctx.ids;
  }

  get timeline(): Timeline {
    return this.ctx.timeline;
  }

  get recordings(): VerbHost["recordings"] {
    return this.ctx.recordings;
  }

  get conferences(): VerbHost["conferences"] {
    return this.ctx.conferences;
  }

  deliverBxml(spec: WebhookSpec): Promise<BxmlDelivery> {
    return this.ctx.webhooks.deliverBxml(spec);
  }

  findCall(id: string): VerbHost | undefined {
    return this.ctx.calls.get(id);
  }

  farEnd(target: string): FarEnd {
    return farEndFor(this.options.farEnds, this.ctx.farEnds, target);
  }

  // ---------- observation ----------

  get signal(): AbortSignal {
    return this.endAbort.signal;
  }

  /** Fires when the current document run is interrupted (REST, hold). */
  get runSignal(): AbortSignal {
    return this.runAbort.signal;
  }

  get ended(): boolean {
    return this.end !== undefined;
  }

  record<K extends keyof TimelineEventMap>(kind: K, data: TimelineEventMap[K]) {
    return this.ctx.timeline.append(kind, data, { callId: this.id });
  }

  finding(code: CallFindingCode, message: string, evidence?: number[]) {
    return this.record("finding", { code, level: CALL_FINDINGS[code], message, evidence });
  }

  snapshot(): CallSnapshot {
    return {
      accountId: this.ctx.settings.accountId,
      applicationId: this.ctx.settings.applicationId,
      callId: this.id,
      callUrl: this.callUrl,
      direction: this.direction,
      from: this.from,
      to: this.to,
      startTime: isoTime(this.startWall),
      answerTime: this.answerWall ? isoTime(this.answerWall) : undefined,
      enqueuedTime: this.enqueuedWall ? isoTime(this.enqueuedWall) : undefined,
      endTime: this.endWall ? isoTime(this.endWall) : undefined,
      tag: this.tag,
      parentCallId: this.parentCallId,
      transferCallerId: this.transferCallerId,
      transferTo: this.transferTo,
      ...this.sipFields(),
    };
  }

  /** §6.4: the SIP dialog's Call-ID (inbound: from the INVITE; outbound: once the far end answers), and
   * the caller's presentation on inbound calls, as live `initiate` captures carry them. */
  private sipFields(): Pick<CallSnapshot, "sipCallId" | "privacy" | "callerDisplayName"> {
    const sipCallId = `${this.id.replace(/-/g, "")}@sbc.bandwidth.com`; // §6.7 example shape
    if (this.direction === "outbound") return this.answerWall ? { sipCallId } : {};
    const o = this.options;
    return { sipCallId, privacy: o.privacy ?? false, callerDisplayName: o.callerDisplayName ?? DEFAULT_CALLER_DISPLAY_NAME };
  }

  now(): string {
    return isoTime(this.ctx.clock.wallNow());
  }

  // ---------- helpers for executors ----------

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return sleepMs(this.ctx.clock, ms, signal);
  }

  /** Resolve a URL attribute against the document's URL (§1.5); throws a located message. */
  resolve(value: string, baseUrl: string | undefined): string {
    const r = resolveUrl(value, baseUrl ?? this.lastDocUrl);
    if (!r.ok) throw new Error(r.error);
    return r.url;
  }

  /** Primary + fallback targets from a verb's `<prefix>Url` family of attributes (§2.x). */
  targets(
    el: BxmlElement,
    prefix: string,
    baseUrl: string | undefined,
    opts: { fallback?: boolean; user?: string; pass?: string } = {},
  ): { primary: WebhookTarget; fallback?: WebhookTarget } | undefined {
    const url = str(el, `${prefix}Url`);
    if (url === undefined) return undefined;
    const primary: WebhookTarget = {
      url: this.resolve(url, baseUrl),
      method: method(el, `${prefix}Method`),
      credentials: creds(el, opts.user ?? "username", opts.pass ?? "password"),
    };
    let fallback: WebhookTarget | undefined;
    const fb = opts.fallback === false ? undefined : str(el, `${prefix}FallbackUrl`);
    if (fb !== undefined) {
      fallback = {
        url: this.resolve(fb, baseUrl),
        method: method(el, `${prefix}FallbackMethod`),
        credentials: creds(el, "fallbackUsername", "fallbackPassword"),
      };
    }
    return { primary, fallback };
  }

  bxmlRequest(eventType: string, payload: Payload, t: { primary: WebhookTarget; fallback?: WebhookTarget }): WebhookSpec {
    return {
      eventType,
      payload,
      primary: t.primary,
      fallback: t.fallback,
      timeoutMs: this.callbackTimeoutMs,
      callId: this.id,
      signal: this.signal,
    };
  }

  /** Fire a notification webhook; never blocks the caller (§6.1). Returns the delivery promise. */
  notify(eventType: string, payload: Payload, target: WebhookTarget): Promise<unknown> {
    const p = this.ctx.webhooks
      .notify({ eventType, payload, primary: target, timeoutMs: this.callbackTimeoutMs, callId: this.id })
      .catch(() => undefined);
    this.pendingNotifications.add(p);
    void p.finally(() => this.pendingNotifications.delete(p));
    return p;
  }

  setTag(value: string): void {
    const v = value.trim();
    this.tag = v === "" ? undefined : v;
  }

  /** OPEN-1: answer an unanswered inbound call. */
  async answer(): Promise<void> {
    if (this.state !== "initiated") return;
    this.state = "answered";
    this.answerWall = this.ctx.clock.wallNow();
    this.lastUpdateWall = this.answerWall;
    this.record("call.state", { state: "answered" });
    for (const w of this.answeredWaiters.splice(0)) w();
    // ED-12 alternative: the caller's audio runs on the call's clock from answer, as on a live call.
    if (this.ctx.settings.callerStartsAt === "answer") void this.getAudio().catch(() => undefined);
  }

  whenAnswered(): Promise<void> {
    if (this.state === "answered") return Promise.resolve();
    return new Promise((r) => this.answeredWaiters.push(r));
  }

  whenEnded(): Promise<void> {
    if (this.endWall) return Promise.resolve();
    return new Promise((r) => this.endedWaiters.push(r));
  }

  /** The call's audio engine, started on first use (the first prompt, stream or recording; at answer
   * with callerStartsAt "answer"). By default the caller waits for a stream or a recording (ED-12). */
  async getAudio(): Promise<CallAudio> {
    if (!this.audio) await this.startAudio();
    if (!this.audio) throw new Error("the call has no audio (caller audio failed to load)");
    return this.audio;
  }

  /** Decode the caller's fixture (once). A failure ends the call with cause `error`. */
  private loadAudio(): Promise<CallAudio> {
    if (!this.audioReady) {
      this.audioReady = createCallAudio({
        callId: this.id,
        caller: this.init.caller,
        format: this.ctx.settings.mediaFormat,
        pacing: this.ctx.settings.pacing,
        timeline: this.ctx.timeline,
        clock: this.ctx.clock,
        callerWaits: this.ctx.settings.callerStartsAt !== "answer",
      });
      const release = this.ctx.clock.hold?.(); // virtual time (--fast) waits for the caller's WAVs
      void this.audioReady.finally(release).catch(() => undefined);
      this.audioReady.catch((e) => {
        const msg = `caller audio could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
        this.record("note", { message: msg });
        void this.finish("error", msg, "carrier");
      });
    }
    return this.audioReady;
  }

  private async startAudio(): Promise<void> {
    let a: CallAudio;
    try {
      a = await this.loadAudio();
    } catch {
      return;
    }
    if (this.audio || this.ended) return;
    this.audio = a;
    a.start();
    const linger = this.options.hangupAfterCallerMs;
    if (linger !== undefined) {
      void a.callerDone
        .then(() => this.sleep(linger, this.signal))
        .then(() => this.hangup("the caller's audio ended", "caller-audio-done"))
        .catch(() => undefined);
    }
  }

  /** Called by StartStream when a stream is established: scripted actions count from here. */
  streamStarted(): void {
    if (this.firstStreamStarted) return;
    this.firstStreamStarted = true;
    for (const a of this.options.actions ?? []) this.scheduleAction(a);
  }

  private scheduleAction(a: CallAction): void {
    void this.sleep(a.atMs, this.signal)
      .then(() => this.runAction(a))
      .catch(() => undefined);
  }

  /** One action now instead of at a scripted time (`bwemu serve`'s control API injects faults live). */
  act(a: CallAction): Promise<void> {
    return this.runAction(a);
  }

  private async runAction(a: CallAction): Promise<void> {
    if (this.ended) return;
    switch (a.action) {
      case "hangup":
        this.hangup("scripted caller hang-up", "caller-scripted");
        return;
      case "dtmf":
        await this.keypad.type(a.digits, a.gapMs, this.signal);
        return;
      case "redirect": {
        // A scripted redirect stands for the app's own updateCall: it carries the credentials the
        // app's webhooks need (the ones initiate was sent with).
        const creds = this.init.first?.primary.credentials;
        const r = this.restRedirect({ redirectUrl: a.redirectUrl, ...(creds ? { username: creds.username, password: creds.password } : {}) }, "action");
        if (!r.ok) this.record("note", { message: `scripted redirect not applied: ${r.message}` });
        return;
      }
      case "carrier-end":
        this.record("note", { message: `scripted carrier end: ${a.cause}` });
        await this.finish(a.cause, a.errorMessage ?? `ended by the test scenario (${a.cause})`, "carrier");
        return;
      default:
        for (const s of this.streams.values()) s.stream.inject(a);
    }
  }

  // ---------- REST (§7.6, §7.7, §7.8) ----------

  setRecordingState(state: "paused" | "recording"): boolean {
    return setRecordingState(this, state);
  }

  /** updateCall state=active: stop the running verb and fetch new BXML (ED-5: streams survive). */
  restRedirect(
    body: RedirectRequest,
    via: "rest-redirect" | "action" = "rest-redirect",
  ): { ok: true } | { ok: false; message: string } {
    const primaryUrl = resolveUrl(body.redirectUrl, this.lastDocUrl);
    if (!primaryUrl.ok) return { ok: false, message: primaryUrl.error };
    let fallback: WebhookTarget | undefined;
    if (body.redirectFallbackUrl) {
      const f = resolveUrl(body.redirectFallbackUrl, this.lastDocUrl);
      if (!f.ok) return { ok: false, message: f.error };
      fallback = {
        url: f.url,
        method: body.redirectFallbackMethod ?? "POST",
        credentials: credentials(body.fallbackUsername, body.fallbackPassword),
      };
    }
    if (body.tag !== undefined) this.setTag(body.tag);
    const primary: WebhookTarget = {
      url: primaryUrl.url,
      method: body.redirectMethod ?? "POST",
      credentials: credentials(body.username, body.password),
    };
    this.record("call.interrupt", { via, url: primary.url });
    this.stopStreamsIfConfigured();
    this.interrupt({
      kind: "fetch",
      context: "initiate",
      spec: {
        eventType: "redirect",
        // Built at send time would be nicer; the snapshot is taken now, when the redirect is asked for.
        payload: redirectPayload(this.snapshot(), this.now()),
        primary,
        fallback,
        timeoutMs: this.callbackTimeoutMs,
        callId: this.id,
        signal: this.signal,
      },
    });
    return { ok: true };
  }

  /** PUT …/bxml: replace the document (OPEN-20: invalid → invalid-bxml after 204; OPEN-5 base). */
  restReplaceBxml(text: string): void {
    this.record("call.interrupt", { via: "rest-bxml" });
    this.stopStreamsIfConfigured();
    this.interrupt({ kind: "inline", text, baseUrl: this.lastDocUrl, context: "initiate", via: "PUT bxml" });
  }

  /** ED-5 default: streams survive REST replacement; the alternative setting stops them (ED-3 order). */
  private stopStreamsIfConfigured(): void {
    if (!this.ctx.settings.stopStreamsOnReplace) return;
    for (const e of [...this.streams.values()]) void stopStream(this, e);
  }

  /** Replace whatever runs now with `next` (REST, Bridge holding this call as its target). */
  interrupt(next: DocSource): void {
    this.pendingInterrupt = next;
    this.runAbort.abort();
  }

  /** The caller (or REST `completed`) hangs up. */
  hangup(reason = "caller hang-up", by: EndedBy = "caller"): void {
    if (this.ended) return;
    this.record("note", { message: `call ${this.id}: ${reason}` });
    // §7.6: completed on an unanswered outbound call is a cancel.
    const cause = this.state === "initiated" && this.direction === "outbound" ? "cancel" : "hangup";
    void this.finish(cause, undefined, by);
  }

  // ---------- the document loop ----------

  /** Runs the call to its end. */
  async run(): Promise<void> {
    const maxMs = Math.min(this.options.maxDurationMs ?? Infinity, this.ctx.settings.maxCallDurationMs);
    void this.sleep(maxMs, this.signal)
      .then(() => {
        // ED-4 / OPEN-22: bwemu's own limit, not Bandwidth's.
        this.record("note", { message: `bwemu's maximum call duration of ${maxMs} ms reached` });
        this.record("call.limit", { limit: "duration", ms: maxMs, caller: this.audio?.callerState });
        void this.finish("hangup", undefined, "duration-limit");
      })
      .catch(() => undefined);
    // Load the caller audio now so a bad fixture surfaces before the app is called.
    this.loadAudio();
    try {
      const fe = this.init.farEnd;
      if (this.direction === "outbound" && fe) {
        const ring = fe.ringMs ?? 0;
        const timeout = this.init.callTimeoutMs ?? 30_000;
        await this.sleep(Math.min(ring, timeout), this.signal);
        const outcome = fe.outcome === undefined || fe.outcome === "answer" ? (ring > timeout ? "no-answer" : "answer") : fe.outcome;
        if (outcome !== "answer") {
          this.record("farend.state", { callId: this.id, target: this.to, state: outcome });
          await this.finish(outcome === "no-answer" ? "timeout" : outcome, undefined, "far-end");
          return;
        }
        if (fe.hangupAfterMs !== undefined) {
          void this.sleep(fe.hangupAfterMs, this.signal)
            .then(() => this.hangup("the called party hung up", "far-end"))
            .catch(() => undefined);
        }
      }
      let machine: { value: string; duration: string } | undefined;
      if (this.direction === "outbound") {
        await this.answer();
        machine = await this.detectMachine();
      }
      const first = this.init.first;
      if (!first) {
        // A B-leg without transferAnswerUrl: bridged at once; it ends when a party leaves.
        await this.whenEnded();
        return;
      }
      const payload = first.payload
        ? first.payload()
        : first.eventType === "initiate"
          ? { ...initiatePayload(this.snapshot(), this.now()), ...(this.init.initiateExtras ?? {}) }
          : answerPayload(this.snapshot(), this.now(), machine);
      let source: DocSource | undefined = {
        kind: "fetch",
        context: first.context ?? "initiate",
        spec: {
          eventType: first.eventType,
          payload,
          primary: first.primary,
          fallback: first.fallback,
          timeoutMs: this.callbackTimeoutMs,
          callId: this.id,
          signal: this.signal,
        },
      };
      while (source && !this.ended) {
        const doc = await this.obtain(source);
        if (!doc) {
          source = this.takeInterrupt();
          continue;
        }
        source = await this.execute(doc);
      }
    } catch (e) {
      if (!(e instanceof Aborted)) {
        this.record("note", { message: `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` });
        await this.finish("error", `internal emulator error: ${e instanceof Error ? e.message : String(e)}`, "carrier");
      }
    }
    if (!this.ended && !this.released && !this.init.bLeg) await this.finish("hangup");
    if (this.init.bLeg && !this.ended) await this.whenEnded();
    await this.done;
  }

  /**
   * §7.3 machineDetection, once the called party answered: `sync` holds the answer webhook until the
   * result is known and returns it for the payload; `async` sends `machineDetectionComplete` later.
   */
  private async detectMachine(): Promise<{ value: string; duration: string } | undefined> {
    const md = this.init.machineDetection;
    if (!md) return undefined;
    const result = { value: md.result, duration: isoDuration(md.durationMs * 1000) };
    if (md.mode === "sync") {
      await this.sleep(md.durationMs, this.signal);
      return result;
    }
    const target = md.callback;
    if (target) {
      void this.sleep(md.durationMs, this.signal)
        .then(() => this.notify("machineDetectionComplete", { ...answerPayload(this.snapshot(), this.now(), result), eventType: "machineDetectionComplete" }, target))
        .catch(() => undefined);
    }
    return undefined;
  }

  /** A Transfer B-leg on the same carrier (§2.27): not yet running nor listed. */
  spawnLeg(init: CallInit): Call {
    return new Call(this.ctx, init);
  }

  startLeg(leg: VerbHost): void {
    this.ctx.calls.set(leg.id, leg);
    void leg.run();
  }

  private takeInterrupt(): DocSource | undefined {
    const next = this.pendingInterrupt;
    this.pendingInterrupt = undefined;
    if (next) this.runAbort = new AbortController();
    return next;
  }

  /** Fetch (ED-8, ED-11) or take an inline document, then validate it (§1.3, §1.4). */
  private async obtain(source: DocSource): Promise<LoadedDocument | undefined> {
    let text: string;
    let bytes: Uint8Array | undefined;
    let url: string | undefined;
    let contentType: string | undefined;
    let exchangeSeq: number | undefined;
    if (source.kind === "hold") {
      const left = await new Promise<DocSource | undefined | "interrupted" | "ended">((resolve) => {
        const onInt = () => resolve(this.ended ? "ended" : "interrupted");
        this.runAbort.signal.addEventListener("abort", onInt, { once: true });
        this.endAbort.signal.addEventListener("abort", onInt, { once: true });
        source.until.then(resolve, () => resolve(undefined));
      });
      if (left === "interrupted" || left === "ended") {
        source.onLeave(left);
        return undefined; // the loop picks up the interruption, or stops at the end
      }
      if (left === undefined) {
        if (!this.ended) await this.finish("hangup");
        return undefined;
      }
      this.pendingInterrupt = left;
      this.runAbort.abort();
      return undefined;
    }
    if (source.kind === "fetch") {
      // ED-11: every BXML request counts once, retries and fallbacks included in that one.
      if (this.bxmlRequests >= this.ctx.settings.bxmlRequestCap) {
        const urls = [...new Set([...this.bxmlUrls, source.spec.primary.url])];
        const msg = `BXML request cap of ${this.ctx.settings.bxmlRequestCap} documents reached (ED-11); the call kept requesting BXML from: ${urls.join(", ")}`;
        this.finding("call.bxml-loop", msg);
        await this.finish("application-error", msg);
        return undefined;
      }
      this.bxmlRequests++;
      this.bxmlUrls.push(source.spec.primary.url);
      const d: BxmlDelivery = await this.ctx.webhooks.deliverBxml(source.spec);
      if (this.pendingInterrupt) return undefined; // a REST interruption wins over the pending fetch
      if (this.ended) return undefined;
      if (!d.ok) {
        this.finding("webhook.callback-error", d.errorMessage, d.evidence);
        await this.finish("callback-error", d.errorMessage);
        return undefined;
      }
      text = d.text;
      bytes = d.bytes;
      url = d.url;
      contentType = d.contentType;
      exchangeSeq = d.exchangeSeq;
    } else {
      text = source.text;
      url = source.baseUrl;
    }
    // Recorded copies lose credential values (the executed text keeps them).
    // Redacted on the parsed document; its secret values are learnt, so the timeline scrubs any echo.
    const redacted = redactBxml(text, this.ctx.timeline.secrets);
    this.documents.push({ url: url ?? "(PUT …/bxml)", text: redacted, contentType });
    const diagnostics = this.validate(bytes ?? text, url, source.context);
    const errors = diagnostics.filter((d) => d.level === "error");
    const parsed = errors.length ? undefined : parseBxml(text);
    const ev = this.record("bxml.received", {
      url: url ?? "(PUT …/bxml)",
      text: redacted.length > MAX_DOCUMENT_BYTES ? redacted.slice(0, MAX_DOCUMENT_BYTES) : redacted,
      accepted: errors.length === 0,
      diagnostics: diagnostics.map((d) => ({ ruleId: d.ruleId, level: d.level, line: d.line, col: d.col, message: d.message })),
    });
    if (errors.length || !parsed?.root) {
      const first = errors[0];
      const msg = first
        ? `invalid BXML from ${url ?? "PUT …/bxml"}: ${first.message} (line ${first.line}, col ${first.col}, ${first.ruleId})${errors.length > 1 ? ` and ${errors.length - 1} more` : ""}`
        : `invalid BXML from ${url ?? "PUT …/bxml"}`;
      this.finding("bxml.invalid", msg, exchangeSeq !== undefined ? [exchangeSeq, ev.seq] : [ev.seq]);
      await this.finish("invalid-bxml", msg);
      return undefined;
    }
    if (url) this.lastDocUrl = url;
    return { root: parsed.root, url, context: source.context };
  }

  /** Size cap (the parser's, §1.3), well-formedness and platform acceptance; strictness per ED-6a. */
  validate(text: string | Uint8Array, url: string | undefined, context: BxmlContext): Diagnostic[] {
    const parsed = parseBxml(text, { file: url });
    const diags: Diagnostic[] = [...parsed.diagnostics];
    if (parsed.root) diags.push(...checkAcceptance(parsed, { context, baseUrl: url }));
    // OPEN-6 is more specific than OPEN-3: a relative or non-ws(s) `destination` does not invalidate the
    // document; the StartStream is rejected with connection-error when it runs.
    const atRunTime = parsed.root ? webSocketUrlPositions(parsed.root) : new Set<string>();
    for (let i = 0; i < diags.length; i++) {
      const d = diags[i];
      if (d.level === "error" && d.ruleId === "bxml/attribute-type" && atRunTime.has(`${d.line}:${d.col}`)) diags[i] = { ...d, level: "warning" };
    }
    if (!this.ctx.settings.strictUnknownElements) {
      // ED-6a lenient: unknown or misplaced elements are skipped at execution instead.
      return diags.map((d) => (/unknown-element|misplaced/.test(d.ruleId) && d.level === "error" ? { ...d, level: "warning" as const } : d));
    }
    return diags;
  }

  /** Execute one document; returns where the next document comes from, or undefined at the end. */
  private async execute(doc: LoadedDocument): Promise<DocSource | undefined> {
    const signal = AbortSignal.any([this.runAbort.signal, this.endAbort.signal]);
    const verbs = childElements(doc.root);
    for (const el of verbs) {
      if (this.ended) return undefined;
      if (signal.aborted) return this.takeInterrupt();
      const executor = executorFor(el.name);
      if (!executor) {
        // Only reachable in lenient mode (ED-6a): skip the element.
        this.record("note", { message: `skipped unknown element <${el.name}> (ED-6a lenient)` });
        continue;
      }
      // OPEN-1: the first verb other than Tag, Redirect, Hangup, Forward, Ring answerCall=false answers.
      if (this.state === "initiated" && this.direction === "inbound" && answers(el)) await this.answer();
      // §1.6: a `tag` attribute sets the call's tag when the verb runs; its own webhook carries it.
      const tagAttr = str(el, "tag");
      if (tagAttr !== undefined && el.name !== "Tag" && doc.context !== "conference") this.setTag(tagAttr);
      this.record("verb.start", { verb: el.name, line: el.pos.line, col: el.pos.col, attrs: attrsRecord(el) });
      let outcome: VerbOutcome;
      try {
        outcome = await executor({ call: this, el, baseUrl: doc.url, context: doc.context, signal });
      } catch (e) {
        if (e instanceof Aborted || signal.aborted) {
          this.record("verb.end", { verb: el.name, outcome: this.ended ? "call-ended" : "interrupted" });
          if (this.ended) return undefined;
          return this.takeInterrupt();
        }
        const msg = e instanceof Error ? e.message : String(e);
        this.record("verb.end", { verb: el.name, outcome: `error: ${msg}` });
        this.finding("call.verb-error", `<${el.name}> at line ${el.pos.line}: ${msg}`);
        await this.finish("application-error", `<${el.name}> at line ${el.pos.line}: ${msg}`);
        return undefined;
      }
      this.record("verb.end", { verb: el.name, outcome: outcome.kind });
      if (signal.aborted && !this.ended) return this.takeInterrupt();
      switch (outcome.kind) {
        case "next":
          continue;
        case "fetch":
          return { kind: "fetch", spec: outcome.request, context: outcome.context ?? "initiate" };
        case "end":
          await this.finish(outcome.cause, outcome.errorMessage);
          return undefined;
        case "release":
          this.released = true;
          await this.whenEnded();
          return undefined;
      }
    }
    if (this.init.bLeg && !this.ended && !signal.aborted) {
      // §2.28: after the transferAnswer document the B-leg is bridged to the A-leg.
      this.record("note", { message: "transferAnswer document done: legs bridged" });
      await raceEnd(this);
      return this.takeInterrupt();
    }
    // §1.4 implicit Hangup: the document ran out without requesting BXML.
    if (!this.ended && !signal.aborted) {
      this.record("note", { message: `end of document: implicit Hangup${unheldStream(verbs)}` });
      await this.finish("hangup");
      return undefined;
    }
    return this.takeInterrupt();
  }

  // ---------- the end ----------

  private finishing?: Promise<void>;

  /** End the call once (ED-3 order: streams stop → their webhooks → disconnect). */
  finish(cause: string, errorMessage?: string, by: EndedBy = "app"): Promise<void> {
    if (this.finishing) return this.finishing;
    this.end = { cause, errorMessage, errorId: cause === "hangup" || cause === "cancel" ? undefined : this.ctx.ids.errorId(), by };
    this.endAbort.abort();
    this.runAbort.abort();
    this.finishing = this.teardown();
    return this.finishing;
  }

  private async teardown(): Promise<void> {
    const end = this.end!;
    try {
      this.peer?.leave(end.cause);
    } catch {
      /* the peer's own teardown reports its problems */
    }
    for (const hook of this.teardownHooks.splice(0)) {
      try {
        await hook();
      } catch (e) {
        this.record("note", { message: `teardown: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    await stopAllStreams(this);
    try {
      this.audio?.stop();
    } catch {
      /* already stopped */
    }
    this.endWall = this.ctx.clock.wallNow();
    this.lastUpdateWall = this.endWall;
    this.endedUs = this.ctx.clock.nowUs();
    this.state = "disconnected";
    this.record("call.state", { state: "disconnected", cause: end.cause, errorMessage: end.errorMessage, endedBy: end.by });
    for (const w of this.endedWaiters.splice(0)) w();
    const target = this.init.disconnectTarget;
    if (target) {
      const payload = disconnectPayload(this.snapshot(), this.now(), {
        cause: end.cause,
        errorMessage: end.errorMessage,
        errorId: end.errorId,
      });
      this.notify("disconnect", payload, target);
    }
    // Notifications never block the call, but the result is only final once they are recorded.
    while (this.pendingNotifications.size) await Promise.allSettled([...this.pendingNotifications]);
    this.resolveDone(this.result());
  }

  /** Verbs register cleanup that must run before streams stop (recordings, gathers…). */
  readonly teardownHooks: (() => Promise<void> | void)[] = [];

  result(): CallResult {
    return {
      callId: this.id,
      label: this.label,
      timeline: this.ctx.timeline,
      disconnectCause: this.end?.cause ?? "unknown",
      errorMessage: this.end?.errorMessage,
      endedBy: this.end?.by,
      documents: this.documents,
      streams: this.streamRecords,
      startedUs: this.startedUs,
      endedUs: this.endedUs,
    };
  }
}

/** Resolves when the call ends or its document run is interrupted. */
function raceEnd(call: Call): Promise<void> {
  return new Promise((resolve) => {
    const s = call.runSignal;
    if (s.aborted || call.ended) return resolve();
    s.addEventListener("abort", () => resolve(), { once: true });
    call.signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** Where the document's WebSocket URL attribute values (`destination`) start, as `line:col`. */
function webSocketUrlPositions(root: BxmlElement): Set<string> {
  const out = new Set<string>();
  walkDocumentedAttributes(root, ({ attr, spec }) => {
    if (spec.type === "WSURI") out.add(`${attr.valuePos.line}:${attr.valuePos.col}`);
  });
  return out;
}

/** Why the implicit Hangup ends a stream at once: a StartStream that nothing after it holds (§3.2). */
function unheldStream(verbs: BxmlElement[]): string {
  const i = verbs.findIndex((v, j) => v.name === "StartStream" && keepAliveAfter(verbs, j).verdict === "none");
  return i < 0 ? "" : `; nothing after the <StartStream> at line ${verbs[i].pos.line} holds the call open`;
}

/** OPEN-1: does this verb answer an unanswered inbound call? */
function answers(el: BxmlElement): boolean {
  if (el.name === "Tag" || el.name === "Redirect" || el.name === "Hangup" || el.name === "Forward") return false;
  if (el.name === "Ring" && !bool(el, "answerCall", true)) return false;
  return true;
}
