// What a verb may do with its call (and with the other calls it meets: Transfer legs, Bridge
// targets): the narrow host every executor and helper is written against, as the Realtime stub's
// ResponseHost is for responses. `Call` implements it; verbs import this, never call.ts.

import type { BxmlContext, BxmlElement } from "../bxml/model.js";
import type { Clock } from "../clock.js";
import type { IdFactory } from "../ids.js";
import type { CallSnapshot, Direction, Payload } from "../protocol/webhooks.js";
import type { Timeline, TimelineEvent, TimelineEventMap } from "../timeline.js";
import type { BxmlDelivery, WebhookSpec, WebhookTarget } from "../webhooks/client.js";
import type { Conferences } from "./conference.js";
import type { FarEnd } from "./context.js";
import type { CallFindingCode } from "./findings.js";
import type { Keypad } from "./keypad.js";
import type { CallAudio } from "./media.js";
import type { RecordingStore } from "./recordings.js";
import type { StreamEntry } from "./streams.js";
import type { CallerAudio, CarrierSettings, EndedBy, MachineDetection, PlaceCallOptions, StreamRecord } from "./types.js";

export type CallState = "queued" | "initiated" | "answered" | "disconnected";

export type DocSource =
  | { kind: "fetch"; spec: WebhookSpec; context: BxmlContext }
  | { kind: "inline"; text: string; baseUrl?: string; context: BxmlContext; via: string }
  /** Bridged as a target (§2.2): no BXML runs until `until` says what comes next (undefined = hang up).
   * `onLeave` is told when this call leaves the hold by itself (REST interruption or its own end). */
  | { kind: "hold"; until: Promise<DocSource | undefined>; onLeave: (why: "interrupted" | "ended") => void };

export interface CallInit {
  direction: Direction;
  from: string;
  to: string;
  /** First BXML request: `initiate` (inbound), `answer` (outbound), `transferAnswer` (B-leg); none = no BXML. */
  first?: {
    eventType: "initiate" | "answer" | "transferAnswer";
    primary: WebhookTarget;
    fallback?: WebhookTarget;
    /** Payload override (transferAnswer); default: initiate/answer built from the call. */
    payload?: () => Payload;
    context?: BxmlContext;
  };
  /** Transfer B-leg: at the end of its document the legs are bridged instead of hanging up (§2.28). */
  bLeg?: boolean;
  disconnectTarget?: WebhookTarget;
  callbackTimeoutMs?: number;
  tag?: string;
  caller: CallerAudio;
  options: PlaceCallOptions;
  /** Transfer B-leg fields. */
  parentCallId?: string;
  transferCallerId?: string;
  transferTo?: string;
  enqueuedWall?: Date;
  /** Extra initiate fields (§6.5). */
  initiateExtras?: Record<string, unknown>;
  /** Outbound: how the called party behaves (rings, answers or not), and createCall `callTimeout`. */
  farEnd?: FarEnd;
  callTimeoutMs?: number;
  /** Outbound: answering-machine detection once the called party answers. */
  machineDetection?: MachineDetection;
}

/**
 * Per-call state verbs keep between verbs (a background recording, a StartGather, transcriptions),
 * typed by key: each verb file adds its own key with `declare module "../host.js" { interface VerbState { … } }`.
 */
export interface VerbState {}

export interface VerbHost {
  readonly id: string;
  readonly direction: Direction;
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly state: CallState;
  readonly ended: boolean;
  /** How the call ended (set once it ends). */
  readonly end?: { cause: string; errorMessage?: string; errorId?: string; by?: EndedBy };
  tag?: string;
  readonly transferCallerId?: string;
  readonly startedUs: number;
  readonly callbackTimeoutMs?: number;
  readonly options: PlaceCallOptions;
  /** This call's settings: the carrier's, with the call's own overrides (PlaceCallOptions.settings). */
  readonly settings: CarrierSettings;
  /** The carrier's clock, for time stamps and virtual-time holds (wait with `sleep`). */
  readonly clock: Clock;
  /** Identifiers in Bandwidth's formats (streams, recordings, conferences, error ids). */
  readonly ids: IdFactory;
  /** Where the call's events go (an open stream records its frames there too). */
  readonly timeline: Timeline;
  /** The carrier's recordings, served at their mediaUrl (§7.8). */
  readonly recordings: RecordingStore;
  /** The carrier's conferences (§2.3). */
  readonly conferences: Conferences;
  /** Fires when the call ends. */
  readonly signal: AbortSignal;
  /** Active streams by name. */
  readonly streams: Map<string, StreamEntry>;
  /** Every stream of the call, ended ones included (for the result). */
  readonly streamRecords: StreamRecord[];
  readonly keypad: Keypad;
  readonly audio?: CallAudio;
  /** Set while the call is bridged/transferred/in a conference; `leave` releases the peer. */
  peer?: { kind: "bridge" | "transfer" | "conference"; leave: (cause: string) => void };
  /** Forward / Refer success: the app no longer controls the call. */
  readonly released: boolean;
  readonly verbState: VerbState;
  /** Verbs register cleanup that must run before streams stop (recordings, gathers…). */
  readonly teardownHooks: (() => Promise<void> | void)[];

  // observation
  record<K extends keyof TimelineEventMap>(kind: K, data: TimelineEventMap[K]): TimelineEvent<K>;
  /** A finding of the call engine; its level is CALL_FINDINGS'. */
  finding(code: CallFindingCode, message: string, evidence?: number[]): TimelineEvent<"finding">;
  snapshot(): CallSnapshot;
  now(): string;

  // time and audio
  /** Sleep on the call's clock; rejects with Aborted when `signal` fires. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** The call's audio engine (prompts play on it, recordings read it), started on first use. */
  getAudio(): Promise<CallAudio>;
  /** A stream was established: scripted caller actions count from here. */
  streamStarted(): void;

  // webhooks and documents
  resolve(value: string, baseUrl: string | undefined): string;
  targets(
    el: BxmlElement,
    prefix: string,
    baseUrl: string | undefined,
    opts?: { fallback?: boolean; user?: string; pass?: string },
  ): { primary: WebhookTarget; fallback?: WebhookTarget } | undefined;
  bxmlRequest(eventType: string, payload: Payload, t: { primary: WebhookTarget; fallback?: WebhookTarget }): WebhookSpec;
  notify(eventType: string, payload: Payload, target: WebhookTarget): Promise<unknown>;
  /** Deliver a BXML-returning webhook whose reply is not this call's next document (conference events). */
  deliverBxml(spec: WebhookSpec): Promise<BxmlDelivery>;
  setTag(value: string): void;

  // other parties
  /** A call of the same carrier by id (a Bridge target), ended ones included while they are kept. */
  findCall(id: string): VerbHost | undefined;
  /** How the simulated far end at `target` behaves (Transfer / Forward targets). */
  farEnd(target: string): FarEnd;

  // lifetime
  whenEnded(): Promise<void>;
  /** End the call once; `by` says who ended it (default: the app, through its BXML). */
  finish(cause: string, errorMessage?: string, by?: EndedBy): Promise<void>;
  /** Stop what runs and continue with `next` (REST redirect, a Bridge hold: ED-5). */
  interrupt(next: DocSource): void;
  /** Run the call: first document, then whatever the BXML says (`startLeg` starts a spawned leg so). */
  run(): Promise<void>;
  /** A new call of this carrier (a Transfer B-leg), not yet running nor listed. */
  spawnLeg(init: CallInit): VerbHost;
  /** A spawned leg answered: it joins the carrier's calls and runs. */
  startLeg(leg: VerbHost): void;
}
