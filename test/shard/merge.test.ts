// Merging shards (src/run/merge.ts, blob.ts, merge-reports.ts): a run described once, split as
// `--shard` splits it, merged back: the merge equals the whole (figures from merged samples and the
// merged pacing histogram, never averaged percentiles), and every bad set of blobs is named.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { percentiles, type RunResult } from "../../reports/model.js";
import { validateRunResult } from "../../reports/validate.js";
import { pacingWarning } from "../../src/run/call-checks.js";
import { BlobError, readBlob, writeBlob, type ShardBlob } from "../../src/run/blob.js";
import { mergeBlobs, type ShardInput } from "../../src/run/merge.js";
import { findBlobs, mergeReports } from "../../src/run/merge-reports.js";
import { hasStackTrace, runCli } from "../support/cli.js";
import { shardBlobs, wholeResult, type WholeRun } from "./blobs.js";

const late = (n: number, us: number) => Array.from({ length: n }, (_, i) => us + (i % 7) * 13);

const RUN: WholeRun = {
  total: 3,
  shardOf: { basic: 1, "unknown-event": 2, bargein: 2, "upstream-error": 3 },
  cases: [
    { id: "answer.a", verdict: "pass", scenarios: ["basic"] },
    { id: "stream.b", verdict: "fail", scenarios: ["unknown-event"] },
    { id: "bargein.y", verdict: "pass", scenarios: ["bargein", "unknown-event"] },
    { id: "latency.turn", verdict: "pass", scenarios: ["basic"], level: "SHOULD" },
    { id: "resilience.c", verdict: "non-strict", scenarios: ["upstream-error"], level: "SHOULD" },
  ],
  excluded: [{ id: "stream.x", scenarios: ["unknown-event"] }],
  calls: [
    { callId: "c-1", scenario: "basic", turns: [100, 300, 500], gaps: [20, 20, 40], lateUs: late(500, 200) },
    { callId: "c-3", scenario: "unknown-event", lateUs: late(40, 9_000) },
    { callId: "c-2", scenario: "bargein", turns: [900, 120, null], gaps: [20, 60], lateUs: late(500, 300) },
    { callId: "c-4", scenario: "upstream-error", lateUs: late(300, 100) },
  ],
  calibration: { ok: true },
};

/** What may differ between a merged run and one run: the wall times and the run-level warnings. */
const comparable = (r: RunResult) => ({ ...r, startedAt: "", finishedAt: "", durationMs: 0, harness: { ...r.harness, warnings: [] } });

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof BlobError ? `${e.code}: ${e.message}` : `not a BlobError: ${String(e)}`;
  }
  return "no error";
};

