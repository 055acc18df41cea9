// The conformance case model (conformance.md "Case model"; docs/cases/ is generated from it). A case is data plus one small check over
// what the emulator and the stub recorded; it never places calls itself. The runner places the calls
// that the selected cases' scenarios need (one call may feed many cases) and hands each check the runs.

import type { CallResult } from "../emulator/call/types.js";
import type { LatencyCalibration } from "../emulator/latency/calibration.js";
import type { StubSessionRecord } from "../emulator/realtime/record.js";
import type { TimelineEvent } from "../emulator/timeline.js";
import type { ScenarioId } from "./scenarios.js";
import type { Requirement } from "./preconditions.js";

export type CaseLevel = "MUST" | "SHOULD" | "INFO";

/**
 * The bridge's upstream as bwemu sees it: the Realtime `stub` (its records are the model's side of
 * every turn), the `live` OpenAI service (the bridge talks to it; bwemu sees only the carrier side),
 * or `opaque` (any other model, pipeline or bot: bwemu cannot see it at all).
 */
export const UPSTREAM_MODES = ["stub", "live", "opaque"] as const;
export type UpstreamMode = (typeof UPSTREAM_MODES)[number];

/**
 * Which way the scenarios' calls go: `inbound` (the carrier sends `initiate` to the app's
 * CallInitiatedCallbackUrl) or `outbound` (the carrier places the call as REST createCall would and
 * sends `answer` to its answerUrl once the called party picks up).
 */
export const CALL_DIRECTIONS = ["inbound", "outbound"] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** Verdicts as conformance.md defines them. */
export type Verdict = "pass" | "fail" | "non-strict" | "info" | "unimplemented" | "skipped" | "error";

/** The case groups, in report order; each is a folder of suites/ with one file per case. */
export const CASE_GROUPS = ["answer", "stream", "audio", "bargein", "events", "lifecycle", "latency", "resilience"] as const;
export type CaseGroup = (typeof CASE_GROUPS)[number];

/** What a check returns. A SHOULD case's `fail` becomes `non-strict`; an INFO case's outcome is `info`. */
export interface CaseOutcome {
  verdict: "pass" | "fail" | "info" | "unimplemented" | "skipped" | "error";
  /** The acceptable outcomes, as observed against (required for every non-pass). */
  expected?: string;
  observed?: string;
  message?: string;
  /** The events that prove it (a slice of a call's timeline). */
  evidence?: TimelineEvent[];
  metrics?: Record<string, number>;
}

/** One placed call of a scenario with the Realtime sessions the bridge opened for it. */
export interface CallObservation {
  call: CallResult;
  /** Stub sessions matched to this call (empty against the live service or when the bridge opened none). */
  sessions: StubSessionRecord[];
}

export interface ScenarioRun {
  scenario: ScenarioId;
  calls: CallObservation[];
  /** Set when the harness could not run the scenario (never blamed on the bridge). */
  harnessError?: string;
  /**
   * Set when bwemu itself cut the scenario's calls short (the run's time budget ended them): its
   * data is incomplete, so a case reading it can be an `error`, never a `fail`.
   */
  cutShort?: string;
  /**
   * Set when bwemu's own call limit (timeouts.callMs) ended a call of the scenario before its caller
   * script was over: the same, a case reading it is an `error` naming the limit, never a `fail`.
   */
  limited?: string;
}

/** Budgets and expectations a run can change (flags, config file). */
export interface CaseSettings {
  /** latency.bridge-overhead: p95 budget in ms (default 50). */
  overheadP95Ms: number;
  /** latency.turn: p95 budget above the stub's think time in ms (default 150). */
  turnExtraP95Ms: number;
  /** answer.http.status: the callback timeout in ms (default 15 000). */
  callbackTimeoutMs: number;
  /** Callback credentials the emulator sends; answer.auth.basic runs only when set. */
  callbackAuth: boolean;
  /** What bwemu sees of the bridge's upstream (cases that need the stub's records are skipped otherwise). */
  realtime: UpstreamMode;
  /** Calls in resilience.concurrent-isolation (default 10). */
  concurrentCalls: number;
}

export interface CaseContext {
  settings: CaseSettings;
  /** The direction of every call in this context (inbound when absent). */
  direction?: CallDirection;
  /** The run of a scenario the case declared; undefined when it was not placed. */
  run(id: ScenarioId): ScenarioRun | undefined;
  /** The run's latency calibration (direct mode, no bridge), when latency cases ran against the stub. */
  latencyCalibration?: LatencyCalibration;
}

export interface ConformanceCase {
  /** Stable dotted id, `group.subject.check`; never renumbered. */
  id: string;
  level: CaseLevel;
  title: string;
  /** One line: what a conformant bridge does. */
  expectation: string;
  /**
   * Bandwidth's or OpenAI's public pages for the requirement, most specific first (a pitfall may
   * have none). The generated docs page and every report link them.
   */
  docs: readonly string[];
  /** The set of acceptable outcomes, in words. */
  outcomes: string;
  /** Scenarios whose calls the check reads; the runner hands the check the first call of the first. */
  scenarios: readonly ScenarioId[];
  /**
   * What that call must show before the check can judge it, resolved by the runner in this order
   * (suites/preconditions.ts): the first unmet one is the verdict (`skipped`, `unimplemented`, or a
   * `fail` when the bridge itself broke it), and the check never runs.
   */
  requires?: readonly Requirement[];
  /**
   * The call directions the requirement exists on (default: both). On another direction the case is
   * `skipped`, saying so, and its scenarios are not placed for it.
   */
  directions?: readonly CallDirection[];
  /**
   * A second scenario the check compares the first with (e.g. the same call without credentials): the
   * runner resolves its first call after the requirements hold and hands it to the check as `against`;
   * a scenario that was not run or placed no call is the verdict, and the check never runs.
   */
  against?: ScenarioId;
  /** `against` is the first call of {@link against}: present exactly when the case names one. */
  check(call: CallObservation, ctx: CaseContext, against?: CallObservation): CaseOutcome;
}

export function groupOf(id: string): CaseGroup {
  return id.split(".")[0] as CaseGroup;
}
