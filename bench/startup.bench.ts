// Start-up of the compiled CLI (bin/bwemu.js → dist/) as a user's shell meets it: `bwemu --version`
// and `bwemu lint` of one file, each as a ratio to a bare `node -e 0` measured in the same run,
// interleaved so the shared machine's noise falls on all three alike. Goal: --version ≤ 3× Node.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import type { BenchReport } from "./types.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin/bwemu.js");

/** Wall time of one process run, in ms; throws when it fails unexpectedly. */
function once(args: string[], cwd: string, okCodes = [0]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
  const ms = performance.now() - t0;
  if (!okCodes.includes(r.status ?? -1)) throw new Error(`node ${args.join(" ")} exited ${r.status ?? r.signal}`);
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function bench(): Promise<BenchReport> {
  let built = "dist/ as found";
  if (!existsSync(join(root, "dist/src/cli/main.js"))) {
    const b = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
    if (b.status !== 0) throw new Error("npm run build failed");
    built = "dist/ built for this run";
  }
  const dir = mkdtempSync(join(tmpdir(), "bwemu-startup-"));
  try {
    writeFileSync(join(dir, "answer.xml"), '<Response>\n  <StartStream name="agent" destination="wss://bridge.example.com/ws"/>\n  <StopStream name="agent" wait="true"/>\n</Response>\n');
    const runs: Record<"node" | "version" | "lint", [string[], number[]]> = {
      node: [["-e", "0"], []],
      version: [[bin, "--version"], []],
      lint: [[bin, "lint", "answer.xml"], []],
    };
    for (const [args] of Object.values(runs)) once(args, dir); // warm the file cache
    const rounds = 15;
    for (let i = 0; i < rounds; i++) for (const [args, times] of Object.values(runs)) times.push(once(args, dir));
    const node = median(runs.node[1]);
    const version = median(runs.version[1]);
    const lint = median(runs.lint[1]);
    const versionRatio = version / node;
    const lintRatio = lint / node;
    const met = versionRatio <= 3;
    return {
      name: "startup",
      lines: [
        `medians of ${rounds} interleaved runs each (${built}); load average ${loadavg().map((x) => x.toFixed(1)).join(" ")} on ${availableParallelism()} cores`,
        `node -e 0: ${node.toFixed(0)} ms`,
        `bwemu --version: ${version.toFixed(0)} ms = ${versionRatio.toFixed(2)}× bare Node (goal ≤ 3×)`,
        `bwemu lint answer.xml: ${lint.toFixed(0)} ms = ${lintRatio.toFixed(2)}× bare Node`,
      ],
      metrics: { nodeMs: node, versionMs: version, lintMs: lint, versionRatio, lintRatio },
      goal: { description: "bwemu --version within 3× of `node -e 0`", met },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