describe("mergeBlobs", () => {
  it("rebuilds the whole run from its shards: verdicts, calls, samples, percentiles, pacing histogram", () => {
    const whole = wholeResult(RUN);
    const merged = mergeBlobs(shardBlobs(RUN));
    expect(validateRunResult(merged)).toEqual([]);
    expect(comparable(merged)).toEqual(comparable(whole));
    expect(merged.summary.exitCode).toBe(1);
    // Not the average of the shards' figures: shard 1's turn p95 is 500, shard 2's 900.
    expect(merged.latency.turn!.p95).toBe(900);
    expect(merged.latency.turn!.p50).toBe(percentiles([100, 300, 500, 900, 120]).p50);
    expect(merged.latency.turn!.failures).toBe(1);
    expect(merged.harness.schedulerLateness).toEqual(whole.harness.schedulerLateness);
    // The excluded case still names the calls of its scenario, which ran in shard 2.
    expect(merged.cases.find((c) => c.id === "stream.x")!.callIds).toEqual(["c-3"]);
  });

  it("recomputes bwemu's pacing warning over the merged histogram and keeps every other warning", () => {
    const shards = shardBlobs(RUN);
    const merged = mergeBlobs(shards);
    const whole = wholeResult(RUN);
    expect(merged.harness.warnings[0]).toBe(pacingWarning({ count: whole.harness.schedulerLateness!.frames!, ...whole.harness.schedulerLateness! }));
    // Shard 2's own pacing was late (9 ms) and said so; the merged run (p99 of all frames) says it once, with the merged figures.
    expect(shards[1].blob.result.harness.warnings[0]).toMatch(/pacing was late/);
    expect(merged.harness.warnings.filter((w) => /pacing was late/.test(w))).toEqual(merged.harness.warnings[0] ? [merged.harness.warnings[0]] : []);
    expect(merged.harness.warnings).toEqual(expect.arrayContaining(["a note from a run with 1 calls", "a note from a run with 2 calls"]));
  });

  it("withholds turn latency and bridge overhead when the calibration was off, as one run does", () => {
    const run = { ...RUN, calibration: { ok: false, reason: "B read 3 ms" } };
    const merged = mergeBlobs(shardBlobs(run));
    expect(merged.latency.calibration).toMatchObject({ ok: false, reason: "B read 3 ms" });
    expect(merged.latency.turn).toBeUndefined();
    expect(merged.latency.bridgeOverhead).toBeUndefined();
    expect(comparable(merged)).toEqual(comparable(wholeResult(run)));
  });

  it("puts calls in repetition order, then scenario order", () => {
    const run: WholeRun = {
      ...RUN,
      calls: [
        { callId: "r0-basic", scenario: "basic", rep: 0 },
        { callId: "r0-ue", scenario: "unknown-event", rep: 0 },
        { callId: "r1-basic", scenario: "basic", rep: 1 },
        { callId: "r1-ue", scenario: "unknown-event", rep: 1 },
      ],
    };
    expect(mergeBlobs(shardBlobs(run)).calls.map((c) => c.callId)).toEqual(["r0-basic", "r0-ue", "r1-basic", "r1-ue"]);
  });

  it("without every pacing histogram, states an upper bound (the largest shard percentile), never an average", () => {
    const shards = shardBlobs(RUN).map((s) => ({ ...s, blob: { ...s.blob, raw: { ...s.blob.raw, schedulerHistogram: undefined } } }));
    const merged = mergeBlobs(shards);
    const p99s = shards.map((s) => s.blob.result.harness.schedulerLateness!.p99Us);
    expect(merged.harness.schedulerLateness!.p99Us).toBe(Math.max(...p99s));
    expect(merged.harness.schedulerLateness!.frames).toBe(1340);
  });

  describe("names what is wrong with the set of blobs", () => {
    const shards = shardBlobs(RUN);
    const edit = (i: number, f: (b: ShardBlob) => ShardBlob): ShardInput[] => shards.map((s, k) => (k === i ? { ...s, blob: f(structuredClone(s.blob)) } : s));

    it("a missing shard", () => {
      expect(code(() => mergeBlobs([shards[0], shards[2]]))).toBe(
        "SHARD_MISSING: shard 2/3 is missing (found 1/3, 3/3): did that job fail before writing its blob, or its artifact not download? [SHARD_MISSING]",
      );
      expect(code(() => mergeBlobs([shards[0]]))).toMatch(/^SHARD_MISSING: shard 2\/3, shard 3\/3 are missing/);
      expect(code(() => mergeBlobs([]))).toMatch(/^BLOB_NONE/);
    });

    it("a shard given twice", () => {
      expect(code(() => mergeBlobs([...shards, { ...shards[1], path: "other/bwemu-blob-2-of-3.json" }]))).toBe(
        "SHARD_DUPLICATE: shard 2/3 was given twice: blobs/bwemu-blob-2-of-3.json and other/bwemu-blob-2-of-3.json (two runs' artifacts in one folder?) [SHARD_DUPLICATE]",
      );
    });

    it("blobs of different shardings, bwemu versions, settings or catalogues", () => {
      expect(code(() => mergeBlobs(edit(2, (b) => ({ ...b, shard: { index: 3, total: 4 } }))))).toMatch(/^SHARD_MISMATCH: the blobs come from different shardings: .*bwemu-blob-3-of-3.json is shard 3\/4/);
      expect(code(() => mergeBlobs(edit(1, (b) => ({ ...b, bwemu: "0.0.9" }))))).toMatch(/^SHARD_MISMATCH: the shards were run by different bwemu versions: .*\(shard 2\/3\): 0.0.9/);
      expect(code(() => mergeBlobs(edit(2, (b) => ({ ...b, config: { ...b.config, strict: true } }))))).toMatch(
        /^SHARD_MISMATCH: the shards were run with different settings: strict is false in shard 1\/3 \(blobs\/bwemu-blob-1-of-3.json\) but true in shard 3\/3/,
      );
      expect(code(() => mergeBlobs(edit(1, (b) => ({ ...b, plan: { ...b.plan, selected: [...b.plan.selected, "answer.new"] } }))))).toMatch(/^SHARD_MISMATCH: .*different case catalogues \(plan.selected differs\)/);
    });

    it("a case judged twice, or by no shard", () => {
      const twice = edit(1, (b) => ({ ...b, result: { ...b.result, cases: [...b.result.cases, shards[0].blob.result.cases[0]] } }));
      expect(code(() => mergeBlobs(twice))).toMatch(/^SHARD_DUPLICATE: case answer.a was judged by both shard 1\/3 and shard 2\/3/);
      const none = edit(2, (b) => ({ ...b, result: { ...b.result, cases: [] } }));
      expect(code(() => mergeBlobs(none))).toMatch(/^SHARD_MISSING: no shard judged 1 case\(s\): resilience.c/);
    });
  });
});

