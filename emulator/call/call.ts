// One call: its state, its tag and its life (bandwidth.md §1.4). The call answers (OPEN-1), runs its
// documents (loop.ts, document.ts), is steered by REST and scripted actions (control.ts), and ends
// exactly once, tearing down streams in the ED-3 order before `disconnect`. `Call` is what verbs
// (VerbHost) and the Voice REST API (ApiCall) see; the parts it delegates to sit beside it.

import type { Clock } from "../clock.js";
import type { IdFactory } from "../ids.js";
import type { CallSnapshot, Direction, Payload } from "../protocol/webhooks.js";
import type { RedirectRequest } from "../protocol/voice-api.js";
import type { Timeline, TimelineEventMap } from "../timeline.js";
import type { BxmlDelivery, WebhookSpec, WebhookTarget } from "../webhooks/client.js";
import type { ApiCall } from "../api/carrier.js";
import type { BxmlElement } from "../bxml/model.js";
import { isoTime } from "../clock.js";
import { disconnectPayload } from "../protocol/webhooks.js";
import { CallAudioSlot } from "./audio.js";
import type { CarrierContext, FarEnd } from "./context.js";
import { restRedirect, restReplaceBxml, runAction, scheduleActions } from "./control.js";
import { DocumentSource } from "./document.js";
import { farEndFor } from "./farend.js";
import { CALL_FINDINGS, type CallFindingCode } from "./findings.js";
import type { CallInit, CallState, DocSource, VerbHost, VerbState } from "./host.js";
import { Keypad } from "./keypad.js";
import { armDurationLimit } from "./limit.js";
import { firstDocument, runDocuments } from "./loop.js";
import type { CallAudio } from "./media.js";
import { detectMachine, ringFarEnd } from "./outbound.js";
import { setRecordingState } from "./recorder.js";
import { callResult, callSnapshot } from "./snapshot.js";
import { callUrl } from "./settings.js";
import { Aborted, sleepMs } from "./sleep.js";
import { stopAllStreams, type StreamEntry } from "./streams.js";
import type { CallAction, CallResult, CarrierSettings, EndedBy, PlaceCallOptions, StreamRecord } from "./types.js";
import { bxmlRequestOf, Notifications, resolveAgainst, verbTargets, type Targets } from "./webhooks.js";

export type { CallInit, CallState, DocSource } from "./host.js";

export class Call implements VerbHost, ApiCall {
  readonly id: string;
  readonly direction: Direction;
  readonly from: string;
  readonly to: string;
  readonly callUrl: string;
  readonly label?: string;
  state: CallState = "initiated";
  tag?: string;
  readonly parentCallId?: string;
  readonly transferCallerId?: string;
  readonly transferTo?: string;
  readonly startWall: Date;
  readonly enqueuedWall?: Date;
  answerWall?: Date;
  endWall?: Date;
  readonly startedUs: number;
  endedUs = 0;
  lastUpdateWall: Date;
  end?: { cause: string; errorMessage?: string; errorId?: string; by?: EndedBy };
  /** Active streams by name. */
  readonly streams = new Map<string, StreamEntry>();
  readonly streamRecords: StreamRecord[] = [];
  readonly keypad: Keypad;
  /** Set while the call is bridged/transferred/in a conference; `leave` releases the peer. */
  peer?: { kind: "bridge" | "transfer" | "conference"; leave: (cause: string) => void };
  /** Forward / Refer success: the app no longer controls the call. */
  released = false;
  /** Per-call state verbs keep (recording, gathers, transcriptions), typed by key. */
  readonly verbState: VerbState = {};
  /** Verbs register cleanup that must run before streams stop (recordings, gathers…). */
  readonly teardownHooks: (() => Promise<void> | void)[] = [];
  readonly callbackTimeoutMs?: number;
  readonly options: PlaceCallOptions;
  /** A Transfer B-leg: at the end of its document the legs are bridged instead of hanging up (§2.28). */
  readonly bLeg: boolean;
  readonly settings: CarrierSettings;
  readonly done: Promise<CallResult>;

