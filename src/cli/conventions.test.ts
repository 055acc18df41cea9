// The command line as a user meets it, every command alike: a fast start that loads no command code,
// help with examples, exit 2 and a message (never a stack trace) for every kind of mistake, quiet
// EPIPE, one colour rule, readiness of the app. The real CLI in child processes, real sockets.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasStackTrace, REPO, runCli, type CliRun } from "../../test/support/cli.js";
import { colorEnabled } from "./colors.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bwemu-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const usage = (r: CliRun, ...mentions: (string | RegExp)[]) => {
  expect(r.code, r.stderr).toBe(2);
  expect(hasStackTrace(r), r.stderr).toBe(false);
  for (const m of mentions) expect(r.stderr).toMatch(m);
};

describe("start", () => {
  it("--version and --help load commander and the command definitions only", async () => {
    // A load hook after tsx's sees every module the process loads.
    const hooks = join(dir, "hooks.mjs");
    writeFileSync(hooks, `import { appendFileSync } from "node:fs";\nexport async function load(url, c, next) { if (url.startsWith("file:")) appendFileSync(process.env.MODLOG, url + "\\n"); return next(url, c); }\n`);
    writeFileSync(join(dir, "count.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    for (const args of [["--version"], ["--help"], ["test", "--help"]]) {
      const log = join(dir, `modules-${args.join("")}.log`);
      const r = await runCli(args, { env: { MODLOG: log }, nodeArgs: ["--import", pathToFileURL(join(dir, "count.mjs")).href] });
      expect(r.code).toBe(0);
      const loaded = [...new Set(readFileSync(log, "utf8").trim().split("\n"))].map((u) => u.replace(pathToFileURL(REPO).href + "/", ""));
      const unexpected = loaded.filter((m) => !/^node_modules\/commander\//.test(m) && !/^src\/cli\/(main|exit|commands\/[\w-]+)\.ts$/.test(m) && !/^(src\/exit|emulator\/text\/escape)\.ts$/.test(m));
      expect(unexpected, args.join(" ")).toEqual([]);
      expect(loaded).toContain("src/cli/main.ts");
    }
  }, 120_000);
});

describe("help", () => {
  it("bwemu with no arguments prints the help on stderr and exits 2", async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/Usage: bwemu/);
    expect(r.stderr).toMatch(/Examples:/);
  });

  it("every command's --help has examples and exit codes", async () => {
    for (const cmd of ["lint", "call", "stub", "test", "demo", "merge-reports"]) {
      const r = await runCli([cmd, "--help"]);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(new RegExp(`Usage: bwemu ${cmd}`));
      expect(r.stdout, cmd).toMatch(/Examples:\n {2}bwemu /);
      expect(r.stdout, cmd).toMatch(/Exit codes/);
    }
  }, 120_000);

  it("the stub's default port is the one the README documents", async () => {
    const r = await runCli(["stub", "--help"]);
    expect(r.stdout).toMatch(/--port <n>[^\n]*\(default:\s+"4020"\)/);
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    expect(readme).toMatch(/bwemu stub \[--port 4020\]/);
    expect(readme).toMatch(/stand-in on `ws:\/\/127\.0\.0\.1:4020\/v1\/realtime` by default/);
  });
});

