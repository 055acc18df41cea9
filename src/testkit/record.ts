// The record of one call a test placed (or an app created through the Voice API): the carrier's
// CallResult plus what a test asserts on, read once from the call's timeline: the webhooks the app
// was sent, the findings, what the caller heard, and the latency at the carrier (openai-realtime.md
// §12.3) with the stub's own turn stamps when the bundled stub served the call.

import type { CallResult } from "../../emulator/call/types.js";
import { computeCallLatency, type CallLatency } from "../../emulator/latency/index.js";
import { concat } from "../../emulator/media/synth.js";
import type { StubSessionRecord } from "../../emulator/realtime/record.js";
import type { TimelineEvent, TimelineEventMap } from "../../emulator/timeline.js";

/** One webhook the carrier sent the app, after retries and fallback. */
export type WebhookRecord = TimelineEventMap["webhook.result"];

export interface Finding {
  code: string;
  level: "error" | "warning" | "info";
  message: string;
}

export interface PlacedCall extends CallResult {
  direction: "inbound" | "outbound";
  /** The URL the first BXML came from (initiate for inbound calls, answer for outbound). */
  appUrl: string;
  /** Webhooks sent to the app, in order (`eventType` is Bandwidth's: initiate, mediaStreamStarted, disconnect…). */
  webhooks: WebhookRecord[];
  /** What bwemu found wrong or notable in the app's behaviour during the call. */
  findings: Finding[];
  /** Everything the caller heard, 8 kHz PCM16 (played stream audio and verbs' audio). */
  heardPcm: Int16Array;
  /**
   * Latency at the carrier per caller utterance (openai-realtime.md §12.3): present when the caller
   * spoke and the carrier paced in real time (with `pacing: "fast"` frame times say nothing).
   */
  latency?: CallLatency;
  /** The Realtime stub sessions that served this call (bundled stub only). */
  stubSessions: StubSessionRecord[];
}

export interface RecordInput {
  result: CallResult;
  direction: "inbound" | "outbound";
  heardPcm?: Int16Array;
  /** The caller had audio to say (latency is measured only then). */
  spoke: boolean;
  realtimePacing: boolean;
  stubSessions: StubSessionRecord[];
}

/** The call's own events of one kind (a result's timeline may hold other calls' too). */
export const eventsOf = <K extends keyof TimelineEventMap>(result: CallResult, kind: K): TimelineEvent<K>[] =>
  result.timeline.events.filter((e): e is TimelineEvent<K> => e.kind === kind && e.callId === result.callId);

export function callRecord(i: RecordInput): PlacedCall {
  const r = i.result;
  const created = eventsOf(r, "call.created")[0];
  const played = r.streams.map((s) => s.playedPcm);
  const heard = i.heardPcm ?? concat(...played);
  return {
    ...r,
    direction: i.direction,
    appUrl: created?.data.appUrl ?? "",
    webhooks: eventsOf(r, "webhook.result").map((e) => e.data),
    findings: eventsOf(r, "finding").map(({ data: { code, level, message } }) => ({ code, level, message })),
    heardPcm: heard,
    latency: i.spoke && i.realtimePacing ? computeCallLatency(r.timeline, r.callId, i.stubSessions[0]) : undefined,
    stubSessions: i.stubSessions,
  };
}
