// The Artillery engine (packages/artillery-engine-bwemu) under a real `artillery run`: each virtual
// user is one bwemu call to the reference bridge (a child process) with the stub behind it; the
// metrics Artillery reports are bwemu's.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REPO } from "../support/cli.js";

const ARTILLERY = createRequire(join(REPO, "package.json")).resolve("artillery/bin/run");

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function artillery(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ARTILLERY, ...args], { cwd: REPO, env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: "true", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`artillery did not finish; output:\n${out}`))), 420_000);
    child.on("close", (code) => (clearTimeout(timer), resolve({ code, out })));
  });
}

describe("artillery-engine-bwemu", () => {
  it("artillery run: each virtual user is a bwemu call; turn latency, bridge overhead and pacing lateness come out as Artillery metrics", { timeout: 480_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), "bwemu-artillery-"));
    const script = join(dir, "calls.yml");
    await writeFile(
      script,
      [
        "config:",
        '  target: "http://127.0.0.1:9/unused-with-bridge"',
        "  phases:",
        "    - duration: 2",
        "      arrivalRate: 1",
        "  engines:",
        "    bwemu:",
        "      bridge: reference",
        "      hangupAfter: 1s",
        "scenarios:",
        "  - name: one turn",
        "    engine: bwemu",
        "    bwemu:",
        "      turns: 1",
        "",
      ].join("\n"),
    );
    const report = join(dir, "report.json");
    const r = await artillery(["run", "--output", report, script]);
    expect(r.code, r.out).toBe(0);
    const { aggregate } = JSON.parse(await readFile(report, "utf8")) as { aggregate: { counters: Record<string, number>; summaries: Record<string, { count: number; p50: number }> } };
    const c = aggregate.counters;
    expect(c["vusers.created"]).toBe(2);
    expect(c["vusers.completed"]).toBe(2);
    expect(c["bwemu.calls.completed"]).toBe(2);
    expect(c["bwemu.calls.failed"]).toBeUndefined();
    // Every call reports bwemu's own lateness; every measured turn its latency (a turn the harness could
    // not measure soundly on an overloaded box is left out, never invented, but of two calls' turns at
    // least one is measured).
    expect(aggregate.summaries["bwemu.pacing_lateness_p99"].count).toBe(2);
    const turns = c["bwemu.turns"] ?? 0;
    expect(turns).toBeGreaterThanOrEqual(1);
    expect(aggregate.summaries["bwemu.turn_latency"].count).toBe(turns);
    expect(aggregate.summaries["bwemu.bridge_overhead"]?.count ?? 0).toBeLessThanOrEqual(turns);
    expect(aggregate.summaries["bwemu.turn_latency"].p50).toBeGreaterThan(0);
    // Each call carried its signature and heard no other call's.
    expect(c["bwemu.failed.cross-talk"]).toBeUndefined();
    expect(r.out).toMatch(/bwemu\.turn_latency|bwemu\.turns/);
  });
});
