// Splitting a run into shards (src/run/shard.ts): pure, over the real case catalogue and small plans.
import { describe, expect, it } from "vitest";
import { loadCases } from "../../suites/runner.js";
import type { ScenarioId } from "../../suites/scenarios.js";
import { groupScenarios, parseShard, planShards, type PlannedCase } from "../../src/run/shard.js";

const CALIBRATED = new Set(["latency.bridge-overhead", "latency.turn"]);
const calibrated = (id: string) => CALIBRATED.has(id);

describe("--shard i/n", () => {
  it("parses i/n and refuses what is not a shard of a run", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, total: 3 });
    expect(parseShard(" 1 / 1 ")).toEqual({ index: 1, total: 1 });
    for (const bad of ["0/3", "4/3", "3", "1/0", "a/b", "1/2/3", "-1/2", "1.5/3", "1/1001"]) expect(() => parseShard(bad), bad).toThrow(/--shard/);
    expect(() => parseShard("4/3")).toThrow("the shard number must be 1 to 3");
  });
});

describe("planShards over the case catalogue", async () => {
  const cases = await loadCases();
  const scenarioIds = [...new Set(cases.flatMap((c) => c.scenarios))];

  for (const n of [1, 2, 3, 4, 7, 20]) {
    it(`${n} shard(s): every case judged once, in the shard that runs all its scenarios; every scenario placed once`, () => {
      const parts = planShards(cases, n, { calibrated });
      expect(parts.map((p) => p.index)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(parts.flatMap((p) => p.cases).sort()).toEqual(cases.map((c) => c.id).sort());
      expect(parts.flatMap((p) => p.scenarios).sort()).toEqual([...scenarioIds].sort());
      for (const p of parts) {
        for (const id of p.cases) {
          const c = cases.find((x) => x.id === id)!;
          for (const s of c.scenarios) expect(p.scenarios, `${id} reads ${s}`).toContain(s);
        }
      }
      // The calibration runs once, where the cases that need it are judged.
      const withCal = parts.filter((p) => p.calibration);
      expect(withCal.length).toBe(1);
      expect(withCal[0].cases).toEqual(expect.arrayContaining([...CALIBRATED]));
      // Deterministic: every job computes the same plan.
      expect(planShards(cases, n, { calibrated })).toEqual(parts);
    });
  }

  it("one shard is the whole run, in the selection's order", () => {
    const [only] = planShards(cases, 1, { calibrated });
    expect(only.cases).toEqual(cases.map((c) => c.id));
    expect(only.scenarios).toEqual(scenarioIds);
  });

  it("more shards than scenario groups: the extra shards run nothing", () => {
    const groups = groupScenarios(cases);
    const parts = planShards(cases, groups.length + 3, { calibrated });
    expect(parts.filter((p) => p.cases.length === 0).length).toBe(3);
    expect(parts.filter((p) => p.cases.length === 0).every((p) => p.scenarios.length === 0 && p.estimateS === 0)).toBe(true);
  });

  it("splits the full catalogue into shards that end sooner than one run", () => {
    const [one] = planShards(cases, 1, { calibrated });
    const three = planShards(cases, 3, { calibrated });
    expect(Math.max(...three.map((p) => p.estimateS))).toBeLessThan(one.estimateS);
  });
});

describe("groupScenarios and the balance", () => {
  const c = (id: string, ...scenarios: string[]): PlannedCase => ({ id, scenarios: scenarios as ScenarioId[] });

  it("puts scenarios read by one case together, transitively; a case without scenarios is a group", () => {
    const groups = groupScenarios([c("a", "basic"), c("b", "initiate-get"), c("c", "basic", "bargein"), c("d"), c("e", "bargein", "key-order-natural"), c("f", "initiate-get")]);
    expect(groups.map((g) => ({ scenarios: g.scenarios, cases: g.cases }))).toEqual([
      { scenarios: ["basic", "bargein", "key-order-natural"], cases: ["a", "c", "e"] },
      { scenarios: ["initiate-get"], cases: ["b", "f"] },
      { scenarios: [], cases: ["d"] },
    ]);
  });

  it("deals groups longest first to the shard that ends soonest (shared scenarios overlap, exclusive ones add up)", () => {
    const costs = { basic: 15, "unknown-event": 9, "upstream-error": 9, "initiate-get": 4, "upstream-drop": 8 };
    const plan = planShards([c("a", "basic"), c("b", "unknown-event"), c("c", "upstream-error"), c("d", "initiate-get"), c("e", "upstream-drop")], 3, { costs });
    // a → 1; b → 2 (9 s; 3 would tie, 2 is lower); c (exclusive) → 3 (9 s, not 18 on 2); e (exclusive) ties
    // at 17 s on 2 and 3 → 2; d (shared, 4 s) overlaps: 15 s on 1, 17 s on 2, 13 s on 3 → 3.
    expect(plan.map((p) => [p.cases, p.estimateS])).toEqual([
      [["a"], 15],
      [["b", "e"], 17],
      [["c", "d"], 13],
    ]);
  });

  it("counts the calibration where a case needs it", () => {
    const plan = planShards([c("latency.turn", "basic"), c("x", "initiate-get")], 2, { calibrated, costs: { basic: 15, "initiate-get": 4 } });
    expect(plan.map((p) => [p.cases, p.calibration, p.estimateS])).toEqual([
      [["latency.turn"], true, 27],
      [["x"], false, 4],
    ]);
  });
});