describe("blob files", () => {
  const dir = mkdtempSync(join(tmpdir(), "bwemu-blob-"));
  const [one, two, three] = shardBlobs(RUN).map((s) => s.blob);

  it("round-trip: what is written is read back as it was", async () => {
    const path = await writeBlob(join(dir, "rt"), one);
    expect(path).toBe(join(dir, "rt", "bwemu-blob-1-of-3.json"));
    expect(await readBlob(path)).toEqual(JSON.parse(JSON.stringify(one)));
  });

  it("a damaged blob is located: the file, and the line and column or the JSON Pointer", async () => {
    const path = await writeBlob(join(dir, "bad"), two);
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
    await expect(readBlob(path)).rejects.toThrow(new RegExp(`^${path}: not JSON \\(a truncated or damaged artifact\\?\\): .*line \\d+, column \\d+.*\\[BLOB_CORRUPT\\]$`, "s"));
    writeFileSync(path, text.replace('"verdict": "fail"', '"verdict": "maybe"'));
    await expect(readBlob(path)).rejects.toThrow(/\/result\/cases\/0\/verdict: must be one of/);
    writeFileSync(path, JSON.stringify({ ...two, shard: { index: 4, total: 3 } }));
    await expect(readBlob(path)).rejects.toThrow(/\/shard\/index: must be a whole number from 1 to \/shard\/total/);
    writeFileSync(path, text.slice(0, text.lastIndexOf("}")));
    await expect(readBlob(path)).rejects.toThrow(/not JSON .*\(at the end: line \d+; the file is cut short\)|line \d+, column \d+/);
    writeFileSync(path, JSON.stringify({ ...two, config: { ...two.config, repeat: "3" } }));
    await expect(readBlob(path)).rejects.toThrow(/\/config\/repeat: must be a number/);
    writeFileSync(path, JSON.stringify({ ...two, formatVersion: 2, bwemu: "9.0.0" }));
    await expect(readBlob(path)).rejects.toThrow(/blob format 2 \(written by bwemu 9.0.0\); this bwemu .* reads format 1: merge with the bwemu that ran the shards \[BLOB_VERSION\]/);
    writeFileSync(path, JSON.stringify(two.result));
    await expect(readBlob(path)).rejects.toThrow(/not a bwemu blob result/);
    await expect(readBlob(join(dir, "nothing.json"))).rejects.toThrow(/nothing.json: no such file \[BLOB_UNREADABLE\]/);
  });

  it("finds the blobs in folders, each file once; a folder without any is an error", async () => {
    const all = join(dir, "all");
    for (const b of [one, two, three]) await writeBlob(all, b);
    const found = await findBlobs([all, join(all, "bwemu-blob-2-of-3.json")]);
    expect(found.map((f) => f.slice(all.length + 1))).toEqual(["bwemu-blob-1-of-3.json", "bwemu-blob-2-of-3.json", "bwemu-blob-3-of-3.json"]);
    await mkdir(join(dir, "empty"));
    await expect(findBlobs([join(dir, "empty")])).rejects.toThrow(/empty: no blob results in it .*\[BLOB_NONE\]/);
  });

  it("mergeReports writes every report from the merged result, exit code from the merged verdicts", async () => {
    const all = join(dir, "m");
    for (const b of [three, one, two]) await writeBlob(all, b);
    const out = join(dir, "report");
    const o = await mergeReports({ inputs: [all], outDir: out, reporters: ["json", "junit", "markdown"] });
    expect(o.exitCode).toBe(1);
    expect(o.reports.map((r) => r.reporter)).toEqual(["json", "json-index", "junit", "markdown"]);
    const written = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as RunResult;
    expect(written.cases.map((c) => `${c.id} ${c.verdict}`)).toEqual(["answer.a pass", "stream.b fail", "bargein.y pass", "latency.turn pass", "resilience.c non-strict", "stream.x skipped"]);
  });

  it("the CLI: a missing shard is exit 2 with the shard named, no stack trace", async () => {
    const some = join(dir, "some");
    for (const b of [one, three]) await writeBlob(some, b);
    const r = await runCli(["merge-reports", some, "--out", join(dir, "cli-out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bwemu: shard 2\/3 is missing \(found 1\/3, 3\/3\).*\[SHARD_MISSING\]\n$/);
    expect(hasStackTrace(r)).toBe(false);
    const bad = await runCli(["test", "--bridge", "reference", "--shard", "4/3"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--shard 4/3: the shard number must be 1 to 3");
  }, 120_000);
});
