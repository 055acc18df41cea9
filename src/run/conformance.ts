// One conformance run: start what is needed (Realtime stub, carrier), place the calls the selected
// cases' scenarios need, match the stub's sessions to calls, judge every case, and build the run
// result that every report renders. Every wait is bounded; everything started is stopped.

import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Carrier } from "../../emulator/call/carrier.js";
import type { CallResult, CarrierSettings, PlaceCallOptions } from "../../emulator/call/types.js";
import type { RealtimeStub } from "../../emulator/realtime/server.js";
import { startRealtimeStubForRun } from "../../emulator/realtime/thread.js";
import type { StubSessionRecord } from "../../emulator/realtime/record.js";
import type { StubScript } from "../../emulator/realtime/script.js";
import { sharedScheduler } from "../../emulator/media/scheduler.js";
import { scenarios, type Scenario, type ScenarioId } from "../../suites/scenarios.js";
import type { CallDirection, CallObservation, CaseContext, CaseSettings, ScenarioRun } from "../../suites/types.js";
import { directedCases, directedId, directionsOf } from "../../suites/direction.js";
import {
  baselineStatus,
  combineRepeats,
  judge,
  loadCases,
  selectCases,
  type Baseline,
  type CaseVerdict,
} from "../../suites/runner.js";
import { upstreamMode, type ResolvedConfig } from "../config.js";
import { UsageError } from "../exit.js";
import { encodeMulaw } from "../../emulator/media/mulaw.js";
import { matchMulaw } from "../../suites/audio-match.js";
import { callLimitReason } from "../../suites/observe.js";
import { scenarioAudio } from "./audio.js";
import { buildRunResult } from "./result.js";
import { writeRecordings } from "./recordings.js";
import { isCalibrationSession, runCalibration } from "./calibration.js";
import { CALIBRATED_CASES, planShards, shardLabel, type ShardPart, type ShardSpec } from "./shard.js";
import { outboundCall } from "./outbound.js";

/**
 * The stated error of B the calibration holds the harness to: 1 ms, or BWEMU_CALIBRATION_TOLERANCE_MS
 * on a machine whose own loopback hops are slower (a noisy CI runner); the report states the value used.
 */
function calibrationToleranceMs(): number {
  const v = Number(process.env.BWEMU_CALIBRATION_TOLERANCE_MS);
  return Number.isFinite(v) && v > 0 ? v : 1;
}
import type { RunResult } from "../../reports/model.js";

/** The stub's replies during a run: a synthetic greeting, then each caller turn echoed back (distinct per call). */
export const RUN_STUB_SCRIPT: StubScript = {
  greeting: { audio: { synth: 1200 }, transcript: "Hello! How can I help you today?" },
  turns: [{ audio: { echo: true }, transcript: "(echo of the caller)" }],
  after: "repeat-last",
  defaults: { responseDelayMs: 300, deltaMs: 100, pacing: "burst" },
};

/**
 * The stub as a run uses it. A bare `{type:"server_vad"}` gets 500 ms of silence before the turn ends
 * (the docs' value; live has shown 200, openai-realtime.md §4.1): speech pauses inside one utterance
 * of the fixtures (up to ~220 ms) must not split it into two turns.
 */
export const RUN_STUB_OPTIONS = { script: RUN_STUB_SCRIPT, vad: { defaultSilenceDurationMs: 500 } };

/** Calls of one scenario start this far apart, so stub sessions can be matched to calls by time. */
const STAGGER_MS = 350;

export type Progress =
  /** Before the first call: what the run will do (scenarios run `repeat` times each, on each direction). */
  | { kind: "plan"; cases: number; scenarios: number; repeat: number; directions: CallDirection[] }
  /** `direction` is set when the run places calls both ways. */
  | { kind: "scenario-start"; id: ScenarioId; calls: number; direction?: CallDirection }
  | { kind: "scenario-done"; id: ScenarioId; ok: boolean; detail?: string; direction?: CallDirection }
  | { kind: "judged"; id: string; verdict: string }
  /** Something the user must know before (or while) the run goes on, e.g. a budget too small for --repeat. */
  | { kind: "notice"; message: string };

