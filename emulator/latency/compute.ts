// openai-realtime.md §12.3: per-turn L(n), K(n), B(n), E(n), I(n), D(n), greeting G, missing replies,
// stub/carrier turn matching and per-call aggregation. Pure: a timeline (and optionally the stub's
// turn record) in, figures out. Carrier figures use carrier timestamps only, stub figures stub
// timestamps only (§12.3.1); the two meet only as differences (B = L − K, I − D).

import type { Timeline, TimelineEvent } from "../timeline.js";
import { aggregate } from "./percentiles.js";
import { callEvents, carrierPoints, type CarrierPoints } from "./points.js";
import { matchBoundary, type CarrierBoundary } from "./boundary.js";
import { jitterDown } from "./jitter.js";
import type { CallLatency, LatencyOptions, StubRecordLike, StubTurnLike, TurnLatency } from "./types.js";

/** Options with every default filled in (`upstreamAltered` has none: absent means the model heard the caller). */
type Resolved = Required<Omit<LatencyOptions, "upstreamAltered">> & Pick<LatencyOptions, "upstreamAltered">;

export const DEFAULT_LATENCY_OPTIONS: Resolved = {
  missingReplyMs: 10_000,
  missingClearMs: 5_000,
  appendMs: 20,
  consistencyToleranceMs: 5,
  underrunMinMs: 20,
  boundaryToleranceMs: 4,
  overheadErrorMs: 1,
};

const ms = (us: number): number => us / 1000;

/** Stub turns that correspond to caller speech (a greeting response has no detected speech). */
function detectedTurns(stub: StubRecordLike | readonly StubTurnLike[]): StubTurnLike[] {
  const turns = Array.isArray(stub) ? (stub as readonly StubTurnLike[]) : (stub as StubRecordLike).turns;
  return [...turns]
    .filter((t) => t.kind !== "greeting")
    .filter((t) => t.sOnUs !== undefined || t.sStartedUs !== undefined || t.sEndUs !== undefined)
    .sort((a, b) => a.index - b.index);
}

function firstAfter<T extends { t: number }>(xs: readonly T[], afterUs: number, untilUs: number): T | undefined {
  return xs.find((x) => x.t > afterUs && x.t <= untilUs);
}

function carrierTurns(p: CarrierPoints, o: Resolved): TurnLatency[] {
  const turns: TurnLatency[] = [];
  p.utterances.forEach((u, i) => {
    const next = p.utterances[i + 1];
    const nextOn = next?.onUs ?? Infinity;
    const t: TurnLatency = {
      index: u.index,
      kind: u.bargeIn ? "barge-in" : "turn",
      cOnUs: u.onUs,
      cEndUs: u.endUs,
      evidence: [u.onSeq, u.endSeq].filter((s): s is number => s !== undefined),
    };
    if (u.bargeIn) {
      // I(n) = C_clear(n) − C_on(n): first clear after C_on(n), within the barge-in window (§12.3.4).
      if (u.onUs === undefined) t.failure = "incomplete-utterance";
      else {
        const c = firstAfter(p.clears, u.onUs, Math.min(u.onUs + o.missingClearMs * 1000, nextOn));
        if (!c) t.failure = "missing-clear";
        else {
          t.cClearUs = c.t;
          t.bargeInMs = ms(c.t - u.onUs);
          t.evidence.push(c.seq);
        }
      }
    } else if (u.endUs === undefined) {
      t.failure = "incomplete-utterance";
    } else {
      // L(n) = C_play(n) − C_end(n): the reply must start before the next utterance does, so late
      // audio of one reply is never credited to the next turn.
      const until = Math.min(u.endUs + o.missingReplyMs * 1000, nextOn);
      const play = firstAfter(p.plays, u.endUs, until);
      if (!play) t.failure = "missing-reply";
      else {
        t.cPlayUs = play.t;
        t.cReplyUs = firstAfter(p.allPlays, u.endUs, until)?.t ?? play.t;
        t.turnMs = ms(play.t - u.endUs);
        t.evidence.push(play.seq);
      }
    }
    turns.push(t);
  });
  return turns;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The turn's points in ms (each side's own clock), rounded to the µs. */
function pointsOf(t: TurnLatency): NonNullable<TurnLatency["points"]> {
  const p: NonNullable<TurnLatency["points"]> = {};
  if (t.cEndUs !== undefined) p.cEndMs = r3(ms(t.cEndUs));
  if (t.cReplyUs !== undefined) p.cFirstMs = r3(ms(t.cReplyUs));
  if (t.sEndUs !== undefined) p.sEndMs = r3(ms(t.sEndUs));
  if (t.sFirstUs !== undefined) p.sFirstMs = r3(ms(t.sFirstUs));
  return p;
}

