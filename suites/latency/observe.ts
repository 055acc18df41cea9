// Latency of the conversational calls of a run (openai-realtime.md §12.3), computed once per run.
import { aggregate, aggregateCalls, computeCallLatency, describePoints, type CallLatency, type LatencyOptions } from "../../emulator/latency/index.js";
import { upstreamFidelity } from "../audio-match.js";
import type { CaseContext } from "../types.js";
import type { ScenarioId } from "../scenarios.js";

/** Scenarios whose calls are ordinary conversations (no injected fault that distorts timing). */
export const LATENCY_SCENARIOS: readonly ScenarioId[] = ["basic", "bargein", "key-order-natural"];

const cache = new WeakMap<CaseContext, CallLatency[]>();

type LatencyCall = NonNullable<ReturnType<CaseContext["run"]>>["calls"][number];

/**
 * One call's latency. Speech ends that do not match are a harness error only when the model heard the
 * caller's audio as sent; a bridge that mangles the audio leaves those turns unmeasured, and says so.
 */
export function latencyOf(o: LatencyCall, options: LatencyOptions = {}): CallLatency {
  const lat = computeCallLatency(o.call.timeline, o.call.callId, o.sessions[0], options);
  const stream = o.call.streams[0];
  if (!stream || !o.sessions[0] || !lat.turns.some((t) => t.boundary && !t.boundary.matched)) return lat;
  const f = upstreamFidelity(stream, o.sessions[0]);
  return f.faithful ? lat : computeCallLatency(o.call.timeline, o.call.callId, o.sessions[0], { ...options, upstreamAltered: f.observed });
}

/** The run's stated measurement error of B is its calibration's tolerance (so a negative B beyond it is a harness error). */
export function statedError(cal: { toleranceMs: number } | undefined): LatencyOptions {
  return cal ? { overheadErrorMs: cal.toleranceMs } : {};
}

export function callLatencies(ctx: CaseContext): CallLatency[] {
  let out = cache.get(ctx);
  if (!out) {
    out = [];
    for (const id of LATENCY_SCENARIOS) {
      for (const o of ctx.run(id)?.calls ?? []) {
        out.push(latencyOf(o, statedError(ctx.latencyCalibration)));
      }
    }
    cache.set(ctx, out);
  }
  return out;
}

export function summary(ctx: CaseContext) {
  return aggregateCalls(callLatencies(ctx));
}

export { aggregate };

export function fmt(p: { n: number; p50?: number; p95?: number; p99?: number; lowN: { p95: boolean; p99: boolean } }): string {
  const f = (v?: number) => (v === undefined ? "n/a" : `${v.toFixed(1)} ms`);
  return `n=${p.n} p50 ${f(p.p50)} · p95 ${f(p.p95)}${p.lowN.p95 ? " (low N)" : ""} · p99 ${f(p.p99)}${p.lowN.p99 ? " (low N)" : ""}`;
}

export function metrics(prefix: string, p: { n: number; p50?: number; p95?: number; p99?: number; failures: number }): Record<string, number> {
  const m: Record<string, number> = { [`${prefix}.n`]: p.n, [`${prefix}.failures`]: p.failures };
  if (p.p50 !== undefined) m[`${prefix}.p50`] = p.p50;
  if (p.p95 !== undefined) m[`${prefix}.p95`] = p.p95;
  if (p.p99 !== undefined) m[`${prefix}.p99`] = p.p99;
  return m;
}

/**
 * Why the run's latency figures are withheld, or undefined: the direct-mode calibration is off
 * (src/run/calibration.ts), or the harness could not measure some turn soundly (a negative B beyond
 * the stated error, speech ends that do not match): those turns are named with their points.
 */
export function withheld(ctx: CaseContext, perTurn = true): string | undefined {
  const cal = ctx.latencyCalibration;
  if (cal && !cal.ok) {
    return `the latency calibration is off: with no bridge (direct mode) ${cal.reason}; figures withheld (a loaded machine or a harness fault would be read as the bridge's)`;
  }
  if (!perTurn) return undefined;
  const bad = callLatencies(ctx).flatMap((c) => c.turns.filter((t) => t.harnessError).map((t) => ({ c, t })));
  if (!bad.length) return undefined;
  const first = bad[0];
  return `${bad.length} turn(s) could not be measured soundly; call ${first.c.callId} turn ${first.t.index}: ${first.t.harnessError} [${describePoints(first.t.points)}]`;
}