export interface ConformanceOptions {
  config: ResolvedConfig;
  /** The app's initiate URL (the bridge under test); outbound calls' answerUrl too unless `config.answerUrl` says otherwise. */
  appUrl: string;
  /** A stub already running (the bridge was pointed at it); otherwise one is started when realtime is "stub". */
  stub?: RealtimeStub;
  label?: string;
  onProgress?: (p: Progress) => void;
  /** Run only this shard's part of the selection (src/run/shard.ts). */
  shard?: ShardSpec;
}

/** What a blob result needs beyond the run result: the whole selection, and each call's repetition. */
export interface RunPlan {
  /**
   * Verdict ids the run selected (all shards together), and those --cases/--exclude left out: case ids,
   * and `<case id>@outbound` too with both directions (suites/direction.ts).
   */
  selected: string[];
  excluded: string[];
  /** Scenarios the whole selection needs, in order (directed keys with both directions: each direction's in turn). */
  scenarios: string[];
  /** The scenarios (directed keys) of every selected and excluded verdict. */
  caseScenarios: Record<string, string[]>;
  shard?: ShardSpec & { part: ShardPart };
  /** One context per repetition and direction, as judged. */
  contexts: CaseContext[];
}

export interface ConformanceOutcome {
  result: RunResult;
  verdicts: CaseVerdict[];
  exitCode: RunResult["summary"]["exitCode"];
  /** Set by runConformance (what a blob result needs). */
  plan?: RunPlan;
}