  /** The carrier's shared pieces, with this call's settings. */
  private readonly ctx: CarrierContext;
  private readonly init: CallInit;
  private readonly audioSlot: CallAudioSlot;
  private readonly docs: DocumentSource;
  private readonly notifications: Notifications;
  private runAbort = new AbortController();
  private readonly endAbort = new AbortController();
  private pendingInterrupt?: DocSource;
  private firstStreamStarted = false;
  private finishing?: Promise<void>;
  private resolveDone!: (r: CallResult) => void;
  private readonly answeredWaiters: (() => void)[] = [];
  private readonly endedWaiters: (() => void)[] = [];

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
    this.bLeg = init.bLeg ?? false;
    this.startWall = ctx.clock.wallNow();
    this.lastUpdateWall = this.startWall;
    this.startedUs = ctx.clock.nowUs();
    this.keypad = new Keypad(this);
    this.audioSlot = new CallAudioSlot(this, init.caller);
    this.docs = new DocumentSource(this);
    this.notifications = new Notifications(this.ctx.webhooks, this);
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

  // ---------- observation ----------

  /** Fires when the call ends. */
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

  /** The URL that served the most recent document (OPEN-5 base for PUT / REST). */
  get lastDocUrl(): string | undefined {
    return this.docs.lastDocUrl;
  }

  /** Every document the call received, credentials redacted. */
  get documents(): CallResult["documents"] {
    return this.docs.documents;
  }

  record<K extends keyof TimelineEventMap>(kind: K, data: TimelineEventMap[K]) {
    return this.ctx.timeline.append(kind, data, { callId: this.id });
  }

  finding(code: CallFindingCode, message: string, evidence?: number[]) {
    return this.record("finding", { code, level: CALL_FINDINGS[code], message, evidence });
  }

  snapshot(): CallSnapshot {
    return callSnapshot(this);
  }

  now(): string {
    return isoTime(this.ctx.clock.wallNow());
  }

  result(): CallResult {
    return callResult(this);
  }

