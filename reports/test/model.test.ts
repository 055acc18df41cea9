import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as model from "../model.js";
import { latencyMetric, percentiles, summarize, summariseFrames, VERDICTS, type CaseResult, type RecordedEvent, type RunResult } from "../model.js";
import { parseRunResult, RUN_RESULT_SCHEMA, RunResultError, validateRunResult } from "../validate.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/reports");
const read = (name: string) => JSON.parse(readFileSync(join(fixtures, `run-${name}.json`), "utf8")) as RunResult;

describe("run result schema", () => {
  it.each(["full", "hostile", "empty"])("fixture run-%s.json is valid", (name) => {
    expect(validateRunResult(read(name))).toEqual([]);
  });

  it("the fixtures exercise every field the schema defines, and every verdict", () => {
    type S = { $ref?: string; properties?: Record<string, S>; items?: S; additionalProperties?: boolean | S };
    const defs = RUN_RESULT_SCHEMA.$defs as Record<string, S>;
    const all = new Set<string>();
    const seen = new Set<string>();
    const walkSchema = (s: S, path: string, depth: number): void => {
      if (depth > 12) return;
      if (s.$ref) return walkSchema(defs[s.$ref.slice(8)], `#${s.$ref.slice(8)}`, depth + 1);
      if (s.items) walkSchema(s.items, `${path}[]`, depth + 1);
      for (const [k, p] of Object.entries(s.properties ?? {})) {
        all.add(`${path}/${k}`);
        walkSchema(p, `${path}/${k}`, depth + 1);
      }
    };
    const walkValue = (v: unknown, s: S, path: string): void => {
      if (s.$ref) return walkValue(v, defs[s.$ref.slice(8)], `#${s.$ref.slice(8)}`);
      if (Array.isArray(v) && s.items) for (const x of v) walkValue(x, s.items, `${path}[]`);
      else if (v && typeof v === "object" && s.properties)
        for (const [k, x] of Object.entries(v)) {
          if (!s.properties[k]) continue;
          seen.add(`${path}/${k}`);
          walkValue(x, s.properties[k], `${path}/${k}`);
        }
    };
    walkSchema(RUN_RESULT_SCHEMA as S, "", 0);
    for (const f of ["full", "hostile", "empty"]) walkValue(read(f), RUN_RESULT_SCHEMA as S, "");
    expect([...all].filter((p) => !seen.has(p))).toEqual([]);
    expect(new Set(read("full").cases.map((c) => c.verdict))).toEqual(new Set(VERDICTS));
  });

  it("locates every error with a JSON pointer", () => {
    const run = read("full") as unknown as Record<string, unknown> & RunResult;
    const bad = structuredClone(run) as unknown as { cases: Record<string, unknown>[]; summary: Record<string, unknown>; calls: Record<string, unknown>[]; schemaVersion: number; extra?: number };
    bad.cases[2].verdict = "passed";
    delete bad.cases[3].title;
    bad.cases[4].durationMs = -1;
    bad.calls[0].timeline = "nope";
    bad.extra = 1;
    bad.schemaVersion = 2;
    const errs = validateRunResult(bad);
    const paths = errs.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["/schemaVersion", "/extra", "/cases/2/verdict", "/cases/3/title", "/cases/4/durationMs", "/calls/0/timeline"]));
    expect(errs.find((e) => e.path === "/cases/2/verdict")!.message).toMatch(/one of "pass", "fail"/);
  });

  it("checks what a schema cannot: unique ids, counts, call references", () => {
    const run = structuredClone(read("full"));
    run.cases[1].id = run.cases[0].id;
    run.cases[0].callIds.push("c-missing");
    run.summary.counts.pass += 1;
    const errs = validateRunResult(run);
    expect(errs.map((e) => e.message).join("\n")).toMatch(/duplicate case id/);
    expect(errs.some((e) => e.path === "/summary/counts/pass")).toBe(true);
    expect(errs.some((e) => /no call "c-missing"/.test(e.message))).toBe(true);
  });

  it("parseRunResult throws a located RunResultError for bad JSON and bad shape", () => {
    expect(() => parseRunResult("{not json", "x.json")).toThrow(RunResultError);
    expect(() => parseRunResult("{not json", "x.json")).toThrow(/x\.json.*\n.*not JSON/);
    try {
      parseRunResult(JSON.stringify({ schemaVersion: 1 }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RunResultError);
      expect((e as RunResultError).errors.length).toBeGreaterThan(5);
      expect((e as Error).message).toMatch(/\/tool: is required/);
    }
  });

  it("bounds the error list on huge bad input", () => {
    const run = structuredClone(read("empty"));
    (run.cases as unknown[]) = Array.from({ length: 5000 }, () => ({}));
    expect(validateRunResult(run).length).toBeLessThanOrEqual(200);
  });
});

