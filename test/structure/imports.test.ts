// The house rules the import graph can prove: no import cycle at run time among the product's
// modules, and verbs written against the VerbHost interface, never the Call class.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, cycles, runtimeImports } from "./imports.js";

/** Files of `folder` whose source matches `re` (an import of a module they must not know). */
function importing(folder: string, re: RegExp): string[] {
  const dir = join(ROOT, folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .filter((f) => re.test(readFileSync(join(dir, f), "utf8")));
}

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
    expect(importing("emulator/call/verbs", /from\s+["']\.\.\/call\.js["']/)).toEqual([]);
  });

  it("verbs reach the carrier through VerbHost's narrow members, not a whole carrier context", () => {
    expect(importing("emulator/call/verbs", /\.ctx\b|CarrierContext/)).toEqual([]);
  });

  it("the parts of a call (loop, documents, control, audio…) are written against interfaces; only the carrier knows the Call class", () => {
    const knowing = importing("emulator/call", /from\s+["']\.\/call\.js["']/);
    expect(knowing).toEqual(["carrier.ts"]);
  });

  it("the Voice REST API knows the carrier and its calls by interface (emulator/api/carrier.ts), not by class", () => {
    expect(importing("emulator/api", /from\s+["']\.\.\/call\/(call|carrier)\.js["']/)).toEqual([]);
  });

  it("emulator/call reaches emulator/stream and the live parts of emulator/media only through call/media.ts", () => {
    const graph = runtimeImports(["emulator/call"]);
    const pure = new Set(["emulator/media/wav.ts", "emulator/media/mp3.ts", "emulator/media/sniff.ts", "emulator/media/resample.ts", "emulator/media/synth.ts"]);
    const offenders = [...graph]
      .filter(([file]) => file !== "emulator/call/media.ts")
      .flatMap(([file, deps]) => deps.filter((d) => d.startsWith("emulator/stream/") || (d.startsWith("emulator/media/") && !pure.has(d))).map((d) => `${file} → ${d}`));
    expect(offenders).toEqual([]);
  });

  it("library code never imports the CLI (src/cli presents; what the API, load and serve use lives outside it)", () => {
    const graph = runtimeImports(["emulator", "suites", "reports", "src"]);
    const offenders = [...graph]
      .filter(([file]) => !file.startsWith("src/cli/") && !/(\.test\.ts|\/test\/)/.test(file))
      .flatMap(([file, deps]) => deps.filter((d) => d.startsWith("src/cli/")).map((d) => `${file} → ${d}`));
    expect(offenders).toEqual([]);
  });
});
