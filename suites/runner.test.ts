import { describe, expect, it } from "vitest";
import { baselineStatus, combineRepeats, judge, loadCases, scenariosFor, selectCases, type CaseVerdict } from "./runner.js";
import type { CaseContext, ConformanceCase, CaseOutcome } from "./types.js";
import { scenarios } from "./scenarios.js";
import { PUBLIC_PAGES } from "../emulator/references.js";
import { recordedContext } from "./recorded.js";

const ctx: CaseContext = recordedContext({ runs: { basic: [{}] } });

function fake(id: string, level: ConformanceCase["level"], outcome: CaseOutcome | (() => never)): ConformanceCase {
  return { id, level, title: id, expectation: `${id} holds`, docs: [], outcomes: "", scenarios: ["basic"], check: typeof outcome === "function" ? outcome : () => outcome };
}

describe("the case catalogue", () => {
  // The ids and levels are documented by docs/cases/, generated from these files (test/docs checks
  // the committed pages match); here: each id is well-formed, once, in the file of its group.
  it("has well-formed ids, each once, in its group's folder", async () => {
    const cases = await loadCases();
    expect(cases.length).toBeGreaterThan(40);
    for (const c of cases) expect(c.id).toMatch(/^(answer|stream|audio|bargein|events|lifecycle|latency|resilience)\.[a-z0-9-]+(\.[a-z0-9-]+)*$/);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it("every case declares scenarios that exist, known public pages and acceptable outcomes", async () => {
    for (const c of await loadCases()) {
      expect(c.scenarios.length, c.id).toBeGreaterThan(0);
      for (const s of c.scenarios) expect(scenarios[s], `${c.id} → ${s}`).toBeDefined();
      for (const u of c.docs) expect(PUBLIC_PAGES.has(u), `${c.id}: ${u}`).toBe(true);
      expect(c.outcomes.length, c.id).toBeGreaterThan(3);
    }
  });
});

describe("selection", () => {
  const all = [fake("stream.stop.closes-socket", "MUST", { verdict: "pass" }), fake("stream.media.malformed", "SHOULD", { verdict: "pass" }), fake("latency.turn", "SHOULD", { verdict: "pass" })];
  it("selects by glob and excludes by glob", () => {
    expect(selectCases(all, ["stream.*"]).selected.map((c) => c.id)).toEqual(["stream.stop.closes-socket", "stream.media.malformed"]);
    expect(selectCases(all, [], ["*.media.*"]).selected.map((c) => c.id)).toEqual(["stream.stop.closes-socket", "latency.turn"]);
    expect(selectCases(all, ["nothing.*"]).selected).toEqual([]);
  });
  it("places each scenario once", () => {
    expect(scenariosFor(all)).toEqual(["basic"]);
  });
});

describe("judging", () => {
  it("maps a SHOULD failure to non-strict and INFO outcomes to info", () => {
    expect(judge(fake("a.b", "SHOULD", { verdict: "fail", expected: "x", observed: "y" }), ctx).verdict).toBe("non-strict");
    expect(judge(fake("a.b", "MUST", { verdict: "fail" }), ctx).verdict).toBe("fail");
    expect(judge(fake("a.b", "INFO", { verdict: "pass" }), ctx).verdict).toBe("info");
    expect(judge(fake("a.b", "MUST", { verdict: "skipped" }), ctx).verdict).toBe("skipped");
  });
  it("gives every non-pass verdict an expected and an observed", () => {
    const v = judge(fake("a.b", "MUST", { verdict: "unimplemented", message: "no <StartStream>" }), ctx);
    expect(v.outcome).toMatchObject({ expected: "a.b holds", observed: "no <StartStream>" });
  });
  it("turns a check that throws into a harness error, never a bridge failure", () => {
    const v = judge(fake("a.b", "MUST", () => { throw new Error("boom"); }), ctx);
    expect(v.verdict).toBe("error");
    expect(v.outcome.message).toContain("boom");
  });
});

describe("exit codes and baselines", () => {
  const v = (id: string, verdict: CaseVerdict["verdict"]): CaseVerdict => ({ case: fake(id, "MUST", { verdict: "pass" }), verdict, outcome: { verdict: "pass" }, durationMs: 0 });
  it("an unexpected pass and a baselined failure are told apart (exit codes: reports/model.ts summarize)", () => {
    const baseline = { cases: { "a.a": { verdict: "fail" as const, reason: "known" } } };
    expect(baselineStatus("a.a", "fail", baseline)).toBe("expected");
    expect(baselineStatus("a.a", "pass", baseline)).toBe("unexpected-pass");
    expect(baselineStatus("a.a", "error", baseline)).toBe("new-failure");
    expect(baselineStatus("a.z", "fail", baseline)).toBeUndefined();
  });
  it("repeats keep the worst verdict and report the pass rate", () => {
    const r = combineRepeats([v("a.a", "pass"), v("a.a", "fail"), v("a.a", "pass"), v("a.a", "pass")]);
    expect(r.verdict).toBe("fail");
    expect(r.repeat).toEqual({ runs: 4, verdicts: ["pass", "fail", "pass", "pass"], passRate: 0.75 });
  });
});
