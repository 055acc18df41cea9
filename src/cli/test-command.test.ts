// `bwemu test` runs as CI sees them (stdout a pipe): a progress line per finished scenario with
// counts, baselined failures shown as expected (dimmed), colour only when forced, and an app that
// comes up late waited for with --wait-for-app. Real bundled bridge, real sockets.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { hasStackTrace, runCli } from "../../test/support/cli.js";
import type { RunResult } from "../../reports/model.js";
import { colorsFor } from "./colors.js";
import { printSummary } from "./summary.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bwemu-test-cmd-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ESC = "\u001b[";

it("prints progress with counts into a pipe and shows the baseline's failures as expected", async () => {
  const baseline = join(dir, "baseline.json");
  writeFileSync(baseline, JSON.stringify({ cases: { "bargein.clear": { verdict: "fail", reason: "no-clear never sends clear" } } }));
  const out = join(dir, "report");
  const args = ["test", "--bridge", "no-clear", "--cases", "answer.http.status,bargein.clear", "--baseline", baseline, "--reporter", "json", "--out", out];
  const r = await runCli(args, { env: { FORCE_COLOR: "1" }, timeoutMs: 180_000 });
  expect(r.code, r.stderr).toBe(0); // the only failure is the baseline's
  expect(hasStackTrace(r)).toBe(false);
  const plain = r.stdout.replace(/\u001b\[\d+m/g, "");
  expect(plain).toMatch(/^2 cases, 2 scenarios$/m);
  const progress = plain.split("\n").filter((l) => /^ {2}\S \[\d+\/2\] /.test(l));
  expect(progress.map((l) => /\[(\d+)\/2\]/.exec(l)![1])).toEqual(["1", "2"]);
  expect(progress.join("\n")).toMatch(/\[\d\/2\] bargein \(1 call, \d+\.\d s\)/);
  // Expected by the baseline: dimmed, marked, not painted like a failure.
  const line = r.stdout.split("\n").find((l) => l.includes("bargein.clear"))!;
  expect(line.startsWith(`${ESC}2m`)).toBe(true);
  expect(line).toContain("fail (expected, baseline: no-clear never sends clear)");
  expect(line).not.toContain(`${ESC}31m`);
  expect(plain).toMatch(/baseline: 1 expected, 0 new, 0 unexpected passes/);
  expect(plain).not.toMatch(/observed: no clear/); // the expected failure's details stay in the report

  // The same summary without colour (NO_COLOR): no escape at all.
  const result = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as RunResult;
  const sink = new PassThrough();
  let text = "";
  sink.on("data", (d: Buffer) => (text += d.toString()));
  printSummary(sink, { result, verdicts: [], exitCode: 0, reports: [] }, { colors: colorsFor({ isTTY: true }, { NO_COLOR: "1" }) });
  expect(text).toMatch(/ {2}✗ bargein\.clear +MUST +fail \(expected, baseline: no-clear never sends clear\)/);
  expect(text).not.toContain("\u001b");
}, 200_000);

it("--wait-for-app waits for an app that starts listening late", async () => {
  // A placeholder app (every request 404) that listens only after the run has started waiting.
  const app: Server = createServer((_req, res) => res.writeHead(404).end());
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  let started = false;
  try {
    const run = runCli(["test", "--app", `http://127.0.0.1:${port}/voice`, "--stub-port", "0", "--wait-for-app", "60s", "--cases", "answer.http.status", "--reporter", "json", "--out", join(dir, "late")], {
      timeoutMs: 180_000,
      onSpawn: (child) =>
        child.stdout!.on("data", (d: Buffer) => {
          if (!started && d.toString().includes("waiting up to 60 s for the app")) {
            started = true;
            app.listen(port, "127.0.0.1");
          }
        }),
    });
    const r = await run;
    expect(started).toBe(true);
    expect(r.stdout).toMatch(new RegExp(`waiting up to 60 s for the app at http://127\\.0\\.0\\.1:${port}/voice \\(connection refused\\)`));
    expect(r.stdout).toMatch(new RegExp(`bridge http://127\\.0\\.0\\.1:${port}/voice`));
    expect(r.stdout).toMatch(/✘ answer\.http\.status/); // the app answered (404), so the suite ran and judged it
    expect(r.code).toBe(1);
  } finally {
    app.close();
  }
}, 200_000);
