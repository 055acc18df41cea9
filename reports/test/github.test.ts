// The `github` reporter and `bwemu lint --format github`: workflow commands escaped as the runner
// parses them, one annotation per failed MUST case / non-strict case / distinct lint finding, and the
// Markdown summary appended to $GITHUB_STEP_SUMMARY.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { annotation, emitGithub, escapeData, escapeProperty, renderGithub } from "../github.js";
import { formatGithub } from "../lint/github.js";
import { parseRunResult } from "../validate.js";
import { writeReports } from "../write.js";
import type { RunResult } from "../model.js";

const fixtures = fileURLToPath(new URL("../../fixtures/reports/", import.meta.url));
const load = (name: string): RunResult => parseRunResult(readFileSync(join(fixtures, `run-${name}.json`), "utf8"));
const tmp = mkdtempSync(join(tmpdir(), "bwemu-github-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Parse one workflow command line back as the runner does (properties split on `,` then `=`; values unescaped). */
function parseCommand(line: string): { kind: string; props: Record<string, string>; message: string } {
  const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const un = (s: string) => s.replace(/%2C/g, ",").replace(/%3A/g, ":").replace(/%0A/g, "\n").replace(/%0D/g, "\r").replace(/%25/g, "%");
  const props = Object.fromEntries((m[2] ?? "").split(",").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), un(kv.slice(kv.indexOf("=") + 1))]));
  return { kind: m[1], props, message: un(m[3]) };
}

describe("workflow command escaping", () => {
  it("escapes %, CR and LF in messages, and also : and , in properties", () => {
    expect(escapeData("100% done\r\nnext")).toBe("100%25 done%0D%0Anext");
    expect(escapeProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
    const line = annotation("error", "two\nlines, 50%: ok", { file: "dir,x/a:b.xml", line: 3, col: 5, title: "t: 1, 2" });
    expect(line).toBe("::error file=dir%2Cx/a%3Ab.xml,line=3,col=5,title=t%3A 1%2C 2::two%0Alines, 50%25: ok");
    expect(parseCommand(line)).toEqual({ kind: "error", props: { file: "dir,x/a:b.xml", line: "3", col: "5", title: "t: 1, 2" }, message: "two\nlines, 50%: ok" });
  });
});

describe("the github reporter", () => {
  it("annotates each failed MUST case not excused by the baseline, each non-strict case, each distinct lint finding", () => {
    const run = load("full");
    const lines = renderGithub(run).map(parseCommand);
    const cases = lines.filter((l) => l.props.title?.startsWith("bwemu: "));
    expect(cases.filter((l) => l.kind === "error").map((l) => l.props.title)).toEqual(["bwemu: answer.bxml.valid failed", "bwemu: stream.stop.closes-socket failed"]);
    expect(cases.filter((l) => l.kind === "warning").map((l) => l.props.title)).toEqual([
      "bwemu: answer.bxml.secure-destination (SHOULD)",
      "bwemu: audio.down.integrity could not be judged (harness error)",
      "bwemu: bargein.truncate (SHOULD)",
    ]);
    const valid = cases[0];
    expect(valid.message).toContain("expected: no error-level diagnostics");
    expect(valid.message).toContain("docs: https://github.com/bwemu/bwemu/blob/main/docs/cases/answer.bxml.valid.md");
    const lint = lines.filter((l) => l.props.title?.startsWith("bwemu lint: "));
    const findings = run.lint.flatMap((l) => l.diagnostics.filter((d) => d.level !== "info").map((d) => `${l.file}:${d.line}:${d.col}`));
    expect(lint).toHaveLength(new Set(findings).size);
    expect(lint[0].props).toMatchObject({ file: "bridge/bxml/answer.xml", line: "3", col: "61" });
    // Under --strict a SHOULD failure is an error.
    expect(renderGithub({ ...run, options: { ...run.options, strict: true } }).filter((l) => l.startsWith("::error")).length).toBe(4 + lint.filter((l) => l.kind === "error").length);
  });

  it("cannot be broken or hijacked by a bridge's text: every line is one command", () => {
    const lines = renderGithub(load("hostile"));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l).not.toMatch(/[\r\n]/);
      expect(() => parseCommand(l)).not.toThrow();
    }
  });

  it("prints the annotations and appends the Markdown summary to $GITHUB_STEP_SUMMARY", async () => {
    const summary = join(tmp, "summary.md");
    writeFileSync(summary, "earlier step\n");
    let printed = "";
    const text = await emitGithub(load("full"), { env: { GITHUB_STEP_SUMMARY: summary }, write: (t) => (printed += t) });
    expect(printed).toBe(text);
    expect(text.split("\n").filter(Boolean).every((l) => l.startsWith("::"))).toBe(true);
    const md = readFileSync(summary, "utf8");
    expect(md.startsWith("earlier step\n## bwemu: ❌ 2 failing cases (exit 1)")).toBe(true);
    expect(md).toContain("(https://github.com/bwemu/bwemu/blob/main/docs/cases/answer.bxml.valid.md)");
    // Without the variable nothing is written anywhere but the output.
    await emitGithub(load("full"), { env: {}, write: () => undefined });
    expect(readFileSync(summary, "utf8")).toBe(md);
  });

  it("is a reporter of writeReports: annotations on stdout, a copy in github-annotations.txt, the summary appended", async () => {
    const summary = join(tmp, "step-summary.md");
    writeFileSync(summary, "");
    vi.stubEnv("GITHUB_STEP_SUMMARY", summary);
    const spy = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const written = await writeReports(load("full"), { outDir: join(tmp, "out"), reporters: ["github"] });
      expect(written).toEqual([{ reporter: "github", path: join(tmp, "out", "github-annotations.txt") }]);
      const printed = spy.mock.calls.map((c) => String(c[0])).join("");
      expect(printed).toBe(readFileSync(written[0].path, "utf8"));
      expect(printed).toMatch(/^::error title=bwemu%3A answer\.bxml\.valid failed::/m);
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(readFileSync(summary, "utf8")).toMatch(/^## bwemu: /);
  });
});

describe("bwemu lint --format github", () => {
  const d = { ruleId: "stream/no-keepalive", level: "error" as const, message: "the call ends at once", line: 3, col: 5 };
  it("one annotation per error or warning with file, line and column; info left out; summary last", () => {
    const out = formatGithub([
      { file: "bxml/answer.xml", source: "", diagnostics: [d, { ...d, level: "warning", line: 4 }, { ...d, level: "info", line: 5 }] },
      { file: "<stdin>", source: "", diagnostics: [d] },
    ]).trimEnd().split("\n");
    expect(out).toHaveLength(4);
    expect(parseCommand(out[0])).toEqual({ kind: "error", props: { file: "bxml/answer.xml", line: "3", col: "5", title: "bwemu lint: stream/no-keepalive" }, message: "the call ends at once\ndocs: https://github.com/bwemu/bwemu/blob/main/docs/rules/stream/no-keepalive.md" });
    expect(parseCommand(out[1]).kind).toBe("warning");
    expect(parseCommand(out[2]).props).toEqual({ title: "bwemu lint: stream/no-keepalive" });
    expect(out[3]).toBe("2 errors, 1 warning, 1 info in 2 of 2 files");
  });
  it("under --strict warnings are errors", () => {
    expect(formatGithub([{ file: "a.xml", source: "", diagnostics: [{ ...d, level: "warning" }] }], { failOn: "warning" })).toMatch(/^::error /);
  });
});
