// Read-side helpers for cases: find things in a call's timeline and build outcomes with evidence.
// Pure functions over recordings; nothing here touches a socket.

import { parseBxml } from "../emulator/bxml/parse.js";
import { attrValue, childElements, type BxmlElement } from "../emulator/bxml/model.js";
import type { CallResult } from "../emulator/call/types.js";
import type { TimelineEvent, TimelineKind } from "../emulator/timeline.js";
import { callEvents, carrierPoints } from "../emulator/latency/points.js";
import type { CaseContext, CaseOutcome, CallObservation, ScenarioRun } from "./types.js";
import type { ScenarioId } from "./scenarios.js";

export function events<K extends TimelineKind>(call: CallResult, kind: K): TimelineEvent<K>[] {
  return call.timeline.events.filter((e) => e.kind === kind && (e.callId === undefined || e.callId === call.callId)) as TimelineEvent<K>[];
}

export function webhookResults(call: CallResult, eventType: string): TimelineEvent<"webhook.result">[] {
  return events(call, "webhook.result").filter((e) => e.data.eventType === eventType);
}

/** The call's first BXML webhook, as the answer cases judge it, with the HTTP exchange that carried it and its final result. */
export interface FirstWebhook {
  /** `initiate` on an inbound call (CallInitiatedCallbackUrl), `answer` on an outbound one (createCall's answerUrl). */
  eventType: "initiate" | "answer";
  exchange?: TimelineEvent<"http.exchange">;
  result?: TimelineEvent<"webhook.result">;
}

/** The first webhook of the call: `initiate` or `answer` by the call's direction (bandwidth.md §6.3). */
export function firstWebhook(call: CallResult): FirstWebhook {
  const eventType = events(call, "call.created")[0]?.data.direction === "outbound" ? "answer" : "initiate";
  const exchanges = events(call, "http.exchange");
  const exchange = exchanges.find((e) => e.data.eventType === eventType) ?? exchanges.find((e) => e.data.role !== "rest-api" && e.data.role !== "ws-upgrade");
  return { eventType, exchange, result: webhookResults(call, eventType)[0] };
}

/** The first BXML document the app returned, parsed (root absent when it did not parse). */
export function firstDocument(call: CallResult): { text: string; url: string; root?: BxmlElement; parseErrors: string[] } | undefined {
  const d = call.documents[0];
  if (!d) return undefined;
  const parsed = parseBxml(d.text);
  // The carrier judged the bytes as received; the recorded text is decoded (invalid UTF-8 shows as
  // U+FFFD), so the input-level errors come from the carrier's verdict: one decoder, one verdict.
  const input = (events(call, "bxml.received")[0]?.data.diagnostics ?? []).filter((x) => x.level === "error" && INPUT_RULES.has(x.ruleId));
  return { text: d.text, url: d.url, root: input.length ? undefined : parsed.root, parseErrors: [...input, ...parsed.diagnostics].map((x) => `${x.line}:${x.col} ${x.message}`) };
}

/** Errors about the bytes themselves, found before any XML is read (emulator/bxml/parser/input.ts). */
const INPUT_RULES = new Set(["bxml/invalid-utf8", "bxml/not-text"]);

export function verbs(root: BxmlElement | undefined, name: string): BxmlElement[] {
  return root ? childElements(root).filter((e) => e.name === name) : [];
}

export function startStream(call: CallResult): BxmlElement | undefined {
  return verbs(firstDocument(call)?.root, "StartStream")[0];
}

export function streamMode(call: CallResult): "bidirectional" | "unidirectional" | undefined {
  const s = startStream(call);
  if (!s) return undefined;
  return (attrValue(s, "mode") ?? "unidirectional").toLowerCase() === "bidirectional" ? "bidirectional" : "unidirectional";
}

export function streamTracks(call: CallResult): string {
  return (startStream(call) && attrValue(startStream(call)!, "tracks")?.toLowerCase()) || "inbound";
}

export function frames(call: CallResult, direction: "in" | "out", eventType?: string): TimelineEvent<"ws.frame">[] {
  return events(call, "ws.frame").filter((e) => e.data.direction === direction && (eventType === undefined || e.data.eventType === eventType));
}

/** playAudio frames that carried agent speech (silence a bot streams to keep the line busy is left out). */
export function agentPlays(call: CallResult): TimelineEvent<"ws.frame">[] {
  const speech = new Set(carrierPoints(callEvents(call.timeline, call.callId)).plays.map((p) => p.seq));
  return frames(call, "in", "playAudio").filter((e) => speech.has(e.seq));
}

export function findings(call: CallResult, code?: string): TimelineEvent<"finding">[] {
  return events(call, "finding").filter((e) => code === undefined || e.data.code === code);
}

export function pick(...es: (TimelineEvent | undefined)[]): TimelineEvent[] {
  return es.filter((e): e is TimelineEvent => e !== undefined);
}

// ---- outcomes ----

export const pass = (message?: string, metrics?: Record<string, number>): CaseOutcome => ({ verdict: "pass", message, metrics });

export function fail(expected: string, observed: string, evidence: TimelineEvent[] = [], message?: string): CaseOutcome {
  return { verdict: "fail", expected, observed, evidence, message };
}

