// The Artillery engine's overhead: the same load through `artillery run` with artillery-engine-bwemu
// and through `bwemu load`, same echo app (its own process), same calls, same arrival rate, same call
// length. Each tool runs as a child under /usr/bin/time; the figure is marginal CPU per call-second
// (a large run minus a small one of the same tool), so each tool's start-up (Artillery's own loading,
// the source transpile both share in this repository) cancels out. Goal: Artillery within 1.2× of
// `bwemu load`.
//
//   npm run bench -- artillery        four runs, ~1.5 min; BWEMU_BENCH_CALLS (40), BWEMU_BENCH_CALL_S (8)

import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEchoApp } from "./load.bench.js";
import type { BenchReport } from "./types.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const ARTILLERY = createRequire(join(ROOT, "package.json")).resolve("artillery/bin/run");
const TSX = createRequire(join(ROOT, "package.json")).resolve("tsx");

const num = (v: string | undefined, d: number) => (v !== undefined && Number(v) > 0 ? Number(v) : d);
const CALLS = num(process.env.BWEMU_BENCH_CALLS, 40);
const CALL_S = num(process.env.BWEMU_BENCH_CALL_S, 8);
/** Calls started per second (both tools); the small run places 2. */
const RATE = 10;
const SMALL = 2;

interface Usage {
  cpuS: number;
  wallS: number;
}

/** Run a command under /usr/bin/time; its user + system CPU (children included) and wall time. */
async function timed(dir: string, args: string[]): Promise<Usage> {
  const out = join(dir, `time-${Math.random().toString(36).slice(2)}.txt`);
  let log = "";
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "%U %S %e", "-o", out, process.execPath, ...args], {
      cwd: ROOT,
      env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: "true", NO_COLOR: "1", OPENAI_API_KEY: undefined },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    child.stderr.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`${args.join(" ")} did not finish:\n${log}`))), 300_000);
    child.on("error", reject);
    child.on("close", (c) => (clearTimeout(timer), resolve(c)));
  });
  if (code !== 0) throw new Error(`exit ${code}: ${args.slice(0, 4).join(" ")}…\n${log}`);
  const [user, sys, wall] = (await readFile(out, "utf8")).trim().split(/\s+/).slice(-3).map(Number);
  return { cpuS: user + sys, wallS: wall };
}

function bwemuLoad(dir: string, appUrl: string, calls: number): Promise<Usage> {
  return timed(dir, ["--import", TSX, join(ROOT, "src/cli/main.ts"), "load", "--app", appUrl, "--calls", String(calls), "--rate", `${RATE}/s`, "--turns", "0", "--call-duration", `${CALL_S}s`, "--out", join(dir, `load-${calls}`), "--json"]);
}

async function artillery(dir: string, appUrl: string, calls: number): Promise<Usage> {
  const script = join(dir, `artillery-${calls}.yml`);
  // `calls` arrivals spread over the seconds RATE needs.
  const seconds = Math.ceil(calls / RATE);
  await writeFile(
    script,
    [
      "config:",
      `  target: "${appUrl}"`,
      "  phases:",
      `    - duration: ${seconds}`,
      `      arrivalCount: ${calls}`,
      "  engines:",
      "    bwemu: {}",
      "scenarios:",
      "  - engine: bwemu",
      "    bwemu:",
      "      turns: 0",
      `      callDuration: ${CALL_S}s`,
      "",
    ].join("\n"),
  );
  return timed(dir, [ARTILLERY, "run", "--output", join(dir, `artillery-${calls}.json`), script]);
}

export default async function artilleryOverhead(): Promise<BenchReport> {
  const dir = await mkdtemp(join(tmpdir(), "bwemu-bench-artillery-"));
  const app = await startEchoApp();
  try {
    const url = `http://127.0.0.1:${app.port}/voice`;
    const callSeconds = (n: number) => n * CALL_S;
    const loadSmall = await bwemuLoad(dir, url, SMALL);
    const loadBig = await bwemuLoad(dir, url, CALLS);
    const artSmall = await artillery(dir, url, SMALL);
    const artBig = await artillery(dir, url, CALLS);
    const report = JSON.parse(await readFile(join(dir, `artillery-${CALLS}.json`), "utf8")) as { aggregate: { counters: Record<string, number> } };
    const completed = report.aggregate.counters["bwemu.calls.completed"] ?? 0;
    const marginal = (big: Usage, small: Usage) => (big.cpuS - small.cpuS) / (callSeconds(CALLS) - callSeconds(SMALL));
    const load = marginal(loadBig, loadSmall);
    const art = marginal(artBig, artSmall);
    const ratio = art / load;
    const f = (v: number) => v.toFixed(4);
    return {
      name: `artillery: the same load through artillery-engine-bwemu and through bwemu load (${CALLS} calls of ${CALL_S} s at ${RATE}/s, echo app)`,
      lines: [
        `bwemu load: ${loadSmall.cpuS.toFixed(2)} s CPU for ${SMALL} calls, ${loadBig.cpuS.toFixed(2)} s for ${CALLS} (wall ${loadBig.wallS.toFixed(1)} s) → ${f(load)} core-s per call-second`,
        `artillery:  ${artSmall.cpuS.toFixed(2)} s CPU for ${SMALL} calls, ${artBig.cpuS.toFixed(2)} s for ${CALLS} (wall ${artBig.wallS.toFixed(1)} s; ${completed} calls completed) → ${f(art)} core-s per call-second`,
        `start-up, each tool's small run: bwemu load ${loadSmall.cpuS.toFixed(2)} s CPU, artillery ${artSmall.cpuS.toFixed(2)} s CPU (cancelled out above)`,
        `ratio artillery / bwemu load: ${ratio.toFixed(2)}× (goal ≤ 1.2×)`,
        `load average ${loadavg().map((v) => v.toFixed(1)).join(" ")} (shared machine: figures include its noise)`,
      ],
      metrics: { calls: CALLS, callSeconds: CALL_S, loadCpuPerCallS: load, artilleryCpuPerCallS: art, ratio, artilleryCompleted: completed },
      goal: { description: "the same load through Artillery within 1.2× of bwemu load's CPU (marginal, per call-second)", met: completed === CALLS && ratio <= 1.2 },
    };
  } finally {
    app.child.kill("SIGTERM");
    await rm(dir, { recursive: true, force: true });
  }
}
