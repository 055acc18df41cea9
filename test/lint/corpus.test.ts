// The BXML fixture corpus against lintBxml: valid documents lint clean, each invalid document gives
// exactly its expected diagnostics, and every rule of the catalogue has a failing fixture.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lintBxml, lintRules } from "../../src/lint.js";
import type { LintOptions } from "../../src/lint.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/bxml");
const docs = (dir: string) => readdirSync(join(root, dir)).filter((f) => /\.(xml|bin)$/.test(f)).sort();
const stem = (f: string) => f.replace(/\.(xml|bin)$/, "");
const options = (dir: string, f: string): LintOptions => {
  const p = join(root, dir, `${stem(f)}.options.json`);
  return existsSync(p) ? (JSON.parse(readFileSync(p, "utf8")) as LintOptions) : {};
};
const slug = (id: string) => id.replace(/\//g, ".");

const valid = docs("valid");
const invalid = docs("invalid");

describe("valid corpus (real producers)", () => {
  it("has documents of every producer style the spec lists", () => {
    for (const producer of ["node-sdk", "python-sdk", "ruby-sdk", "java-sdk", "csharp-sdk", "docs-", "bandwidth-openai-sample", "pipecat-bandwidth", "migration-toolkit", "apteva", "express-"]) {
      expect(valid.some((f) => f.startsWith(producer)), producer).toBe(true);
    }
  });
  it.each(valid)("%s lints with no error and no warning", (f) => {
    const found = lintBxml(readFileSync(join(root, "valid", f)), options("valid", f));
    expect(found.filter((d) => d.level !== "info")).toEqual([]);
  });
});

describe("invalid corpus", () => {
  it.each(invalid)("%s gives exactly its expected diagnostics", (f) => {
    const expectedFile = join(root, "invalid", `${stem(f)}.expected.json`);
    expect(existsSync(expectedFile), `${stem(f)}.expected.json`).toBe(true);
    const expected = JSON.parse(readFileSync(expectedFile, "utf8")) as { ruleId: string; line: number; col: number }[];
    const found = lintBxml(readFileSync(join(root, "invalid", f)), options("invalid", f));
    expect(found.map((d) => ({ ruleId: d.ruleId, line: d.line, col: d.col }))).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it("every fixture is named after a rule it triggers", () => {
    const ids = new Set(lintRules.map((r) => r.id));
    for (const f of invalid) {
      const base = stem(f).replace(/-\d+$/, "");
      const rule = [...ids].find((id) => slug(id) === base);
      expect(rule, `${f} names no rule`).toBeDefined();
      const expected = JSON.parse(readFileSync(join(root, "invalid", `${stem(f)}.expected.json`), "utf8")) as { ruleId: string }[];
      expect(expected.map((d) => d.ruleId), f).toContain(rule);
    }
  });
});

describe("rule catalogue coverage", () => {
  const expectedIds = new Set(
    invalid.flatMap((f) => (JSON.parse(readFileSync(join(root, "invalid", `${stem(f)}.expected.json`), "utf8")) as { ruleId: string }[]).map((d) => d.ruleId)),
  );
  it.each(lintRules.map((r) => r.id))("%s has a failing fixture named after it", (id) => {
    expect(invalid.some((f) => stem(f).replace(/-\d+$/, "") === slug(id))).toBe(true);
    expect(expectedIds.has(id)).toBe(true);
  });
  it.each(lintRules.map((r) => r.id))("%s passes on the whole valid corpus", (id) => {
    for (const f of valid) {
      const found = lintBxml(readFileSync(join(root, "valid", f)), options("valid", f));
      expect(found.filter((d) => d.ruleId === id && d.level !== "info"), f).toEqual([]);
    }
  });
  it("every rule has a unique id, a level, a kind, a source and a description", () => {
    expect(new Set(lintRules.map((r) => r.id)).size).toBe(lintRules.length);
    for (const r of lintRules) {
      expect(r.id).toMatch(/^[a-z]+\/[a-z0-9-]+$/);
      expect(["error", "warning", "info"]).toContain(r.level);
      expect(["platform", "pitfall"]).toContain(r.kind);
      expect(r.source.length, r.id).toBeGreaterThan(3);
      expect(r.description.length, r.id).toBeGreaterThan(10);
    }
    expect(lintRules.filter((r) => r.kind === "pitfall").length).toBeGreaterThanOrEqual(19);
  });
  it("every diagnostic of the invalid corpus carries a source and a message that says what to do", () => {
    for (const f of invalid) {
      for (const d of lintBxml(readFileSync(join(root, "invalid", f)), options("invalid", f))) {
        expect(d.source, `${f} ${d.ruleId}`).toBeTruthy();
        expect(d.message.length, `${f} ${d.ruleId}`).toBeGreaterThan(20);
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.col).toBeGreaterThanOrEqual(1);
      }
    }
  });
});
