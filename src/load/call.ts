// One load call on a shard: placed by its own Carrier (so its timeline is garbage once it is
// reduced), measured at the carrier like `bwemu call` measures (emulator/latency), and reduced to a
// CallOutcome: ok or the reason it failed, turn latencies, bridge overhead where the stub's record of
// the session that served it is known.

import { Carrier } from "../../emulator/call/carrier.js";
import { resolveSettings } from "../../emulator/call/settings.js";
import type { CallHandle, CallResult } from "../../emulator/call/types.js";
import { computeCallLatency, type CallLatency, type StubTurnLike } from "../../emulator/latency/index.js";
import { Timeline, type TimelineEvent } from "../../emulator/timeline.js";
import { realClock } from "../../emulator/clock.js";
import { callLateness, endedWith, errorFindings, findingsProblem, missingBxml, turnsProblem } from "../run/call-checks.js";
import { crossTalkDetail, CrossTalkListener, signatureLabel, signedCaller, type CrossTalkFinding } from "./crosstalk.js";
import type { StubTurnsQuery } from "./stub-turns.js";
import { failedOutcome, type CallOutcome, type CallSpec, type FailureReason } from "./types.js";

/** Where the stub's turns of the session that served a call come from (the run's stub, across threads). */
export type StubTurnsLookup = (q: StubTurnsQuery) => Promise<StubTurnLike[] | undefined>;

/**
 * How long a call cut while its initiate webhook is unanswered still waits for the BXML. Longer than a
 * healthy app takes to answer, far shorter than the carrier's callback timeout (15 s): an app that has
 * not answered by then is failed as no-bxml, as before.
 */
export const CUT_GRACE_MS = 2_000;

export interface LoadCall {
  readonly index: number;
  readonly callId: string;
  /** Hang up now, or once the app's BXML comes (within CUT_GRACE_MS); the outcome is marked `cut` (the run's end, not the call's script). */
  cut(): void;
  readonly outcome: Promise<CallOutcome>;
}

export function startLoadCall(spec: CallSpec, shard: number, stubTurns?: StubTurnsLookup): LoadCall {
  // A load call keeps no audio unless asked, and of its media frames only what its turns' latency reads
  // (Timeline option media "turns"): memory per call stays small however long the call.
  const settings = { recordAudio: "none" as const, ...spec.settings };
  const clock = resolveSettings(settings).virtualTime ? undefined : realClock;
  const carrier = new Carrier({ settings, ...(clock ? { clock, timeline: new Timeline(clock, undefined, undefined, { media: "turns" }) } : {}) });
  let cut = false;
  let handle: CallHandle;
  // The cross-talk judge listens to what the caller hears, tick by tick (no recording needed).
  const listener = spec.signature !== undefined ? new CrossTalkListener(spec.signature, () => carrier.clock.nowUs()) : undefined;
  try {
    handle = carrier.placeCall({
      appUrl: spec.appUrl,
      // The signature opens each utterance as a prefix: this thread shares the speech between calls.
      caller: spec.signature !== undefined && !("silence" in spec.caller) ? signedCaller(spec.caller, spec.signature) : spec.caller,
      dtmf: spec.dtmf,
      maxDurationMs: spec.maxDurationMs,
      hangupAfterCallerMs: spec.hangupAfterCallerMs,
      onAudioFrame: listener?.onFrame,
    });
  } catch (e) {
    const now = carrier.clock.nowUs();
    const failed = failedOutcome({ index: spec.index, shard, startedUs: now, endedUs: now, reason: "harness", detail: (e as Error).message });
    return { index: spec.index, callId: "", cut: () => undefined, outcome: Promise.resolve(failed) };
  }
  // Until the app's first BXML a hang-up waits for it, up to CUT_GRACE_MS: a healthy app's calls placed
  // just before the run's end are cut once answered, not failed as no-bxml. (An initiate that fails
  // ends the call by itself.)
  let answered = false;
  let cutTimer: NodeJS.Timeout | undefined;
  const hangup = (): void => {
    clearTimeout(cutTimer);
    handle.hangup();
  };
  const unsubscribe = handle.timeline.subscribe((e) => {
    if (e.kind !== "bxml.received") return;
    answered = true;
    unsubscribe();
    // Not from inside the timeline's append: the document is still being taken in.
    if (cut) setImmediate(hangup);
  });
  const outcome = handle.done
    .then(async (r) => reduce(spec, shard, r, cut, stubTurns, listener))
    .catch((e: unknown): CallOutcome => {
      const now = carrier.clock.nowUs();
      return failedOutcome({ index: spec.index, callId: handle.callId, shard, startedUs: now, endedUs: now, reason: "harness", detail: e instanceof Error ? e.message : String(e), cut });
    })
    .finally(() => {
      clearTimeout(cutTimer);
      unsubscribe();
      carrier.close();
    });
  return {
    index: spec.index,
    callId: handle.callId,
    cut: () => {
      if (cut) return;
      cut = true;
      if (answered) hangup();
      else cutTimer = setTimeout(hangup, CUT_GRACE_MS);
    },
    outcome,
  };
}

