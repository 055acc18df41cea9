// The composite action (action.yml) is executed here the way the Actions runner would: its YAML is
// parsed, each step's `if:` evaluated, `${{ … }}` expressions substituted with sample inputs, and its
// `run:` scripts executed in bash with GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files. `npx` is a stub on
// PATH that records its arguments (or runs this repository's CLI), so the action cannot rot unseen.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as Action;

interface Context {
  inputs: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
}

/** The value of one expression path (`inputs.x`, `steps.id.outputs.y`). */
function lookup(path: string, ctx: Context): string {
  const p = path.split(".");
  if (p[0] === "inputs") {
    if (!(p[1] in action.inputs)) throw new Error(`action.yml uses undeclared input ${p[1]}`);
    return ctx.inputs[p[1]] ?? action.inputs[p[1]].default ?? "";
  }
  if (p[0] === "steps" && p[2] === "outputs") return ctx.steps[p[1]]?.outputs[p[3]] ?? "";
  throw new Error(`unsupported expression ${path}`);
}

const PATH_RE = /\b(inputs\.[a-z0-9-]+|steps\.[a-z0-9-]+\.outputs\.[a-z0-9-]+)/g;

/** `${{ expr }}` in a string → its value (only plain paths are used in values). */
function substitute(s: string, ctx: Context): string {
  return s.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => lookup(e, ctx));
}

/** An `if:` condition: paths, string literals, ==, !=, &&, ||, always(). */
function condition(expr: string | undefined, ctx: Context, failed: boolean): boolean {
  if (expr === undefined) return !failed;
  const hasStatus = /always\(\)|failure\(\)|success\(\)/.test(expr);
  const js = expr
    .replace(/\$\{\{|\}\}/g, "")
    .replace(/'([^']*)'/g, (_, s: string) => JSON.stringify(s))
    .replace(/always\(\)/g, "true")
    .replace(/failure\(\)/g, String(failed))
    .replace(/success\(\)/g, String(!failed))
    .replace(/==/g, "===")
    .replace(/!===/g, "!==")
    .replace(PATH_RE, (p) => JSON.stringify(lookup(p, ctx)));
  const v = new Function(`return (${js});`)() as boolean;
  return hasStatus ? v : v && !failed;
}

interface StepRun {
  name: string;
  ran: boolean;
  code: number;
  stdout: string;
  stderr: string;
  uses?: string;
  with?: Record<string, string>;
}

const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

function project(npxScript: string): { dir: string; bin: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), "bwemu-action-"));
  scratch.push(dir);
  const bin = join(dir, ".stub-bin");
  mkdirSync(bin);
  const log = join(dir, ".npx-args");
  writeFileSync(join(bin, "npx"), `#!/usr/bin/env bash\n${npxScript.replace(/@LOG@/g, log)}\n`);
  chmodSync(join(bin, "npx"), 0o755);
  return { dir, bin, log };
}

/** Run the action's steps in order, as the runner would. */
function runAction(inputs: Record<string, string>, p: { dir: string; bin: string }): { steps: StepRun[]; ctx: Context; summary: string; failed: boolean } {
  const ctx: Context = { inputs, steps: {} };
  const summary = join(p.dir, ".step-summary.md");
  writeFileSync(summary, "");
  const out: StepRun[] = [];
  let failed = false;
  for (const step of action.runs.steps) {
    const name = step.name ?? step.uses ?? "?";
    if (!condition(step.if, ctx, failed)) {
      out.push({ name, ran: false, code: 0, stdout: "", stderr: "" });
      continue;
    }
    if (step.uses) {
      const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), ctx)]));
      out.push({ name, ran: true, code: 0, stdout: "", stderr: "", uses: step.uses, with: w });
      continue;
    }
    expect(step.shell, `${name}: a run step names its shell`).toBe("bash");
    expect(step.run, `${name}: inputs reach scripts through env, never spliced in`).not.toMatch(/\$\{\{/);
    const outputFile = join(p.dir, `.output-${out.length}`);
    writeFileSync(outputFile, "");
    const env: NodeJS.ProcessEnv = {
      PATH: `${p.bin}:${process.env.PATH}`,
      HOME: process.env.HOME,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summary,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), ctx)])),
    };
    const r = spawnSync("bash", ["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step.run!], { cwd: p.dir, env, encoding: "utf8", timeout: 240_000 });
    const outputs: Record<string, string> = {};
    for (const line of readFileSync(outputFile, "utf8").split("\n")) {
      const i = line.indexOf("=");
      if (i > 0) outputs[line.slice(0, i)] = line.slice(i + 1);
    }
    if (step.id) ctx.steps[step.id] = { outputs };
    const code = r.status ?? 1;
    if (code !== 0) failed = true;
    out.push({ name, ran: true, code, stdout: r.stdout, stderr: r.stderr });
  }
  return { steps: out, ctx, summary: readFileSync(summary, "utf8"), failed };
}