/** "C_end 123.456 · C_first … · S_end … · S_first …" for messages. */
export function describePoints(p: TurnLatency["points"]): string {
  if (!p) return "no points";
  const f = (v?: number) => (v === undefined ? "—" : v.toFixed(3));
  return `C_end ${f(p.cEndMs)} · C_first ${f(p.cFirstMs)} · S_end ${f(p.sEndMs)} · S_first ${f(p.sFirstMs)} ms`;
}

function noFigure(t: TurnLatency, why: { harnessError: string } | { unmeasured: string }): void {
  Object.assign(t, why);
  t.bridgeOverheadMs = undefined;
  t.pacingExcessMs = undefined;
  t.pacingFlag = undefined;
}

/**
 * Stub-side figures of one ordinary turn (§12.3.3). C_end and S_end are moved onto the same sample
 * first (boundary.ts); then K = S_first − S_end, B = L − K; E compares the hangover's arrival at the
 * stub with its departure from the carrier (both sides' own spans), so neither the carrier's pacing nor
 * the stub's own processing reads as late audio.
 */
function applyStubTurn(t: TurnLatency, s: StubTurnLike, carrier: CarrierBoundary | undefined, o: Resolved): void {
  t.sEndUs = s.sEndUs;
  t.sFirstUs = s.sFirstUs;
  t.sHangUs = s.hangover?.sUs;
  let expectedHangMs: number | undefined;
  if (carrier && s.speechEnd) {
    const m = matchBoundary(carrier, { endMs: s.speechEnd.endMs, endAppendToMs: s.speechEnd.appendToMs, hangAppendToMs: s.hangover?.appendToMs }, o.boundaryToleranceMs);
    t.boundary = { carrierFrame: carrier.frame, frame: m.ok ? m.frame : carrier.frame, carrierEndMs: r3(m.carrierEndMs), stubEndMs: r3(m.stubEndMs), deltaMs: r3(m.deltaMs), matched: m.ok };
    if (!m.ok) {
      t.points = pointsOf(t);
      // Ends that do not name the same sample: the harness's fault only if the model heard the caller's audio.
      return noFigure(t, o.upstreamAltered ? { unmeasured: `${m.reason}; the bridge altered the audio before the model (${o.upstreamAltered})` } : { harnessError: m.reason });
    }
    if (m.cEndUs !== t.cEndUs && t.cPlayUs !== undefined) {
      t.cEndUs = m.cEndUs;
      t.turnMs = ms(t.cPlayUs - m.cEndUs);
    }
    t.cHangUs = m.cHangUs;
    if (m.cHangUs !== undefined) expectedHangMs = ms(m.cHangUs - m.cEndUs);
  }
  const hangSpanMs = s.speechEnd && s.hangover ? s.hangover.appendToMs - s.speechEnd.appendToMs : undefined;
  t.expectedThinkMs = hangSpanMs !== undefined ? hangSpanMs + (s.responseDelayMs ?? 0) : s.configuredThinkMs;
  t.points = pointsOf(t);
  if (s.sFirstUs === undefined || s.sEndUs === undefined) return;
  t.thinkMs = ms(s.sFirstUs - s.sEndUs);
  // E: how much later than it left the carrier the hangover audio completed at the stub (§12.3.4).
  if (s.hangover && hangSpanMs !== undefined) t.pacingExcessMs = ms(s.hangover.sUs - s.sEndUs) - (expectedHangMs ?? hangSpanMs);
  else t.pacingExcessMs = t.thinkMs - s.configuredThinkMs;
  t.pacingFlag = t.pacingExcessMs > o.appendMs + o.consistencyToleranceMs;
  if (t.cReplyUs === undefined || t.cEndUs === undefined) return;
  // B pairs the carrier's receipt of the reply's first playAudio with the stub's first delta (the same audio).
  const b = ms(t.cReplyUs - t.cEndUs) - t.thinkMs;
  if (b < -o.overheadErrorMs) {
    return noFigure(t, { harnessError: `bridge overhead measured ${b.toFixed(3)} ms, below −${o.overheadErrorMs} ms (the stated measurement error): impossible, so not a figure (${describePoints(t.points)})` });
  }
  t.bridgeOverheadMs = b;
}