async function reduce(spec: CallSpec, shard: number, r: CallResult, cut: boolean, stubTurns?: StubTurnsLookup, listener?: CrossTalkListener): Promise<CallOutcome> {
  const events = r.timeline.events;
  const connect = events.find((e): e is TimelineEvent<"stream.connect"> => e.kind === "stream.connect");
  let latency: CallLatency | undefined;
  if (!("silence" in spec.caller) && connect?.data.ok) {
    const turns = stubTurns ? await stubTurns({ callId: r.callId, connectUs: connect.t, endedUs: r.endedUs }).catch(() => undefined) : undefined;
    latency = computeCallLatency(r.timeline, r.callId, turns ? { turns } : undefined);
  }
  const turnMs: number[] = [];
  const bridgeOverheadMs: number[] = [];
  for (const t of latency?.turns ?? []) {
    if (t.turnMs !== undefined && t.harnessError === undefined) turnMs.push(t.turnMs);
    if (t.bridgeOverheadMs !== undefined && t.harnessError === undefined && latency!.stub.valid) bridgeOverheadMs.push(t.bridgeOverheadMs);
  }
  const crossTalk = listener?.finding(r.startedUs);
  const failure = classify(spec, r, connect, latency, cut, crossTalk);
  const lateness = callLateness(r.timeline, r.callId);
  return {
    index: spec.index,
    callId: r.callId,
    shard,
    startedUs: r.startedUs,
    endedUs: r.endedUs,
    ok: failure === undefined,
    ...(failure ?? {}),
    turnMs,
    bridgeOverheadMs,
    cut,
    ...(lateness ? { lateness } : {}),
    ...(crossTalk ? { crossTalk } : {}),
  };
}

/** The first thing that went wrong, in the order a reader would look for it; undefined: the call was fine. */
export function classify(
  spec: Pick<CallSpec, "conversation" | "settings" | "index">,
  r: CallResult,
  connect: TimelineEvent<"stream.connect"> | undefined,
  latency: CallLatency | undefined,
  cut: boolean,
  crossTalk?: CrossTalkFinding,
): { reason: FailureReason; detail: string } | undefined {
  const noBxml = missingBxml(r);
  if (noBxml !== undefined) return { reason: "no-bxml", detail: noBxml };
  if (connect && !connect.data.ok) return { reason: "stream-connect", detail: `the media stream did not connect: ${connect.data.error ?? "unknown error"}` };
  // Another call's audio is the worst a caller can hear: it comes first, whatever else went wrong.
  if (crossTalk?.foreign.length) {
    const evidence = crossTalk.foreign.map((f) => ({ index: spec.index, callId: r.callId, signature: signatureLabel(f.signature), atMs: f.atMs }));
    return { reason: "cross-talk", detail: crossTalkDetail(crossTalk.own, evidence) };
  }
  const clean = resolveSettings(spec.settings).cleanCloseCodes;
  const reset = r.streams.find((s) => s.closedBy === "network" || (s.closedBy === "app" && s.closeCode !== undefined && !clean.includes(s.closeCode)));
  if (reset) return { reason: "stream-reset", detail: `the media stream was ${reset.closedBy === "network" ? "reset" : `closed by the app with code ${reset.closeCode}`}` };
  if (r.disconnectCause !== "hangup") return { reason: "call-error", detail: `the call ${endedWith(r)}` };
  // The first error finding only: a load summary lists many calls.
  const errors = findingsProblem(errorFindings(r), 1);
  if (errors) return { reason: "app-error", detail: errors };
  // A call the run's end hung up mid-turn has unfinished turns, not failed ones.
  const turns = spec.conversation && !cut ? turnsProblem(latency) : undefined;
  if (turns) return { reason: "missing-reply", detail: turns };
  return undefined;
}