function loadBaseline(path?: string): Baseline | undefined {
  if (!path) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UsageError(`--baseline ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!raw || typeof raw !== "object" || typeof (raw as Baseline).cases !== "object") throw new UsageError(`--baseline ${path}: expected {"cases": {"<case id>": {"verdict": "fail", "reason": "…"}}}`);
  return raw as Baseline;
}

/**
 * Assign each stub session to the call it served. Candidates are calls whose stream was connected
 * when the session opened; a session whose appended audio is a bit-exact run of a call's inbound
 * μ-law belongs to that call (timing alone misleads when upstream connects are slow); otherwise, and
 * to break ties between calls that played the same audio, the call connected most recently before it.
 */
export function matchSessions(calls: CallResult[], sessions: StubSessionRecord[]): Map<string, StubSessionRecord[]> {
  const out = new Map<string, StubSessionRecord[]>(calls.map((c) => [c.callId, []]));
  const keyed = calls
    .map((c) => {
      const connect = c.timeline.events.find((e) => e.kind === "stream.connect" && e.callId === c.callId);
      const s = c.streams[0];
      return { c, t: connect?.t, inbound: s ? (s.inboundPcmu ?? encodeMulaw(s.inboundPcm)) : undefined };
    })
    .filter((k): k is { c: CallResult; t: number; inbound: Uint8Array | undefined } => k.t !== undefined);
  const owned = new Set<string>();
  for (const s of [...sessions].sort((a, b) => a.openedUs - b.openedUs)) {
    const candidates = keyed.filter((k) => k.t <= s.openedUs + 100_000 && k.c.endedUs + 1_000_000 >= s.openedUs);
    if (!candidates.length) continue;
    const appended = s.appendedAudio();
    const byContent = appended.length
      ? candidates.filter((k) => {
          const m = k.inbound && matchMulaw(k.inbound, appended);
          return !!m && m.exact && m.offset >= 0;
        })
      : [];
    const pool = byContent.length ? byContent : candidates;
    const free = pool.filter((k) => !owned.has(k.c.callId));
    const pickFrom = free.length ? free : pool;
    const owner = pickFrom.reduce((best, k) => (s.openedUs - k.t < s.openedUs - best.t && s.openedUs - k.t >= -100_000 ? k : best));
    owned.add(owner.c.callId);
    out.get(owner.c.callId)!.push(s);
  }
  return out;
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runConformance(o: ConformanceOptions): Promise<ConformanceOutcome> {
  const cfg = o.config;
  const started = new Date();
  const t0 = performance.now();
  const baseline = loadBaseline(cfg.baseline);
  const all = await loadCases();
  const selection = selectCases(all, cfg.cases, cfg.exclude);
  if (!selection.selected.length) throw new UsageError(`no case matches --cases ${cfg.cases.join(",")}${cfg.exclude.length ? ` --exclude ${cfg.exclude.join(",")}` : ""}`);
  // Each case is judged on each direction of the run: one verdict per (case, direction).
  const directions = directionsOf(cfg.direction);
  const units = directedCases(selection.selected, directions);
  // A shard judges its part of the selection; shard 1 also reports the cases left out.
  const part = o.shard && planShards(units, o.shard.total)[o.shard.index - 1];
  if (o.shard && !part) throw new UsageError(`shard ${shardLabel(o.shard)}: the shard number must be 1 to the number of shards`);
  const selected = part ? units.filter((u) => part.cases.includes(u.id)) : units;
  const excluded = o.shard && o.shard.index > 1 ? [] : directedCases(selection.excluded, directions);
  if (o.shard && part) o.onProgress?.({ kind: "notice", message: `shard ${shardLabel(o.shard)}: ${selected.length} of ${units.length} ${directions.length > 1 ? "verdicts" : "cases"}${part.scenarios.length ? `, scenarios ${part.scenarios.join(", ")}` : ": nothing to run here (fewer scenario groups than shards)"}` });
  /** The scenarios placed on each direction, in selection order. */
  const neededOn = (d: CallDirection, us = selected): ScenarioId[] => [...new Set(us.filter((u) => u.direction === d).flatMap((u) => u.reads))];
  const plannedScenarios = (us: typeof units) => directions.flatMap((d) => neededOn(d, us).map((id) => directedId(id, d, directions)));
  o.onProgress?.({ kind: "plan", cases: selected.length, scenarios: plannedScenarios(selected).length, repeat: cfg.repeat, directions });
  const answerUrl = cfg.answerUrl ?? o.appUrl;
  const urlOn = (d: CallDirection) => (d === "outbound" ? answerUrl : o.appUrl);

  const ownStub = !o.stub && cfg.realtime === "stub";
  const stub = o.stub ?? (ownStub ? await startRealtimeStubForRun({ ...RUN_STUB_OPTIONS, port: cfg.stubPort }) : undefined);
  const settings: Partial<CarrierSettings> = {
    ...cfg.carrier,
    callbackCreds: cfg.callbackCreds,
    statusCallbackUrl: cfg.statusUrl,
    callbackTimeoutMs: cfg.callbackMs,
    maxCallDurationMs: cfg.callMs,
    pacing: "realtime",
    callerStartsAt: cfg.callerStartsAt,
  };
  const carrier = new Carrier({ settings });
  const audio = scenarioAudio();
  // The latency calibration runs first, alone, against the same stub: it checks the measurement
  // points, so it must not be disturbed by the scenarios' own load (~12 s).
  const calibrating =
    stub && cfg.realtime === "stub" && selected.some((u) => u.reads.length && CALIBRATED_CASES.has(u.case.id))
      ? runCalibration(stub, audio.calibration, { maxDurationMs: Math.min(cfg.callMs, 60_000), toleranceMs: calibrationToleranceMs() })
      : undefined;
  await calibrating;
  const allCalls: CallResult[] = [];
  /** Each repetition's runs, one direction after the other. */
  const runs: { rep: number; direction: CallDirection; map: Map<ScenarioId, ScenarioRun> }[] = [];
  const deadline = t0 + cfg.runMs;
  /** Calls the run's budget ended (their data is incomplete: bwemu's doing, not the bridge's). */
  const cutCalls = new Set<string>();
  /** Calls bwemu's call limit ended before their caller script was over, with why (never the bridge's failure). */
  const limitedCalls = new Map<string, string>();
  const BUDGET_USED = "the run's time budget was used up";

  const placeOne = async (sc: Scenario, i: number, direction: CallDirection): Promise<CallResult> => {
    const base = sc.call(i, audio);
    const appUrl = urlOn(direction);
    const opts: PlaceCallOptions = {
      ...base,
      appUrl,
      // A call never outlives the run's budget (issue 5): the carrier ends it like any over-long call.
      maxDurationMs: Math.max(1, Math.min(base.maxDurationMs ?? cfg.callMs, cfg.callMs, Math.floor(deadline - performance.now()))),
      actions: base.actions?.map((a) => (a.action === "redirect" && !a.redirectUrl ? { ...a, redirectUrl: appUrl } : a)),
      label: directedId(base.label ?? sc.id, direction, directions),
      // The caller hangs up once its script is over and the last reply has played, as a person would.
      hangupAfterCallerMs: base.hangupAfterCallerMs ?? 300,
    };
    // Outbound: the carrier calls out as createCall would, `answer` to the answerUrl; `disconnect` to
    // the disconnectUrl (default: the status URL inbound calls use).
    const handle =
      direction === "outbound"
        ? carrier.placeOutbound(outboundCall(carrier.settings, opts, { disconnectUrl: cfg.disconnectUrl ?? cfg.statusUrl }, carrier.clock.wallNow()))
        : carrier.placeCall(opts);
    // Shortened by the budget, and still running when the budget ran out: cut short by bwemu.
    const shortened = opts.maxDurationMs! < Math.min(base.maxDurationMs ?? cfg.callMs, cfg.callMs);
    void handle.done.then(() => {
      if (shortened && performance.now() >= deadline - 250) cutCalls.add(handle.callId);
    });
    // A scenario that caps its own calls ends them by design; otherwise the cap is bwemu's limit.
    const limited = (r: CallResult): CallResult => {
      const why = base.maxDurationMs === undefined ? callLimitReason(r) : undefined;
      if (why) limitedCalls.set(r.callId, why);
      return r;
    };
    try {
      return limited(await withTimeout(handle.done, opts.maxDurationMs! + 15_000, `call ${handle.callId} (${opts.label})`));
    } catch (e) {
      handle.hangup();
      return await withTimeout(handle.done, 10_000, `hang-up of ${handle.callId}`).catch(() => {
        throw e;
      });
    }
  };

  const runScenario = async (sc: Scenario, direction: CallDirection): Promise<{ calls: CallResult[]; error?: string }> => {
    const dir = directions.length > 1 ? { direction } : {};
    o.onProgress?.({ kind: "scenario-start", id: sc.id, calls: sc.id === "concurrent" ? cfg.concurrentCalls : sc.calls ?? 1, ...dir });
    if (sc.stubFault && stub) {
      await stub.sync(); // the session count is current, and the fault is in force before the call starts
      const sessionsBefore = stub.sessions().length;
      stub.addFault({ ...sc.stubFault, session: sessionsBefore + 1 });
      await stub.sync();
    }
    const n = sc.id === "concurrent" ? cfg.concurrentCalls : sc.calls ?? 1;
    try {
      const calls = await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          if (sc.id !== "concurrent") await new Promise((r) => setTimeout(r, i * STAGGER_MS));
          return placeOne(sc, i, direction);
        }),
      );
      o.onProgress?.({ kind: "scenario-done", id: sc.id, ok: true, ...dir });
      return { calls };
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      o.onProgress?.({ kind: "scenario-done", id: sc.id, ok: false, detail: error, ...dir });
      return { calls: [], error };
    }
  };

  const s = (ms: number) => `${Math.round(ms / 1000)} s`;

  /** The scenarios of one direction in one repetition, as the cases read them. */
  const runDirection = async (rep: number, direction: CallDirection): Promise<Map<ScenarioId, ScenarioRun>> => {
    const needed = neededOn(direction);
    const results = new Map<ScenarioId, { calls: CallResult[]; error?: string }>();
    const shared = needed.filter((id) => !scenarios[id].exclusive);
    const exclusive = needed.filter((id) => scenarios[id].exclusive);
    // Shared scenarios run together, staggered so each Realtime session can be matched to its call.
    await Promise.all(
      shared.map(async (id, k) => {
        await new Promise((r) => setTimeout(r, k * STAGGER_MS));
        if (performance.now() > deadline) return results.set(id, { calls: [], error: BUDGET_USED });
        results.set(id, await runScenario(scenarios[id], direction));
      }),
    );
    for (const id of exclusive) {
      if (performance.now() > deadline) {
        results.set(id, { calls: [], error: BUDGET_USED });
        continue;
      }
      results.set(id, await runScenario(scenarios[id], direction));
    }
    const calls = [...results.values()].flatMap((r) => r.calls);
    allCalls.push(...calls);
    await stub?.sync();
    const bySession = matchSessions(calls, (stub?.sessions() ?? []).filter((x) => !isCalibrationSession(x)));
    const map = new Map<ScenarioId, ScenarioRun>();
    for (const [id, r] of results) {
      const cut = r.error === BUDGET_USED || r.calls.some((c) => cutCalls.has(c.callId));
      const limit = r.calls.map((c) => limitedCalls.get(c.callId)).find((w) => w !== undefined);
      map.set(id, {
        scenario: id,
        harnessError: r.error,
        cutShort: cut ? `the run's time budget (${s(cfg.runMs)}, timeouts.runMs) ended scenario ${directedId(id, direction, directions)}${cfg.repeat > 1 ? ` in repetition ${rep + 1}` : ""}` : undefined,
        limited: limit,
        calls: r.calls.map((call): CallObservation => ({ call, sessions: bySession.get(call.callId) ?? [] })),
      });
    }
    return map;
  };
  const repeatMs: number[] = [];
  let notStarted = 0;
  if (cfg.repeat > 1) o.onProgress?.({ kind: "notice", message: `${cfg.repeat} repetitions within a time budget of ${s(cfg.runMs)} (timeouts.runMs); a repetition that cannot fit is not started` });
  try {
    await carrier.listen(0);
    for (let rep = 0; rep < cfg.repeat; rep++) {
      const repStart = performance.now();
      // A repetition is started only when the budget left fits the longest one so far: completed
      // repetitions keep their verdicts instead of one more being cut in the middle.
      if (rep > 0 && deadline - repStart < Math.max(...repeatMs)) {
        notStarted = cfg.repeat - rep;
        o.onProgress?.({ kind: "notice", message: `${notStarted} of ${cfg.repeat} repetitions not started: ${s(deadline - repStart)} of the budget left, a repetition takes ${s(Math.max(...repeatMs))}` });
        break;
      }
      // One direction after the other: each direction's calls are matched to the stub's sessions alone.
      for (const direction of directions) runs.push({ rep, direction, map: await runDirection(rep, direction) });
      repeatMs.push(performance.now() - repStart);
      if (rep === 0 && cfg.repeat > 1) {
        const fits = 1 + Math.floor((deadline - performance.now()) / repeatMs[0]);
        if (fits < cfg.repeat) o.onProgress?.({ kind: "notice", message: `the time budget fits about ${fits} of ${cfg.repeat} repetitions (the first took ${s(repeatMs[0])}); raise timeouts.runMs to run them all` });
      }
    }
  } finally {
    await calibrating?.catch(() => undefined);
    audio.dispose();
    await carrier.close().catch(() => undefined);
    // The stub's records as the calls left them (sessions a bridge leaked show as closed by the stub).
    if (ownStub) await stub?.close().catch(() => undefined);
    else await stub?.sync().catch(() => undefined);
  }

  // Every recording the calls made, as `bwemu call` writes them (the bridge's StartRecording / Record).
  if (carrier.recordings.all().length) {
    const dir = join(cfg.out, "recordings");
    await mkdir(dir, { recursive: true });
    const names = await writeRecordings(carrier.recordings, dir);
    o.onProgress?.({ kind: "notice", message: `${names.length} recording(s) written to ${dir}` });
  }

  const caseSettings: CaseSettings = {
    overheadP95Ms: cfg.overheadP95Ms,
    turnExtraP95Ms: cfg.turnExtraP95Ms,
    callbackTimeoutMs: cfg.callbackMs,
    callbackAuth: !!cfg.callbackCreds,
    realtime: upstreamMode(cfg.realtime),
    concurrentCalls: cfg.concurrentCalls,
  };
  const calibration = await calibrating;
  const latencyCalibration = calibration && { ok: calibration.ok, toleranceMs: calibration.toleranceMs, turns: calibration.turns, reason: calibration.reason };
  const contexts: CaseContext[] = runs.map((r) => ({ settings: caseSettings, direction: r.direction, run: (id) => r.map.get(id), latencyCalibration }));
  // A repetition the budget cut short (on either direction) is judged only when no repetition completed.
  const cutReps = new Set(runs.filter((r) => [...r.map.values()].some((x) => x.cutShort)).map((r) => r.rep));
  const complete = contexts.filter((_, i) => !cutReps.has(runs[i].rep));
  const judged = complete.length ? complete : contexts;
  const both = directions.length > 1;
  const verdicts: CaseVerdict[] = selected.map((u) => {
    const perRun = judged.filter((ctx) => ctx.direction === u.direction).map((ctx) => judge(u.case, ctx));
    const v = perRun.length > 1 ? combineRepeats(perRun) : perRun[0];
    o.onProgress?.({ kind: "judged", id: u.id, verdict: v.verdict });
    return both ? { ...v, id: u.id, direction: u.direction } : v;
  });
  for (const u of excluded)
    verdicts.push({ case: u.case, ...(both ? { id: u.id, direction: u.direction } : {}), verdict: "skipped", outcome: { verdict: "skipped", message: "excluded by --cases/--exclude" }, durationMs: 0 });

  const result = buildRunResult({
    config: cfg,
    appUrl: o.appUrl,
    answerUrl: directions.includes("outbound") && answerUrl !== o.appUrl ? answerUrl : undefined,
    label: o.label,
    startedAt: started,
    durationMs: performance.now() - t0,
    verdicts,
    baseline,
    baselineStatus: (id, v) => baselineStatus(id, v, baseline),
    calls: allCalls,
    contexts,
    scheduler: sharedScheduler("realtime").lateness(),
  });
  if (limitedCalls.size) {
    const first = limitedCalls.values().next().value;
    result.harness.warnings.push(`bwemu's call limit ended ${limitedCalls.size} call(s) before the caller's script was over (cases reading them are not judged; raise timeouts.callMs if the conversation needs longer): ${first}`);
  }
  if (performance.now() > deadline) result.harness.warnings.push(`the run's time budget (${cfg.runMs} ms) was used up: calls still in flight were ended and unplaced scenarios skipped`);
  const cut = cutReps.size;
  const completeReps = new Set(runs.map((r) => r.rep)).size - cut;
  if (cfg.repeat > 1 && (notStarted || cut)) {
    result.harness.warnings.push(
      `${completeReps} of ${cfg.repeat} repetitions completed within the time budget (${s(cfg.runMs)}, timeouts.runMs)${completeReps ? " and were judged" : ""}${notStarted ? `; ${notStarted} not started` : ""}${cut ? `; ${cut} cut short${completeReps ? " and not judged" : " (cases reading the cut data are errors)"}` : ""}`,
    );
  }
  const plan: RunPlan = {
    selected: units.map((u) => u.id),
    excluded: directedCases(selection.excluded, directions).map((u) => u.id),
    scenarios: plannedScenarios(units),
    caseScenarios: Object.fromEntries(directedCases(all, directions).map((u) => [u.id, u.scenarios])),
    shard: o.shard && part && { ...o.shard, part },
    contexts,
  };
  return { result, verdicts, exitCode: result.summary.exitCode, plan };
}