describe("closed pipe", () => {
  it("bwemu test --list into a reader that is gone ends quietly with exit 0", async () => {
    // The reader closes before the first write: every write meets EPIPE.
    const r = await runCli(["test", "--list"], { onSpawn: (child) => child.stdout!.destroy() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });
});

describe("usage errors: exit 2 with what to fix", () => {
  it("an unknown bundled bridge lists the valid names (test and call)", async () => {
    usage(await runCli(["test", "--bridge", "nosuch"]), /unknown bundled bridge "nosuch"/, /reference/, /no-clear/);
    usage(await runCli(["call", "--bridge", "nosuch"]), /unknown bundled bridge "nosuch"/, /passthrough/, /no-clear/);
  }, 120_000);

  it("an app that does not answer: named, with the way to wait for it", async () => {
    const port = await closedPort();
    const app = `http://127.0.0.1:${port}/voice`;
    usage(await runCli(["test", "--app", app, "--stub-port", "0"]), new RegExp(`the app at ${app} does not answer \\(connection refused\\)`), /--wait-for-app/);
    usage(await runCli(["call", "--app", app]), new RegExp(`${app} does not answer`));
    usage(await runCli(["test", "--app", app, "--stub-port", "0", "--wait-for-app", "1s"]), new RegExp(`${app} did not answer within 1 s`));
  }, 120_000);

  it("bad numbers, durations and URLs name the flag", async () => {
    usage(await runCli(["test", "--bridge", "reference", "--repeat", "two"]), /--repeat: expected an integer/);
    usage(await runCli(["test", "--app", "http://127.0.0.1:9/voice", "--stub-port", "99999"]), /--stub-port: expected an integer in 0\.\.65535/);
    usage(await runCli(["test", "--app", "http://127.0.0.1:9/voice", "--wait-for-app", "soon"]), /--wait-for-app: "soon" is not a duration/);
    usage(await runCli(["test", "--app", "not a url"]), /--app: not a URL/);
    usage(await runCli(["test", "--bridge", "reference", "--wait-for-app", "5s"]), /--wait-for-app needs --app/);
    usage(await runCli(["stub", "--port", "http"]), /--port: expected an integer/);
    usage(await runCli(["call", "--app", "http://127.0.0.1:9/voice", "--duration", "forever"]), /--duration: "forever" is not a duration/);
  }, 240_000);

  it("a missing or unreadable --baseline or --config names the path", async () => {
    const missing = join(dir, "missing.json");
    usage(await runCli(["test", "--bridge", "reference", "--baseline", missing]), `--baseline ${missing}: no such file`);
    mkdirSync(join(dir, "adir"), { recursive: true });
    usage(await runCli(["test", "--bridge", "reference", "--baseline", join(dir, "adir")]), /is a directory/);
    usage(await runCli(["test", "--bridge", "reference", "--config", join(dir, "nope.mjs")]), `config file not found: ${join(dir, "nope.mjs")}`);
    writeFileSync(join(dir, "broken.mjs"), "export default {;\n");
    usage(await runCli(["test", "--bridge", "reference", "--config", join(dir, "broken.mjs")]), join(dir, "broken.mjs"));
  }, 120_000);

  it("a stub port already taken and an --out that cannot be written", async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    const app = createServer((c) => c.end());
    await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
    const port = (taken.address() as { port: number }).port;
    try {
      const appUrl = `http://127.0.0.1:${(app.address() as { port: number }).port}/voice`;
      usage(await runCli(["test", "--app", appUrl, "--stub-port", String(port), "--out", join(dir, "r")]), `--stub-port ${port}: the port is in use`);
      writeFileSync(join(dir, "plain-file"), "");
      usage(await runCli(["test", "--bridge", "reference", "--out", join(dir, "plain-file", "reports")]), /--out .*plain-file\/reports: cannot write there \(not a directory\)/);
    } finally {
      taken.close();
      app.close();
    }
  }, 120_000);

  it("a config file with an unknown key names it and the nearest valid one", async () => {
    writeFileSync(join(dir, "typo.mjs"), "export default { stubPrt: 4021, timeouts: { callMS: 5000 } };\n");
    usage(await runCli(["test", "--bridge", "reference", "--config", join(dir, "typo.mjs")]), /unknown key "stubPrt" \(did you mean "stubPort"\?\)/);
    writeFileSync(join(dir, "nested.mjs"), "export default { timeouts: { callMS: 5000 } };\n");
    usage(await runCli(["test", "--bridge", "reference", "--config", join(dir, "nested.mjs")]), /unknown key "timeouts\.callMS" \(did you mean "timeouts\.callMs"\?\)/);
  }, 120_000);
});

describe("colour", () => {
  it("FORCE_COLOR wins, then NO_COLOR, TERM=dumb, then the stream's TTY", () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(pipe, {})).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "" })).toBe(true); // no-color.org: set and not empty
    expect(colorEnabled(tty, { TERM: "dumb" })).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorEnabled(pipe, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(true);
    expect(colorEnabled(tty, { FORCE_COLOR: "0" })).toBe(false);
    expect(colorEnabled(tty, { FORCE_COLOR: "false" })).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: "" })).toBe(false);
  });
});