const step = (steps: StepRun[], name: RegExp) => steps.find((s) => name.test(s.name))!;
const recordArgs = `printf '%s\\n' "$@" > "@LOG@"; mkdir -p "$PWD/bwemu-report"; echo '<html>' > "$PWD/bwemu-report/report.html"; exit \${FAKE_EXIT:-0}`;

describe("action.yml", () => {
  it("is a composite action with the documented inputs and outputs, and uploads the report", () => {
    expect(action.runs.using).toBe("composite");
    for (const i of ["app-url", "reporters", "baseline", "bridge", "out", "version", "artifact-name"]) expect(action.inputs[i]?.description, i).toBeTruthy();
    expect(Object.keys(action.outputs)).toEqual(["exit-code", "report-dir"]);
    const upload = action.runs.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with?.path).toBe("${{ inputs.out }}");
    expect(upload?.if).toMatch(/always\(\)/);
    // Every expression names a declared input or an existing step's output.
    const text = readFileSync(join(ROOT, "action.yml"), "utf8");
    for (const m of text.matchAll(/\$\{\{([^}]*)\}\}/g)) for (const p of m[1].match(PATH_RE) ?? []) expect(() => lookup(p, { inputs: {}, steps: {} }), p).not.toThrow();
  });

  it("runs bwemu test with the inputs as separate arguments and fails the job on failures, after uploading", () => {
    const p = project(`FAKE_EXIT=1; ${recordArgs}`);
    const r = runAction({ "app-url": "http://127.0.0.1:3000/voice", baseline: "bwemu-baseline.json", strict: "true", exclude: "latency.*" }, p);
    expect(readFileSync(p.log, "utf8").trimEnd().split("\n")).toEqual([
      "--yes", "bwemu@latest", "test", "--reporter", "html,json,junit,sarif,github", "--out", "bwemu-report",
      "--app", "http://127.0.0.1:3000/voice", "--baseline", "bwemu-baseline.json", "--exclude", "latency.*", "--strict",
    ]);
    expect(r.ctx.steps.run.outputs).toEqual({ "report-dir": "bwemu-report", "exit-code": "1" });
    expect(step(r.steps, /Run bwemu/).code).toBe(0);
    const upload = step(r.steps, /Upload/);
    expect(upload).toMatchObject({ ran: true, with: { name: "bwemu-report", path: "bwemu-report" } });
    expect(existsSync(join(p.dir, upload.with!.path, "report.html"))).toBe(true);
    const verdict = step(r.steps, /Apply the verdict/);
    expect(verdict).toMatchObject({ ran: true, code: 1 });
    expect(step(r.steps, /Set up Node/)).toMatchObject({ ran: true, uses: "actions/setup-node@v4", with: { "node-version": "20" } });
  });

  it("passes hostile input values through literally (no shell injection)", () => {
    const p = project(recordArgs);
    const evil = `http://x/"; touch pwned; echo "$(touch pwned2)\`touch pwned3\``;
    const r = runAction({ "app-url": evil, cases: "answer.*,stream.*", version: "1.2.3" }, p);
    const args = readFileSync(p.log, "utf8").trimEnd().split("\n");
    expect(args.slice(0, 2)).toEqual(["--yes", "bwemu@1.2.3"]);
    expect(args[args.indexOf("--app") + 1]).toBe(evil);
    expect(args[args.indexOf("--cases") + 1]).toBe("answer.*,stream.*");
    for (const f of ["pwned", "pwned2", "pwned3"]) expect(existsSync(join(p.dir, f))).toBe(false);
    expect(step(r.steps, /Apply the verdict/).ran).toBe(false);
    expect(r.failed).toBe(false);
  });

  it("with shard: runs that shard and writes only its blob result (the merge job writes the reports)", () => {
    const p = project(recordArgs);
    const r = runAction({ "app-url": "http://127.0.0.1:3000/voice", shard: "2/3", out: "bwemu-blob", "artifact-name": "bwemu-blob-2" }, p);
    expect(readFileSync(p.log, "utf8").trimEnd().split("\n")).toEqual(["--yes", "bwemu@latest", "test", "--shard", "2/3", "--reporter", "blob", "--out", "bwemu-blob", "--app", "http://127.0.0.1:3000/voice"]);
    expect(step(r.steps, /Upload/)).toMatchObject({ ran: true, with: { name: "bwemu-blob-2", path: "bwemu-blob" } });
  });

  it("uses the project's own bwemu when it is installed and no version is asked for", () => {
    const p = project(recordArgs);
    mkdirSync(join(p.dir, "node_modules/.bin"), { recursive: true });
    writeFileSync(join(p.dir, "node_modules/.bin/bwemu"), "#!/bin/sh\n");
    chmodSync(join(p.dir, "node_modules/.bin/bwemu"), 0o755);
    runAction({ "app-url": "http://127.0.0.1:3000/voice", "node-version": "" }, p);
    expect(readFileSync(p.log, "utf8").split("\n").slice(0, 2)).toEqual(["--yes", "bwemu"]);
  });

  it("without app-url or bridge: a clear error annotation and exit 2, before anything runs", () => {
    const p = project(recordArgs);
    const r = runAction({}, p);
    const run = step(r.steps, /Run bwemu/);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error title=bwemu::set the app-url input/m);
    expect(existsSync(p.log)).toBe(false);
    expect(step(r.steps, /Apply the verdict/)).toMatchObject({ ran: true, code: 2 });
  });

  it("against a real (faulty) bridge: annotations for the failed MUST case, the step summary, the report, exit 1", () => {
    // `npx bwemu@… test …` → this repository's CLI with the same arguments.
    const p = project(`shift 2; exec "${join(ROOT, "node_modules/.bin/tsx")}" "${join(ROOT, "src/cli/main.ts")}" "$@"`);
    const r = runAction({ bridge: "no-clear", cases: "bargein.clear", reporters: "html,json,github" }, p);
    const run = step(r.steps, /Run bwemu/);
    expect(r.ctx.steps.run.outputs["exit-code"], run.stdout + run.stderr).toBe("1");
    expect(run.stdout).toMatch(/^::error title=bwemu%3A bargein\.clear failed::.*docs: https:\/\/github\.com\/bwemu\/bwemu\/blob\/main\/docs\/cases\/bargein\.clear\.md/m);
    expect(r.summary).toMatch(/^## bwemu: ❌ 1 failing case \(exit 1\)/m);
    expect(r.summary).toContain("(https://github.com/bwemu/bwemu/blob/main/docs/cases/bargein.clear.md)");
    expect(existsSync(join(p.dir, "bwemu-report/report.html"))).toBe(true);
    expect(step(r.steps, /Apply the verdict/)).toMatchObject({ ran: true, code: 1 });
  }, 240_000);
});
