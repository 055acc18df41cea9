// The demo's bridge-overhead figure, checked against what it must be. `npm start` runs the suite
// against the reference bridge; its B (openai-realtime.md §12.3.3) must be non-negative within the
// run's stated error, and within that error of the pass-through bridge's B (the same case, the same
// scenarios, the same stub script, measured in the same bench run) plus the reference bridge's own
// processing per turn: its last caller frame up plus its first reply delta down, as the bridge itself
// times them (TIMING=1, fixtures/bridges/reference/timing.ts).
//
//   npm run bench -- demo-overhead      two runs of the latency case, ~2 min

import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startRealtimeStubForRun } from "../emulator/realtime/thread.js";
import { spawnMeasurementBridge } from "../fixtures/bridges/passthrough/process.js";
import type { RunResult } from "../reports/model.js";
import { resolveConfig } from "../src/config.js";
import { RUN_STUB_OPTIONS, runConformance } from "../src/run/conformance.js";
import { runTest } from "../src/run/index.js";
import { fmt, median } from "./latency-floor.bench.js";
import type { BenchReport } from "./types.js";

const CASE = "latency.bridge-overhead";

interface Overhead {
  values: number[];
  p50?: number;
  toleranceMs?: number;
  calibrated: boolean;
  verdict?: string;
}

function overheadOf(r: RunResult): Overhead {
  const m = r.latency.bridgeOverhead;
  const values = (m?.samples ?? []).map((s) => s.valueMs).filter((v): v is number => typeof v === "number");
  return { values, p50: median(values), toleranceMs: r.latency.calibration?.toleranceMs, calibrated: r.latency.calibration?.ok === true, verdict: r.cases.find((c) => c.id === CASE)?.verdict };
}

/** Per turn: the bridge's p50 processing up plus down, µs → ms, the median over its sessions. */
function processingPerTurnMs(lines: readonly string[]): number | undefined {
  const per: number[] = [];
  for (const l of lines) {
    const m = /processing up n=\d+ p50=([\d.]+)µs .*; down n=\d+ p50=([\d.]+)µs/.exec(l);
    if (m) per.push((Number(m[1]) + Number(m[2])) / 1000);
  }
  return median(per);
}

export default async function demoOverhead(): Promise<BenchReport> {
  const dir = await mkdtemp(join(tmpdir(), "bwemu-bench-demo-"));
  const env = { ...process.env, OPENAI_API_KEY: undefined };
  const config = (out: string) => resolveConfig({}, { out, reporters: ["json"], cases: [CASE] }, env);
  const before = process.env.TIMING;
  process.env.TIMING = "1"; // the bundled bridge is a child process and inherits it
  try {
    // The demo, as `npm start` runs it (bundled reference bridge, its credentials, greeting on).
    const demo = await runTest({ config: config(join(dir, "demo")), bridge: "reference" });
    const ref = overheadOf(demo.result);
    const procMs = processingPerTurnMs(demo.bridgeOutput ?? []);

    // The pass-through bridge on the same suite, stub script and scenarios.
    const stub = await startRealtimeStubForRun({ ...RUN_STUB_OPTIONS, port: 0 });
    let pass: Overhead;
    try {
      const bridge = await spawnMeasurementBridge({ kind: "passthrough", realtimeUrl: stub.url });
      try {
        const cfg = config(join(dir, "pass"));
        pass = overheadOf((await runConformance({ config: { ...cfg, app: bridge.url }, appUrl: bridge.url, stub, label: "pass-through" })).result);
      } finally {
        await bridge.close();
      }
    } finally {
      await stub.close();
    }

    const err = ref.toleranceMs ?? NaN;
    const expected = pass.p50 === undefined || procMs === undefined ? undefined : pass.p50 + procMs;
    const off = ref.p50 === undefined || expected === undefined ? undefined : ref.p50 - expected;
    const minRef = ref.values.length ? Math.min(...ref.values) : undefined;
    const [l1] = loadavg();
    return {
      name: "demo-overhead: the reference bridge's B in the demo's suite ↔ the pass-through bridge's B + the reference bridge's own processing",
      lines: [
        `load average ${l1.toFixed(2)} (run on an idle machine: the check compares two runs)`,
        `demo (reference bridge): B p50 ${fmt(ref.p50)} ms, min ${fmt(minRef)} ms over ${ref.values.length} turns; stated error ±${fmt(ref.toleranceMs)} ms; calibration ${ref.calibrated ? "ok" : "off"}; verdict ${ref.verdict ?? "-"}`,
        `pass-through, same run: B p50 ${fmt(pass.p50)} ms over ${pass.values.length} turns (calibration ${pass.calibrated ? "ok" : "off"})`,
        `the reference bridge's own processing per turn (last frame up + first delta down, p50): ${procMs === undefined ? "-" : (procMs * 1000).toFixed(1)} µs`,
        `demo B p50 − (pass-through B p50 + processing): ${fmt(off)} ms (goal within ±${fmt(err)} ms)`,
      ],
      metrics: {
        demoP50Ms: ref.p50 ?? NaN,
        demoMinMs: minRef ?? NaN,
        demoTurns: ref.values.length,
        passthroughP50Ms: pass.p50 ?? NaN,
        referenceProcessingMs: procMs ?? NaN,
        differenceMs: off ?? NaN,
        statedErrorMs: err,
      },
      goal: {
        description: "the demo's B is non-negative within its stated error on every turn, and its p50 is within that error of the pass-through p50 plus the reference bridge's own processing",
        met: ref.calibrated && pass.calibrated && minRef !== undefined && minRef >= -err && off !== undefined && Math.abs(off) <= err,
      },
    };
  } finally {
    if (before === undefined) delete process.env.TIMING;
    else process.env.TIMING = before;
    await rm(dir, { recursive: true, force: true });
  }
}
