// What a user reads never cites the spec's section numbers or its decision ids (ED-n, OPEN-n): those
// live in source comments only (the spec is the developers' reference, not the user's; a message that
// rests on a decision links its section of docs/carrier.md instead). Every string and template literal of the
// product's sources is found in the TypeScript syntax tree, so comments are out of scope by construction.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT, sourceFiles } from "./imports.js";

/** Section signs in the product's messages that are public standards, not the spec (RFC 3986 §5 …). */
const PUBLIC = /\b(RFC|XML 1\.0)\s*\d*\s*§/;

function sectionsInLiterals(text: string): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) {
      if ((/§\s*\d/.test(n.text) && !PUBLIC.test(n.text)) || /\b(ED|OPEN)-\d/.test(n.text)) out.push(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, true));
  return [...new Set(out)];
}

describe("user-facing text", () => {
  it("no string in emulator/, suites/, reports/ or src/ cites a spec section number or decision id", () => {
    const offenders = sourceFiles(["emulator", "suites", "reports", "src"])
      .filter((f) => !/(\.test\.ts|\/test\/)/.test(f))
      .flatMap((f) => sectionsInLiterals(readFileSync(join(ROOT, f), "utf8")).map((s) => `${f}: ${s.slice(0, 120)}`));
    expect(offenders).toEqual([]);
  });

  it("the scan finds a section number in a string and a template, and ignores comments", () => {
    expect(sectionsInLiterals('const a = "see §2.10"; // §3\nconst b = `x ${a} (§12.3.4)`;\n/* §1 */')).toEqual(["see §2.10", " (§12.3.4)"]);
    expect(sectionsInLiterals('const a = "refused (ED-9)"; // ED-9\nconst b = `${a} (OPEN-6)`;\nconst c = "SEND-2";')).toEqual(["refused (ED-9)", " (OPEN-6)"]);
  });
});