export const skipped = (why: string): CaseOutcome => ({ verdict: "skipped", message: why });
export const unimplemented = (why: string): CaseOutcome => ({ verdict: "unimplemented", message: why });
export const info = (message: string, metrics?: Record<string, number>, evidence?: TimelineEvent[]): CaseOutcome => ({
  verdict: "info",
  message,
  metrics,
  evidence,
});
export const harnessError = (why: string): CaseOutcome => ({ verdict: "error", message: why });

/**
 * The first call of a scenario, or an outcome explaining why the case cannot judge (harness error,
 * or no call). The runner resolves the first scenario's and the case's `against` one
 * (suites/preconditions.ts); a case that reads another only on some paths calls this itself.
 */
export function firstCall(ctx: CaseContext, id: ScenarioId): CallObservation | CaseOutcome {
  const run: ScenarioRun | undefined = ctx.run(id);
  if (!run) return harnessError(`scenario ${id} was not run`);
  if (run.harnessError) return harnessError(`scenario ${id}: ${run.harnessError}`);
  const c = run.calls[0];
  if (!c) return harnessError(`scenario ${id} placed no call`);
  return c;
}

/** What shows an unusable answer: the first webhook's exchange and result, and the document the carrier received. */
export function answerEvidence(call: CallResult): TimelineEvent[] {
  const w = firstWebhook(call);
  return pick(w.exchange, w.result, events(call, "bxml.received")[0]);
}

/**
 * The outcome when a call has no <StartStream>: `unimplemented` when the bridge answered BXML without
 * one (its profile), but `fail` when it gave no usable answer at all (down, slow, garbage, crashed):
 * a broken bridge must never pass a run as "does not support streaming" (issue 5).
 */
export function noStartStream(call: CallResult, why = "no <StartStream>"): CaseOutcome {
  if (!firstDocument(call)?.root)
    return fail(
      "a BXML answer with <StartStream>",
      `no usable BXML answer: ${call.errorMessage ?? `call ended: ${call.disconnectCause}`}`,
      answerEvidence(call),
    );
  return unimplemented(why);
}

/** For cases about the media stream: the call must have one, else the bridge profile says why not. */
export function needsStream(obs: CallObservation): CaseOutcome | undefined {
  if (!startStream(obs.call)) return noStartStream(obs.call, "the BXML answer has no <StartStream>");
  const connect = events(obs.call, "stream.connect")[0];
  if (!connect?.data.ok) return fail("the media WebSocket is established", connect ? `connect failed: ${connect.data.error ?? connect.data.status}` : "no connection attempt", pick(connect));
  return undefined;
}

export function needsBidirectional(obs: CallObservation): CaseOutcome | undefined {
  return needsStream(obs) ?? (streamMode(obs.call) !== "bidirectional" ? unimplemented("unidirectional stream: the bridge sends no audio back") : undefined);
}

export const ms = (us: number): number => Math.round(us / 100) / 10;


/**
 * Why bwemu's own duration limit, not the app, ended a call whose caller script had stalled: the caller
 * was still waiting for the agent to stop speaking, so bwemu's turn-taking, not the bridge, decided
 * what the call contains (cases reading it are `error`, never `fail`); undefined otherwise. A script
 * that was merely longer than the limit (speaking, about to speak) is judged on what was recorded, as
 * any call ended by `timeouts.callMs` is: what the bridge did before the cut stands.
 */
export function callLimitReason(call: CallResult, setting = "timeouts.callMs"): string | undefined {
  const limit = events(call, "call.limit")[0];
  const phase = limit?.data.caller?.phase;
  if (!limit || phase !== "gate") return undefined;
  // Waiting for a reply that never came is the bridge's doing: only audible agent audio since the
  // caller last spoke can have held the script.
  const spoke = events(call, "caller.utterance").filter((e) => e.data.phase === "end" && e.t <= limit.t).at(-1)?.t ?? -Infinity;
  if (!events(call, "audio.queued").some((e) => !e.data.silent && e.t >= spoke && e.t <= limit.t)) return undefined;
  return `bwemu's call limit (${limit.data.ms / 1000} s, ${setting}) ended call ${call.callId} while the caller was still waiting for the agent to stop speaking before utterance ${limit.data.caller!.utterance + 1}`;
}

/**
 * A scripted step (an injected frame, a drop, a barge-in) did not happen. When the call or stream had
 * already ended, the bridge caused it (e.g. no keep-alive): a failure that says so, not a harness error.
 */
export function stepMissed(obs: CallObservation, step: string): CaseOutcome {
  const start = frames(obs.call, "out", "start")[0];
  const close = events(obs.call, "ws.close")[0];
  const end = events(obs.call, "call.state").find((e) => e.data.state === "disconnected");
  const from = start?.t ?? obs.call.startedUs;
  if (close && close.data.by !== "carrier") {
    return fail(`the stream lasts until ${step}`, `the ${close.data.by} closed the stream (${close.data.code}) ${ms(close.t - from)} ms after start, before ${step}`, pick(start, close, end));
  }
  if (end) return fail(`the call lasts until ${step}`, `the call ended (${end.data.cause ?? "hangup"}) ${ms(end.t - from)} ms after ${start ? "the stream started" : "it began"}, before ${step}`, pick(start, close, end));
  return harnessError(`the harness could not perform ${step}`);
}
