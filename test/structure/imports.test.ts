// The house rules the import graph can prove: no import cycle at run time among the product's
// modules, and verbs written against the VerbHost interface, never the Call class.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, cycles, runtimeImports } from "./imports.js";

describe("import graph", () => {
  it("has no run-time import cycle in emulator/, suites/, reports/ or src/ (type-only imports excluded)", () => {
    const graph = runtimeImports(["emulator", "suites", "reports", "src"]);
    expect(graph.size).toBeGreaterThan(200);
    expect(cycles(graph)).toEqual([]);
  });

  it("finds a cycle when there is one (the check itself works)", () => {
    const g = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
    expect(cycles(g)).toEqual([["a", "b", "c"]]);
  });

  it("no verb executor imports call.ts, not even for types", () => {
    const dir = join(ROOT, "emulator/call/verbs");
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .filter((f) => /from\s+["']\.\.\/call\.js["']/.test(readFileSync(join(dir, f), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("the Voice REST API knows the carrier and its calls by interface (emulator/api/carrier.ts), not by class", () => {
    const dir = join(ROOT, "emulator/api");
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .filter((f) => /from\s+["']\.\.\/call\/(call|carrier)\.js["']/.test(readFileSync(join(dir, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
