// `bwemu lint` as a user runs it: the real CLI in a child process, real files in a temp directory.
// Bad input of every kind gives a located diagnostic, never a stack trace; exit codes 0/1/2; every
// output format parses; stdin, globs, directories and --watch work.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sarifProblems } from "../support/sarif.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
// tsx by absolute URL, so the CLI also starts from a cwd outside the repository (glob test).
const tsx = pathToFileURL(join(repo, "node_modules/tsx/dist/loader.mjs")).href;
const main = join(repo, "src/cli/main.ts");

/** The machine is shared (load can reach 10× the cores): generous bounds per CLI start, never speed assertions. */
const PER_RUN = 120_000;
const within = (runs: number) => ({ timeout: PER_RUN * runs });

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...opts.env };
    const child = spawn(process.execPath, ["--import", tsx, main, ...args], { cwd: opts.cwd ?? repo, env: env as NodeJS.ProcessEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`bwemu ${args.join(" ")} did not finish within ${PER_RUN / 1000} s`));
    }, PER_RUN);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

const noStackTrace = (r: Run) => {
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(r.stderr).not.toMatch(/internal error|ERR_|TypeError|RangeError/);
};

let dir: string;
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
};

const CLEAN = '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <SpeakSentence>Hi</SpeakSentence>\n</Response>\n';
const WARNING = '<Response>\n  <Pause durration="3"/>\n</Response>\n';
const ERROR = '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n    <StartStream name="a" mode="bidirectional" destination="wss://b.example.com/ws"/>\n</Response>\n';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bwemu-lint-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("bad input: located diagnostic, exit 1, no stack trace", () => {
  // 10 000 open elements (30 KB, under the 64 KB limit, so the depth guard is what answers).
  const deep = "<Response>" + "<a>".repeat(10_000);
  const bomb =
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' +
    Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">\n`).join("") +
    "]>\n<Response><SpeakSentence>&lol9;</SpeakSentence></Response>\n";
  const big = "<Response>\n" + "  <SpeakSentence>a sentence that pads the document to twenty megabytes</SpeakSentence>\n".repeat(260_000) + "</Response>\n";
  const cases: [string, string | Buffer, string, string][] = [
    ["empty file", "", "bxml/empty-document", ":1:1"],
    ["not XML (JSON)", '{"verbs": []}\n', "bxml/not-well-formed", ":1:1"],
    ["binary file", Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x9c, 0x1b, 0x5b, 0x32, 0x4a]), "bxml/not-text", ":1:1"],
    ["invalid UTF-8", Buffer.from('<Response>\n  <SpeakSentence>Caf\xe9</SpeakSentence>\n</Response>\n', "latin1"), "bxml/invalid-utf8", ":2:"],
    ["DOCTYPE entity bomb", bomb, "bxml/doctype", ":2:1"],
    ["10 000-deep nesting", deep, "bxml/too-deep", ":1:"],
    ["20 MB document", big, "bxml/document-too-large", ":"],
  ];
  it.each(cases)("%s", within(1), async (name, content, ruleId, where) => {
    const p = file(`bad/${name.replace(/\W+/g, "-")}.xml`, content);
    if (name === "20 MB document") expect(Buffer.byteLength(content)).toBeGreaterThan(20_000_000);
    const r = await run(["lint", p]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${p}${where}`);
    expect(r.stdout).toContain(ruleId);
    expect(r.stdout).not.toMatch(/\u001b/); // neither colour nor escape sequences from the binary file
    noStackTrace(r);
  });

  it("a BOM is legal: positions are not shifted, a clean document exits 0", within(2), async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const clean = await run(["lint", file("bom/clean.xml", Buffer.concat([bom, Buffer.from(CLEAN)]))]);
    expect(clean.code).toBe(0);
    const bad = await run(["lint", file("bom/error.xml", Buffer.concat([bom, Buffer.from(ERROR)]))]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/error\.xml:3:5 {2}error {2}stream\/no-keepalive/);
    noStackTrace(bad);
  });
});

describe("exit codes, --strict, output", () => {
  it("0 clean, 1 errors, warnings pass unless --strict", within(4), async () => {
    const clean = file("codes/clean.xml", CLEAN);
    const warn = file("codes/warn.xml", WARNING);
    const err = file("codes/error.xml", ERROR);
    const r0 = await run(["lint", clean]);
    expect(r0.code).toBe(0);
    expect(r0.stdout).toMatch(/1 file linted, no problems/);
    expect((await run(["lint", warn])).code).toBe(0);
    expect((await run(["lint", "--strict", warn])).code).toBe(1);
    const r1 = await run(["lint", clean, err]);
    expect(r1.code).toBe(1);
    // compiler style: file:line:col  level  rule-id  message, then the source line and a caret
    expect(r1.stdout).toContain(`${err}:3:5  error  stream/no-keepalive  StartStream is the last verb`);
    expect(r1.stdout).toContain('  3 |     <StartStream name="a"');
    expect(r1.stdout).toContain("    |     ^");
    expect(r1.stdout).toMatch(/1 error, 0 warnings, 0 info in 1 of 2 files/);
  });

  it.each([
    ["a missing file", ["missing.xml"]],
    ["a glob that matches nothing", ["nothing-*.xml"]],
    ["an unknown format", ["--format", "yaml", "codes/clean.xml"]],
    ["no input at all", []],
    ["a base URL that is not absolute", ["codes/clean.xml", "--base-url", "not a url"]],
    ["an unknown context", ["codes/clean.xml", "--context", "bridge"]],
  ])("exit 2 with a clear message for %s", within(1), async (_, args) => {
    file("codes/clean.xml", CLEAN);
    const r = await run(["lint", ...args], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.length).toBeGreaterThan(10);
    noStackTrace(r);
  });

  it("an unreadable input gives exit 2 but the readable ones are still linted", within(1), async () => {
    const missing = await run(["lint", file("codes/clean.xml", CLEAN), join(dir, "missing.xml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file or directory");
    expect(missing.stdout).toContain("1 file linted");
  });

  it("--format json parses and carries every diagnostic", within(1), async () => {
    const r = await run(["lint", "--format", "json", file("fmt/a.xml", ERROR), file("fmt/b.xml", WARNING)]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toMatchObject({ files: 2, errors: 1, warnings: 1, failed: true });
    expect(doc.files[0].diagnostics[0]).toMatchObject({ ruleId: "stream/no-keepalive", level: "error", line: 3, col: 5 });
  });

  it("--format sarif has the SARIF 2.1.0 required fields", within(1), async () => {
    const r = await run(["lint", "--format", "sarif", file("fmt/a.xml", ERROR), file("fmt/b.xml", WARNING)]);
    const sarif = JSON.parse(r.stdout);
    expect(sarifProblems(sarif)).toEqual([]);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toMatch(/sarif/);
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.name).toBe("bwemu lint");
    const rules = run0.tool.driver.rules as { id: string; defaultConfiguration: { level: string } }[];
    expect(rules.length).toBeGreaterThan(30);
    const results = run0.results as { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[];
    expect(results).toHaveLength(2);
    for (const res of results) {
      expect(rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(["error", "warning", "note"]).toContain(res.level);
      expect(res.message.text.length).toBeGreaterThan(10);
      expect(res.locations[0].physicalLocation.artifactLocation.uri).toMatch(/fmt\/[ab]\.xml$/);
      expect(res.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
      expect(res.locations[0].physicalLocation.region.startColumn).toBeGreaterThan(0);
    }
    expect(results.map((x) => x.level)).toEqual(["error", "warning"]);
  });

  it("--format junit parses, one testcase per file, failures per error (warnings with --strict)", within(2), async () => {
    const nasty = file("fmt/<&\"'>.xml", Buffer.from([0x3c, 0x52, 0x00, 0x1b, 0x07]));
    const files = [file("fmt/a.xml", ERROR), file("fmt/b.xml", WARNING), file("fmt/c.xml", CLEAN), nasty];
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (n) => ["testcase", "failure"].includes(n) });
    for (const strict of [false, true]) {
      const r = await run(["lint", "--format", "junit", ...(strict ? ["--strict"] : []), ...files]);
      expect(XMLValidator.validate(r.stdout)).toBe(true);
      const suite = parser.parse(r.stdout).testsuites.testsuite;
      expect(suite.testcase).toHaveLength(4);
      const failures = suite.testcase.map((t: { failure?: unknown[] }) => t.failure?.length ?? 0);
      expect(failures).toEqual(strict ? [1, 1, 0, 1] : [1, 0, 0, 1]);
      expect(suite.testcase[3].name).toContain("<&\"'>.xml");
    }
  });

  it("colour only on request (FORCE_COLOR), never with NO_COLOR or into a pipe", within(3), async () => {
    const err = file("color/e.xml", ERROR);
    expect((await run(["lint", err])).stdout).not.toMatch(/\u001b\[/);
    expect((await run(["lint", err], { env: { FORCE_COLOR: "1" } })).stdout).toMatch(/\u001b\[31merror/);
    expect((await run(["lint", err], { env: { NO_COLOR: "1" } })).stdout).not.toMatch(/\u001b\[/);
  });
});

describe("inputs", () => {
  it("reads stdin with -", within(2), async () => {
    const r = await run(["lint", "-", "--format", "json"], { input: ERROR });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ file: "<stdin>" });
    expect((await run(["lint", "-"], { input: CLEAN })).code).toBe(0);
  });

  it("walks directories for *.xml and *.bxml, expands globs, skips node_modules", within(2), async () => {
    file("tree/a.xml", CLEAN);
    file("tree/sub/b.BXML", ERROR);
    file("tree/notes.txt", "not BXML");
    file("tree/node_modules/pkg/x.xml", ERROR);
    const walked = JSON.parse((await run(["lint", "--format", "json", join(dir, "tree")])).stdout);
    expect(walked.files.map((f: { file: string }) => f.file.slice(dir.length + 1)).sort()).toEqual(["tree/a.xml", "tree/sub/b.BXML"]);
    const globbed = await run(["lint", "--format", "json", "tree/**/*.xml"], { cwd: dir });
    expect(JSON.parse(globbed.stdout).files.map((f: { file: string }) => f.file)).toEqual(["tree/a.xml"]);
    expect(globbed.code).toBe(0);
  });

  it("--list-rules prints the catalogue, platform and pitfall", within(2), async () => {
    const r = await run(["lint", "--list-rules"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stream\/no-keepalive +error +pitfall/);
    expect(r.stdout).toMatch(/bxml\/unknown-element +error +platform/);
    const json = JSON.parse((await run(["lint", "--list-rules", "--format", "json"])).stdout);
    expect(json.length).toBeGreaterThan(35);
  });
});

describe("--watch", () => {
  it("re-lints a file when it changes and keeps running after errors", within(2), async () => {
    const p = file("watch/answer.xml", CLEAN);
    const child = spawn(process.execPath, ["--import", tsx, main, "lint", "--watch", join(dir, "watch")], { cwd: repo, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const until = (what: () => boolean, label: string, ms = 90_000) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const tick = setInterval(() => {
          if (what()) {
            clearInterval(tick);
            resolve();
          } else if (Date.now() - started > ms || child.exitCode !== null) {
            clearInterval(tick);
            reject(new Error(`timed out waiting for ${label}; stdout: ${stdout} stderr: ${stderr}`));
          }
        }, 50);
      });
    try {
      await until(() => /watching/.test(stderr), "the watcher to be ready");
      expect(stdout).toMatch(/no problems/);
      writeFileSync(p, ERROR);
      await until(() => /re-linted .*answer\.xml[\s\S]*stream\/no-keepalive/.test(stdout), "the re-lint after an error");
      writeFileSync(p, CLEAN);
      await until(() => (stdout.match(/re-linted/g) ?? []).length >= 2 && /no problems\s*$/.test(stdout), "the re-lint after the fix");
      expect(child.exitCode).toBeNull(); // still running despite the error
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("close", r)));
    }
  });
});