  // ---------- time, audio, actions ----------

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return sleepMs(this.ctx.clock, ms, signal);
  }

  get audio(): CallAudio | undefined {
    return this.audioSlot.audio;
  }

  getAudio(): Promise<CallAudio> {
    return this.audioSlot.get();
  }

  /** Called by StartStream when a stream is established: scripted actions count from here. */
  streamStarted(): void {
    if (this.firstStreamStarted) return;
    this.firstStreamStarted = true;
    scheduleActions(this, this.options.actions ?? [], this.init.first?.primary.credentials);
  }

  /** One action now instead of at a scripted time (`bwemu serve`'s control API injects faults live). */
  act(a: CallAction): Promise<void> {
    return runAction(this, a, this.init.first?.primary.credentials);
  }

  // ---------- webhooks ----------

  /** Resolve a URL attribute against the document's URL (§1.5); throws a located message. */
  resolve(value: string, baseUrl: string | undefined): string {
    return resolveAgainst(value, baseUrl ?? this.lastDocUrl);
  }

  targets(el: BxmlElement, prefix: string, baseUrl: string | undefined, opts?: { fallback?: boolean; user?: string; pass?: string }): Targets | undefined {
    return verbTargets(el, prefix, (v) => this.resolve(v, baseUrl), opts);
  }

  bxmlRequest(eventType: string, payload: Payload, t: Targets): WebhookSpec {
    return bxmlRequestOf(this, eventType, payload, t);
  }

  /** Fire a notification webhook; never blocks the caller (§6.1). Returns the delivery promise. */
  notify(eventType: string, payload: Payload, target: WebhookTarget): Promise<unknown> {
    return this.notifications.send(eventType, payload, target);
  }

  deliverBxml(spec: WebhookSpec): Promise<BxmlDelivery> {
    return this.ctx.webhooks.deliverBxml(spec);
  }

  setTag(value: string): void {
    const v = value.trim();
    this.tag = v === "" ? undefined : v;
  }

  // ---------- other parties ----------

  findCall(id: string): VerbHost | undefined {
    return this.ctx.calls.get(id);
  }

  farEnd(target: string): FarEnd {
    return farEndFor(this.options.farEnds, this.ctx.farEnds, target);
  }

  /** A Transfer B-leg on the same carrier (§2.27): not yet running nor listed. */
  spawnLeg(init: CallInit): Call {
    return new Call(this.ctx, init);
  }

  startLeg(leg: VerbHost): void {
    this.ctx.calls.set(leg.id, leg);
    void leg.run();
  }

  // ---------- REST (§7.6, §7.7, §7.8) ----------

  setRecordingState(state: "paused" | "recording"): boolean {
    return setRecordingState(this, state);
  }

  restRedirect(body: RedirectRequest): { ok: true } | { ok: false; message: string } {
    return restRedirect(this, body, "rest-redirect");
  }

  restReplaceBxml(text: string): void {
    restReplaceBxml(this, text);
  }

  // ---------- life ----------

  /** OPEN-1: answer an unanswered inbound call. */
  async answer(): Promise<void> {
    if (this.state !== "initiated") return;
    this.state = "answered";
    this.answerWall = this.ctx.clock.wallNow();
    this.lastUpdateWall = this.answerWall;
    this.record("call.state", { state: "answered" });
    for (const w of this.answeredWaiters.splice(0)) w();
    // ED-12 alternative: the caller's audio runs on the call's clock from answer, as on a live call.
    if (this.settings.callerStartsAt === "answer") void this.getAudio().catch(() => undefined);
  }

  whenAnswered(): Promise<void> {
    if (this.state === "answered") return Promise.resolve();
    return new Promise((r) => this.answeredWaiters.push(r));
  }

  whenEnded(): Promise<void> {
    if (this.endWall) return Promise.resolve();
    return new Promise((r) => this.endedWaiters.push(r));
  }

  /** Runs the call to its end: an outbound call rings and answers first, then its documents run. */
  async run(): Promise<void> {
    armDurationLimit(this);
    // Load the caller audio now so a bad fixture surfaces before the app is called.
    void this.audioSlot.load().catch(() => undefined);
    try {
      let machine: { value: string; duration: string } | undefined;
      if (this.direction === "outbound") {
        if (this.init.farEnd && !(await ringFarEnd(this, this.init.farEnd, this.init.callTimeoutMs))) return;
        await this.answer();
        machine = await detectMachine(this, this.init.machineDetection);
      }
      const first = this.init.first;
      if (!first) {
        // A B-leg without transferAnswerUrl: bridged at once; it ends when a party leaves.
        await this.whenEnded();
        return;
      }
      await runDocuments(this, firstDocument(this, first, this.init, machine), (s) => this.docs.obtain(s));
    } catch (e) {
      if (!(e instanceof Aborted)) {
        this.record("note", { message: `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` });
        await this.finish("error", `internal emulator error: ${e instanceof Error ? e.message : String(e)}`, "carrier");
      }
    }
    if (!this.ended && !this.released && !this.bLeg) await this.finish("hangup");
    if (this.bLeg && !this.ended) await this.whenEnded();
    await this.done;
  }

  get interruptPending(): boolean {
    return this.pendingInterrupt !== undefined;
  }

  /** Replace whatever runs now with `next` (REST, Bridge holding this call as its target). */
  interrupt(next: DocSource): void {
    this.pendingInterrupt = next;
    this.runAbort.abort();
  }

  takeInterrupt(): DocSource | undefined {
    const next = this.pendingInterrupt;
    this.pendingInterrupt = undefined;
    if (next) this.runAbort = new AbortController();
    return next;
  }

  /** The caller (or REST `completed`) hangs up. */
  hangup(reason = "caller hang-up", by: EndedBy = "caller"): void {
    if (this.ended) return;
    this.record("note", { message: `call ${this.id}: ${reason}` });
    // §7.6: completed on an unanswered outbound call is a cancel.
    const cause = this.state === "initiated" && this.direction === "outbound" ? "cancel" : "hangup";
    void this.finish(cause, undefined, by);
  }

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
      const payload = disconnectPayload(this.snapshot(), this.now(), { cause: end.cause, errorMessage: end.errorMessage, errorId: end.errorId });
      this.notify("disconnect", payload, target);
    }
    // Notifications never block the call, but the result is only final once they are recorded.
    await this.notifications.settled();
    this.resolveDone(this.result());
  }
}
