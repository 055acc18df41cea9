// The proof that sharding changes nothing but the wall time: the same cases run once unsharded and
// as three shards through the real CLI (`bwemu test --shard i/3`, then `bwemu merge-reports`),
// against a bundled bridge that fails two MUST cases (no-clear), so the verdicts include failures.
// The merged result equals the unsharded one verdict for verdict, with the same calls per scenario,
// the same latency samples (by call scenario and turn; the values are the shards' own, as a multiset)
// and the exit code from the merged verdicts. Cheap scenarios: one utterance each, plus barge-in.

import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveConfig } from "../../src/config.js";
import { runTest } from "../../src/run/index.js";
import { readBlob } from "../../src/run/blob.js";
import { percentiles, type LatencyMetric, type RunResult } from "../../reports/model.js";
import { validateRunResult } from "../../reports/validate.js";
import { hasStackTrace, runCli } from "../support/cli.js";

/** initiate-get, stream-rejected, unknown-event, bargein (shared) and upstream-error (exclusive). */
const CASES = "answer.method.get,events.rejected.accepted,stream.media.unknown-event,bargein.clear,bargein.no-stale-audio,resilience.upstream-error";
const BRIDGE = "no-clear";

const verdicts = (r: RunResult) => r.cases.map((c) => `${c.id} ${c.verdict}`);
const scenarioOf = (r: RunResult) => new Map(r.calls.map((c) => [c.callId, c.scenario ?? c.label ?? "?"]));
/** A metric's samples as sorted keys: the call's scenario and the turn (values vary from run to run). */
const sampleKeys = (r: RunResult, m: LatencyMetric | undefined) => {
  const sc = scenarioOf(r);
  return (m?.samples ?? []).map((s) => `${sc.get(s.callId)}#${s.turn ?? "-"}`).sort();
};
const sorted = <T>(xs: T[]) => [...xs].sort();

describe("a sharded run merged", () => {
  it("equals the unsharded run verdict for verdict, with every report written as one run writes it", async () => {
    const root = mkdtempSync(join(tmpdir(), "bwemu-shard-e2e-"));
    const single = await runTest({ config: resolveConfig({}, { cases: CASES.split(","), reporters: ["json", "junit"], out: join(root, "single") }, {}), bridge: BRIDGE });
    expect(single.result.summary.exitCode).toBe(1);

    for (const i of [1, 2, 3]) {
      const r = await runCli(["test", "--bridge", BRIDGE, "--cases", CASES, "--shard", `${i}/3`, "--out", join(root, `shard-${i}`)], { timeoutMs: 180_000 });
      expect(hasStackTrace(r), r.stderr).toBe(false);
      expect([0, 1], r.stdout + r.stderr).toContain(r.code);
      // Only the blob: per-shard reports would be partial.
      expect(readdirSync(join(root, `shard-${i}`))).toEqual([`bwemu-blob-${i}-of-3.json`]);
    }
    const blobs = await Promise.all([1, 2, 3].map((i) => readBlob(join(root, `shard-${i}`, `bwemu-blob-${i}-of-3.json`))));
    // Each shard ran its own scenarios: together, each of the run's scenarios exactly once.
    expect(sorted(blobs.flatMap((b) => b.plan.shardScenarios))).toEqual(sorted(blobs[0].plan.scenarios));
    expect(blobs.filter((b) => b.plan.shardScenarios.length > 0).length).toBe(3);

    const out = join(root, "merged");
    const m = await runCli(["merge-reports", ...[1, 2, 3].map((i) => join(root, `shard-${i}`)), "--out", out, "--reporter", "html,json,junit,sarif,markdown"], { timeoutMs: 60_000 });
    expect(m.stderr).toBe("");
    expect(m.code, m.stdout).toBe(1);
    expect(sorted(readdirSync(out))).toEqual(["index.json", "junit.xml", "report.html", "results.json", "results.sarif", "summary.md"]);
    const merged = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as RunResult;
    expect(validateRunResult(merged)).toEqual([]);

    // Verdict for verdict, in the same order, with the same summary and exit code.
    expect(verdicts(merged)).toEqual(verdicts(single.result));
    expect(merged.cases.filter((c) => c.verdict === "fail").map((c) => c.id)).toEqual(["bargein.clear", "bargein.no-stale-audio"]);
    expect(merged.summary).toEqual(single.result.summary);
    expect(merged.options).toEqual(single.result.options);
    // The same calls (by scenario), each case judged on as many calls, the same BXML linted.
    expect(sorted(merged.calls.map((c) => c.scenario))).toEqual(sorted(single.result.calls.map((c) => c.scenario)));
    expect(merged.cases.map((c) => c.callIds.length)).toEqual(single.result.cases.map((c) => c.callIds.length));
    expect(merged.lint.length).toBe(single.result.lint.length);

    // Latency: the merged samples are the shards' samples, as a multiset, and the percentiles are
    // recomputed over them (never averaged); the same samples (call scenario, turn) as the single run.
    for (const k of ["turn", "bridgeOverhead", "greeting", "bargein"] as const) {
      const fromShards = blobs.flatMap((b) => b.result.latency[k]?.samples ?? []);
      expect(sorted(merged.latency[k]!.samples.map((s) => JSON.stringify(s))), k).toEqual(sorted(fromShards.map((s) => JSON.stringify(s))));
      const values = fromShards.flatMap((s) => (s.valueMs === null ? [] : [s.valueMs]));
      expect(merged.latency[k]!.p95, k).toBe(percentiles(values).p95);
      expect(sampleKeys(merged, merged.latency[k]), k).toEqual(sampleKeys(single.result, single.result.latency[k]));
    }
    expect(merged.latency.turn!.n).toBeGreaterThan(0);
    expect(merged.latency.bargein!.samples.length).toBeGreaterThan(0);
    expect(merged.latency.jitterDown!.gaps.n).toBe(blobs.reduce((n, b) => n + b.raw.jitterGapsMs.length, 0));
    expect(merged.harness.schedulerLateness?.frames).toBe(blobs.reduce((n, b) => n + (b.result.harness.schedulerLateness?.frames ?? 0), 0));

    // The reports read the merged result: the failures in JUnit and SARIF, every case in the HTML.
    const count = (xml: string, tag: string) => (xml.match(new RegExp(`<${tag}[ >]`, "g")) ?? []).length;
    const junit = readFileSync(join(out, "junit.xml"), "utf8");
    const junitSingle = readFileSync(join(root, "single", "junit.xml"), "utf8");
    for (const tag of ["testcase", "failure", "skipped"]) expect(count(junit, tag), tag).toBe(count(junitSingle, tag));
    expect(count(junit, "failure")).toBeGreaterThan(0);
    const html = readFileSync(join(out, "report.html"), "utf8");
    for (const c of single.result.cases.filter((x) => x.verdict !== "skipped")) expect(html).toContain(c.id);
  });
});
