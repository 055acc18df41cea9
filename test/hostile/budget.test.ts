// False failures: bwemu must not blame the bridge for its own limits. A time budget that cannot fit
// the asked repetitions says so before and during the run, completed repetitions keep their
// verdicts, and a case whose data bwemu cut short is an `error` (exit 3), never a `fail`.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import bridgeOverhead from "../../suites/latency/bridge-overhead.js";
import { judge } from "../../suites/runner.js";
import type { CaseContext, CaseSettings } from "../../suites/types.js";
import { startHostileApp } from "./support/hostile-app.js";
import { checkOutputFiles, runBwemu } from "./support/run-bwemu.js";
import { closeAfterEach } from "../support/cleanup.js";

const closing = closeAfterEach();

const dir = mkdtempSync(join(tmpdir(), "bwemu-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configWithBudget(runMs: number): string {
  const file = join(dir, `budget-${runMs}.config.mjs`);
  writeFileSync(file, `export default { timeouts: { runMs: ${runMs} } };\n`);
  return file;
}

type Results = { cases: { id: string; verdict: string; message?: string; repeat?: { runs: number; passRate: number } }[]; harness: { warnings: string[] }; summary: { exitCode: number } };

describe("the run's time budget and --repeat", () => {
  it("a budget that fits fewer repetitions says so up front, runs only what fits, and keeps those verdicts", async () => {
    const app = closing(await startHostileApp({ initiate: "pause" }));
    const out = join(dir, "repeat");
    const r = await runBwemu(["test", "--app", app.url, "--stub-port", "0", "--cases", "answer.method.get", "--repeat", "6", "--config", configWithBudget(9000), "--reporter", "json,junit", "--out", out]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // Said before the first call, without a TTY (CI logs).
    const lines = r.stdout.split("\n");
    const note = lines.indexOf("note: 6 repetitions within a time budget of 9 s (timeouts.runMs); a repetition that cannot fit is not started");
    expect(note, r.stdout).toBeGreaterThanOrEqual(0);
    expect(lines.slice(0, note).some((l) => /\[\d+\/\d+/.test(l)), "no scenario finished before the note").toBe(false);
    expect(r.stdout).toMatch(/note: the time budget fits about \d of 6 repetitions \(the first took \d+ s\); raise timeouts\.runMs to run them all/);
    checkOutputFiles(out, ["results.json", "index.json", "junit.xml"]);
    const res = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as Results;
    const c = res.cases.find((x) => x.id === "answer.method.get")!;
    expect(c.verdict).toBe("pass");
    expect(c.repeat!.passRate).toBe(1);
    expect(c.repeat!.runs).toBeLessThan(6);
    expect(res.harness.warnings).toContainEqual(expect.stringMatching(new RegExp(`^${c.repeat!.runs} of 6 repetitions completed within the time budget \\(9 s, timeouts\\.runMs\\) and were judged; \\d not started`)));
  });

  it("a case whose calls the budget cut short is a harness error (exit 3), not a bridge failure", async () => {
    const app = closing(await startHostileApp({ initiate: "headers-then-nothing" }));
    const out = join(dir, "cut");
    const r = await runBwemu(["test", "--app", app.url, "--stub-port", "0", "--cases", "answer.method.get", "--config", configWithBudget(1500), "--reporter", "json", "--out", out]);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    checkOutputFiles(out, ["results.json", "index.json"]);
    const res = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as Results;
    const c = res.cases.find((x) => x.id === "answer.method.get")!;
    expect(c.verdict).toBe("error");
    expect(c.message).toMatch(/^not judged: the run's time budget \(2 s, timeouts\.runMs\) ended scenario initiate-get, so the data is incomplete/);
  });

  it("latency.bridge-overhead with no turn measured because bwemu cut the calls: error, never fail", () => {
    const settings = { realtime: "stub", overheadP95Ms: 50, turnExtraP95Ms: 150 } as CaseSettings;
    const run = (cutShort?: string): CaseContext => ({ settings, run: (id) => ({ scenario: id, calls: [], cutShort }) });
    // No call at all is the harness's (the case's preconditions say so before any figure is read).
    expect(judge(bridgeOverhead, run()).outcome).toMatchObject({ verdict: "error", message: "scenario basic placed no call" });
    const v = judge(bridgeOverhead, run("the run's time budget (300 s, timeouts.runMs) ended scenario basic in repetition 10"));
    expect(v.verdict).toBe("error");
    expect(v.outcome.message).toBe(
      "not judged: the run's time budget (300 s, timeouts.runMs) ended scenario basic in repetition 10, so the data is incomplete (it would have read: scenario basic placed no call)",
    );
  });
});
