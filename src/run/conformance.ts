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
import type { CallObservation, CaseContext, CaseSettings, ScenarioRun } from "../../suites/types.js";
import {
  baselineStatus,
  combineRepeats,
  judge,
  loadCases,
  scenariosFor,
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
  /** Before the first call: what the run will do (scenarios run `repeat` times each). */
  | { kind: "plan"; cases: number; scenarios: number; repeat: number }
  | { kind: "scenario-start"; id: ScenarioId; calls: number }
  | { kind: "scenario-done"; id: ScenarioId; ok: boolean; detail?: string }
  | { kind: "judged"; id: string; verdict: string }
  /** Something the user must know before (or while) the run goes on, e.g. a budget too small for --repeat. */
  | { kind: "notice"; message: string };

export interface ConformanceOptions {
  config: ResolvedConfig;
  /** The app's initiate URL (the bridge under test). */
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
  /** Case ids the run selected (all shards together), and those --cases/--exclude left out. */
  selected: string[];
  excluded: string[];
  /** Scenarios the whole selection needs, in order. */
  scenarios: ScenarioId[];
  /** The scenarios of every selected and excluded case. */
  caseScenarios: Record<string, ScenarioId[]>;
  shard?: ShardSpec & { part: ShardPart };
  /** One context per repetition, as judged. */
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
  // A shard judges its part of the selection; shard 1 also reports the cases left out.
  const part = o.shard && planShards(selection.selected, o.shard.total)[o.shard.index - 1];
  if (o.shard && !part) throw new UsageError(`shard ${shardLabel(o.shard)}: the shard number must be 1 to the number of shards`);
  const selected = part ? selection.selected.filter((c) => part.cases.includes(c.id)) : selection.selected;
  const excluded = o.shard && o.shard.index > 1 ? [] : selection.excluded;
  if (o.shard && part) o.onProgress?.({ kind: "notice", message: `shard ${shardLabel(o.shard)}: ${selected.length} of ${selection.selected.length} cases${part.scenarios.length ? `, scenarios ${part.scenarios.join(", ")}` : ": nothing to run here (fewer scenario groups than shards)"}` });
  const needed = scenariosFor(selected);
  o.onProgress?.({ kind: "plan", cases: selected.length, scenarios: needed.length, repeat: cfg.repeat });

  const ownStub = !o.stub && cfg.realtime === "stub";
  const stub = o.stub ?? (ownStub ? await startRealtimeStubForRun({ ...RUN_STUB_OPTIONS, port: cfg.stubPort }) : undefined);
  const settings: Partial<CarrierSettings> = {
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
    stub && cfg.realtime === "stub" && selected.some((c) => CALIBRATED_CASES.has(c.id))
      ? runCalibration(stub, audio.calibration, { maxDurationMs: Math.min(cfg.callMs, 60_000), toleranceMs: calibrationToleranceMs() })
      : undefined;
  await calibrating;
  const allCalls: CallResult[] = [];
  const runs: Map<ScenarioId, ScenarioRun>[] = [];
  const deadline = t0 + cfg.runMs;
  /** Calls the run's budget ended (their data is incomplete: bwemu's doing, not the bridge's). */
  const cutCalls = new Set<string>();
  /** Calls bwemu's call limit ended before their caller script was over, with why (never the bridge's failure). */
  const limitedCalls = new Map<string, string>();
  const BUDGET_USED = "the run's time budget was used up";

  const placeOne = async (sc: Scenario, i: number): Promise<CallResult> => {
    const base = sc.call(i, audio);
    const opts: PlaceCallOptions = {
      ...base,
      appUrl: o.appUrl,
      // A call never outlives the run's budget (issue 5): the carrier ends it like any over-long call.
      maxDurationMs: Math.max(1, Math.min(base.maxDurationMs ?? cfg.callMs, cfg.callMs, Math.floor(deadline - performance.now()))),
      actions: base.actions?.map((a) => (a.action === "redirect" && !a.redirectUrl ? { ...a, redirectUrl: o.appUrl } : a)),
      label: base.label ?? sc.id,
      // The caller hangs up once its script is over and the last reply has played, as a person would.
      hangupAfterCallerMs: base.hangupAfterCallerMs ?? 300,
    };
    const handle = carrier.placeCall(opts);
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
      return limited(await withTimeout(handle.done, opts.maxDurationMs! + 15_000, `call ${handle.callId} (${sc.id})`));
    } catch (e) {
      handle.hangup();
      return await withTimeout(handle.done, 10_000, `hang-up of ${handle.callId}`).catch(() => {
        throw e;
      });
    }
  };

  const runScenario = async (sc: Scenario): Promise<{ calls: CallResult[]; error?: string }> => {
    o.onProgress?.({ kind: "scenario-start", id: sc.id, calls: sc.id === "concurrent" ? cfg.concurrentCalls : sc.calls ?? 1 });
    if (sc.stubFault && stub) {
      await stub.sync(); // the session count is current, and the fault is in force before the call starts
      const sessionsBefore = stub.sessions().length;
      stub.addFault({ ...sc.stubFault.kind === "error-event" ? { kind: "error" as const, atMs: sc.stubFault.afterMs } : { kind: "close" as const, atMs: sc.stubFault.afterMs, code: sc.stubFault.code }, session: sessionsBefore + 1 });
      await stub.sync();
    }
    const n = sc.id === "concurrent" ? cfg.concurrentCalls : sc.calls ?? 1;
    try {
      const calls = await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          if (sc.id !== "concurrent") await new Promise((r) => setTimeout(r, i * STAGGER_MS));
          return placeOne(sc, i);
        }),
      );
      o.onProgress?.({ kind: "scenario-done", id: sc.id, ok: true });
      return { calls };
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      o.onProgress?.({ kind: "scenario-done", id: sc.id, ok: false, detail: error });
      return { calls: [], error };
    }
  };

  const s = (ms: number) => `${Math.round(ms / 1000)} s`;
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
      const results = new Map<ScenarioId, { calls: CallResult[]; error?: string }>();
      const shared = needed.filter((id) => !scenarios[id].exclusive);
      const exclusive = needed.filter((id) => scenarios[id].exclusive);
      // Shared scenarios run together, staggered so each Realtime session can be matched to its call.
      await Promise.all(
        shared.map(async (id, k) => {
          await new Promise((r) => setTimeout(r, k * STAGGER_MS));
          if (performance.now() > deadline) return results.set(id, { calls: [], error: BUDGET_USED });
          results.set(id, await runScenario(scenarios[id]));
        }),
      );
      for (const id of exclusive) {
        if (performance.now() > deadline) {
          results.set(id, { calls: [], error: BUDGET_USED });
          continue;
        }
        results.set(id, await runScenario(scenarios[id]));
      }
      const calls = [...results.values()].flatMap((r) => r.calls);
      allCalls.push(...calls);
      await stub?.sync();
      const bySession = matchSessions(calls, (stub?.sessions() ?? []).filter((s) => !isCalibrationSession(s)));
      const map = new Map<ScenarioId, ScenarioRun>();
      for (const [id, r] of results) {
        const cut = r.error === BUDGET_USED || r.calls.some((c) => cutCalls.has(c.callId));
        const limit = r.calls.map((c) => limitedCalls.get(c.callId)).find((w) => w !== undefined);
        map.set(id, {
          scenario: id,
          harnessError: r.error,
          cutShort: cut ? `the run's time budget (${s(cfg.runMs)}, timeouts.runMs) ended scenario ${id}${cfg.repeat > 1 ? ` in repetition ${rep + 1}` : ""}` : undefined,
          limited: limit,
          calls: r.calls.map((call): CallObservation => ({ call, sessions: bySession.get(call.callId) ?? [] })),
        });
      }
      runs.push(map);
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
  const contexts: CaseContext[] = runs.map((map) => ({ settings: caseSettings, run: (id) => map.get(id), latencyCalibration }));
  // A repetition the budget cut short is judged only when no repetition completed.
  const complete = contexts.filter((_, i) => ![...runs[i].values()].some((r) => r.cutShort));
  const judged = complete.length ? complete : contexts;
  const verdicts: CaseVerdict[] = selected.map((c) => {
    const perRun = judged.map((ctx) => judge(c, ctx));
    const v = perRun.length > 1 ? combineRepeats(perRun) : perRun[0];
    o.onProgress?.({ kind: "judged", id: c.id, verdict: v.verdict });
    return v;
  });
  for (const c of excluded) verdicts.push({ case: c, verdict: "skipped", outcome: { verdict: "skipped", message: "excluded by --cases/--exclude" }, durationMs: 0 });

  const result = buildRunResult({
    config: cfg,
    appUrl: o.appUrl,
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
  const cut = contexts.length - complete.length;
  if (cfg.repeat > 1 && (notStarted || cut)) {
    result.harness.warnings.push(
      `${complete.length} of ${cfg.repeat} repetitions completed within the time budget (${s(cfg.runMs)}, timeouts.runMs)${complete.length ? " and were judged" : ""}${notStarted ? `; ${notStarted} not started` : ""}${cut ? `; ${cut} cut short${complete.length ? " and not judged" : " (cases reading the cut data are errors)"}` : ""}`,
    );
  }
  const plan: RunPlan = {
    selected: selection.selected.map((c) => c.id),
    excluded: selection.excluded.map((c) => c.id),
    scenarios: scenariosFor(selection.selected),
    caseScenarios: Object.fromEntries(all.map((c) => [c.id, [...c.scenarios]])),
    shard: o.shard && part && { ...o.shard, part },
    contexts,
  };
  return { result, verdicts, exitCode: result.summary.exitCode, plan };
}