describe("model helpers", () => {
  it("percentiles are nearest-rank and flag small samples", () => {
    const p = percentiles(Array.from({ length: 100 }, (_, i) => 100 - i));
    expect([p.n, p.p50, p.p95, p.p99, p.min, p.max, p.mean, p.lowN]).toEqual([100, 50, 95, 99, 1, 100, 50.5, false]);
    expect(percentiles([])).toMatchObject({ n: 0, p50: null, p95: null, lowN: true });
    expect(percentiles([3, NaN, 1], 2)).toMatchObject({ n: 2, failures: 2, p50: 1, max: 3 });
    const m = latencyMetric([{ callId: "a", valueMs: 10 }, { callId: "a", valueMs: null }], { ms: 5, percentile: "p95" });
    expect(m).toMatchObject({ n: 1, failures: 1, budgetMs: 5, budgetPercentile: "p95" });
  });

  const c = (id: string, verdict: CaseResult["verdict"], baseline?: CaseResult["baseline"]): CaseResult => ({ id, group: "g", level: "MUST", title: "", expectation: "", source: "pitfall", outcomes: [], verdict, durationMs: 0, callIds: [], evidence: [], ...(baseline ? { baseline } : {}) });

  it("summarize applies the exit-code rules", () => {
    expect(summarize([c("a", "pass"), c("b", "info")], { strict: false }).exitCode).toBe(0);
    expect(summarize([c("a", "non-strict")], { strict: false }).exitCode).toBe(0);
    expect(summarize([c("a", "non-strict")], { strict: true })).toMatchObject({ exitCode: 1, newFailures: ["a"] });
    expect(summarize([c("a", "fail", "expected")], { strict: false })).toMatchObject({ exitCode: 0, newFailures: [] });
    expect(summarize([c("a", "error"), c("b", "pass", "unexpected-pass")], { strict: false })).toMatchObject({ exitCode: 3, unexpectedPasses: ["b"] });
    expect(summarize([c("a", "error"), c("b", "fail")], { strict: false }).exitCode).toBe(1);
    expect(summarize([c("a", "error", "expected"), c("b", "pass")], { strict: false }).exitCode).toBe(0);
    expect(summarize([c("a", "skipped"), c("b", "unimplemented")], { strict: true }).counts).toMatchObject({ skipped: 1, unimplemented: 1, pass: 0 });
  });

  it("summariseFrames collapses interleaved media, keeps other events and seq order, and is idempotent", () => {
    let seq = 0;
    const e = (kind: string, data: object, lane: RecordedEvent["lane"] = "carrier"): RecordedEvent => ({ seq: seq++, t: seq * 20_000, lane, kind, callId: "c", data });
    const events: RecordedEvent[] = [e("stream.connect", { ok: true })];
    for (let i = 1; i <= 50; i++) {
      events.push(e("ws.frame", { streamId: "s", direction: "out", eventType: "media", track: "inbound", bytes: 232, sequenceNumber: String(i) }));
      if (i % 5 === 0) events.push(e("ws.frame", { streamId: "s", direction: "in", eventType: "playAudio", bytes: 1000 }, "app"));
      if (i % 10 === 0) events.push(e("stub.event", { direction: "in", type: "input_audio_buffer.append" }, "stub"));
    }
    events.push(e("ws.frame", { streamId: "s", direction: "in", eventType: "clear", bytes: 21 }, "app"));
    events.push(e("ws.frame", { streamId: "s", direction: "out", eventType: "media", track: "inbound", bytes: 232, sequenceNumber: "51" }));
    const out = summariseFrames(events);
    const kinds = out.map((x) => x.kind);
    expect(kinds[0]).toBe("stream.connect");
    const media = out.find((x) => x.kind === "ws.frames" && (x.data as { eventType: string }).eventType === "media")!;
    expect(media.data).toMatchObject({ count: 50, bytes: 50 * 232, firstSequenceNumber: "1", lastSequenceNumber: "50", direction: "out", track: "inbound" });
    expect(out.filter((x) => x.kind === "ws.frames").length).toBe(2);
    expect(out.filter((x) => x.kind === "stub.event").length).toBe(5);
    expect(kinds.slice(-2)).toEqual(["ws.frame", "ws.frame"]); // clear, then a lone media frame
    const seqs = out.map((x) => x.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(summariseFrames(out)).toEqual(out);
  });
});

it("summariseFrames handles very long runs (no argument-spread limits)", () => {
  const events: RecordedEvent[] = Array.from({ length: 300_000 }, (_, i) => ({ seq: i, t: i * 20_000, lane: i % 2 ? "carrier" : "app", kind: i % 2 ? "ws.frame" : "audio.queued", callId: "c", data: { streamId: "s", direction: "out", eventType: "media", bytes: 1 } }));
  const out = summariseFrames(events);
  expect(out.length).toBe(150_001);
  expect(out[0].kind).toBe("audio.queued");
  expect(out[1]).toMatchObject({ kind: "ws.frames", data: { count: 150_000 } });
});

describe("exports", () => {
  it("exposes the helpers a runner needs", () => {
    expect(Object.keys(model)).toEqual(expect.arrayContaining(["SCHEMA_VERSION", "VERDICTS", "LEVELS", "REPORTERS", "percentiles", "latencyMetric", "summarize", "summariseFrames"]));
  });
});