function applyStub(turns: TurnLatency[], stubTurns: StubTurnLike[], p: CarrierPoints, o: Resolved): void {
  const boundaryOf = new Map(p.utterances.map((u) => [u.index, u.boundary]));
  turns.forEach((t, i) => {
    const s = stubTurns[i];
    t.configuredThinkMs = s.configuredThinkMs;
    if (t.kind === "turn") applyStubTurn(t, s, boundaryOf.get(t.index), o);
    if (t.kind === "barge-in" && s.sStartedUs !== undefined && s.sOnUs !== undefined) {
      t.onsetDetectMs = ms(s.sStartedUs - s.sOnUs);
      if (t.bargeInMs !== undefined) t.bridgeBargeInOverheadMs = t.bargeInMs - t.onsetDetectMs;
    }
  });
}

/**
 * Latency figures of one call. `timeline` is the call's timeline (or the shared one: events are
 * filtered by `callId`); `stub` the stub session that served it (its `turns`), absent against live.
 */
export function computeCallLatency(
  timeline: Timeline | readonly TimelineEvent[],
  callId: string,
  stub?: StubRecordLike | readonly StubTurnLike[],
  options: LatencyOptions = {},
): CallLatency {
  const o: Resolved = { ...DEFAULT_LATENCY_OPTIONS, ...options };
  const p = carrierPoints(callEvents(timeline, callId));
  const turns = carrierTurns(p, o);

  // Greeting: the first playAudio of the call, when it precedes the end of the first utterance
  // (otherwise that playAudio is the reply to utterance 1 and the bridge did not greet).
  let greetingMs: number | undefined;
  const firstPlay = p.plays[0];
  const firstEnd = p.utterances[0]?.endUs ?? Infinity;
  if (firstPlay && p.startUs !== undefined && firstPlay.t > p.startUs && firstPlay.t < firstEnd) {
    greetingMs = ms(firstPlay.t - p.startUs);
  }

  const stubInfo: CallLatency["stub"] = { present: stub !== undefined, valid: false, carrierTurns: turns.length, stubTurns: 0 };
  if (stub !== undefined) {
    const st = detectedTurns(stub);
    stubInfo.stubTurns = st.length;
    if (st.length !== turns.length) {
      stubInfo.reason = `stub detected ${st.length} utterance(s), the carrier sent ${turns.length}: stub-side metrics invalid`;
    } else {
      stubInfo.valid = true;
      applyStub(turns, st, p, o);
    }
  }

  for (const t of turns) t.points ??= pointsOf(t);

  return {
    callId,
    cStartUs: p.startUs,
    greetingMs,
    turns,
    harnessErrors: turns.filter((t) => t.harnessError !== undefined).length,
    overheadErrorMs: o.overheadErrorMs,
    stub: stubInfo,
    jitterDown: jitterDown(p, o.underrunMinMs),
    summary: summarize(turns, turns),
  };
}

/**
 * The summary of a set of turns: carrier-side metrics (turn, barge-in) over `all`, stub-side ones
 * (bridge overhead, think, pacing, onset detection) over `stubSide`, the turns whose stub figures hold.
 */
function summarize(all: readonly TurnLatency[], stubSide: readonly TurnLatency[]): CallLatency["summary"] {
  const ordinary = all.filter((t) => t.kind === "turn");
  const barge = all.filter((t) => t.kind === "barge-in");
  const sOrd = stubSide.filter((t) => t.kind === "turn");
  const sBar = stubSide.filter((t) => t.kind === "barge-in");
  const vals = (xs: TurnLatency[], f: (t: TurnLatency) => number | undefined): number[] =>
    xs.map(f).filter((v): v is number => v !== undefined);
  const failed = (xs: TurnLatency[]): number => xs.filter((t) => t.failure !== undefined).length;
  return {
    turn: aggregate(vals(ordinary, (t) => t.turnMs), failed(ordinary)),
    bridgeOverhead: aggregate(vals(sOrd, (t) => t.bridgeOverheadMs), failed(sOrd)),
    think: aggregate(vals(sOrd, (t) => t.thinkMs)),
    pacingExcess: aggregate(vals(sOrd, (t) => t.pacingExcessMs)),
    bargeIn: aggregate(vals(barge, (t) => t.bargeInMs), failed(barge)),
    onsetDetect: aggregate(vals(sBar, (t) => t.onsetDetectMs)),
    bridgeBargeInOverhead: aggregate(vals(sBar, (t) => t.bridgeBargeInOverheadMs), failed(sBar)),
  };
}

/** §12.3.5 grouping across calls of one bridge × scenario × target: pool the samples, then aggregate. */
export function aggregateCalls(calls: readonly CallLatency[]): CallLatency["summary"] & { greeting: ReturnType<typeof aggregate> } {
  return {
    ...summarize(
      calls.flatMap((c) => c.turns),
      calls.filter((c) => c.stub.valid).flatMap((c) => c.turns),
    ),
    greeting: aggregate(calls.map((c) => c.greetingMs).filter((v): v is number => v !== undefined)),
  };
}
