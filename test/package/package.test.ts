// The package as a user gets it: `npm pack` of this repository installed from the tarball into a
// scratch project that has no tsx, no TypeScript and no test tools, then used the documented ways:
// `npx bwemu`, `bwemu lint`, a conformance run against the bundled bridge, a plain-JavaScript import,
// a strict TypeScript consumer, and the stub stopped by SIGTERM and SIGINT.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { NPM as npm, packOnce, REPO as repo, run, userEnv, type Packed } from "../support/pack.js";

const version = (JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { version: string }).version;

let dir: string;
let project: string;
let packed: Packed["info"];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bwemu-package-"));
  // `npm pack` runs the `prepare` build, so the tarball is what publishing would upload.
  const pack = await packOnce();
  packed = pack.info;
  project = join(dir, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }, null, 2));
  const install = await run(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", pack.tarball], project, 240_000);
  expect(install.code, install.stderr).toBe(0);
}, 480_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the tarball", () => {
  it("holds the compiled package, its assets, README and LICENSE, and nothing of the development tree", () => {
    const paths = packed.files.map((f) => f.path);
    for (const p of ["LICENSE", "README.md", "package.json", "bin/bwemu.js", "dist/src/index.js", "dist/src/index.d.ts", "dist/src/cli/main.js", "dist/reports/run-result.schema.json", "dist/fixtures/bridges/reference/main.js", "dist/fixtures/audio/speech-hello.8k-mulaw.wav", "dist/emulator/realtime/thread-worker.js", "dist/emulator/realtime/tls/ca.pem"]) {
      expect(paths, p).toContain(p);
    }
    const stray = paths.filter((p) => /\.test\.|\/test\/|^bench\/|^\.ci\/|__baseline__|\.png$|^scripts\//.test(p) || (p.endsWith(".ts") && !p.endsWith(".d.ts")));
    expect(stray).toEqual([]);
    // The private declarations of untyped dependencies stay private; the test CA's key stays home.
    expect(paths.filter((p) => p.includes("wav-decoder") || p.endsWith("ca.key"))).toEqual([]);
  });

  it("installs no tsx, no TypeScript and no test tools", () => {
    const installed = readdirSync(join(project, "node_modules"));
    for (const dev of ["tsx", "typescript", "vitest", "msw", "pixelmatch", "pngjs", "playwright-core", "esbuild"]) expect(installed, dev).not.toContain(dev);
    expect(installed).toContain("bwemu");
  });
});

describe("the installed CLI", () => {
  it("npx bwemu --version prints the package version", async () => {
    const r = await run("npx", ["bwemu", "--version"], project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it("bwemu lint finds the error in a file and passes a good one", async () => {
    writeFileSync(join(project, "bad.xml"), '<Response>\n  <StartStream name="agent" destination="wss://bridge.example.com/ws"/>\n</Response>\n');
    writeFileSync(join(project, "good.xml"), '<Response>\n  <StartStream name="agent" destination="wss://bridge.example.com/ws"/>\n  <StopStream name="agent" wait="true"/>\n</Response>\n');
    const bad = await run(join(project, "node_modules/.bin/bwemu"), ["lint", "bad.xml"], project);
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/bad\.xml:2:3\s+error\s+stream\/no-keepalive/);
    const good = await run(join(project, "node_modules/.bin/bwemu"), ["lint", "good.xml", "--format", "json"], project);
    expect(good.code, good.stderr).toBe(0);
  });

  it("bwemu test --bridge reference runs the answer cases and writes a results.json that names its schema", async () => {
    // Options from the project's config, which imports defineConfig from the installed package.
    writeFileSync(join(project, "bwemu.config.mjs"), 'import { defineConfig } from "bwemu";\nexport default defineConfig({ reporters: ["json"], out: "report" });\n');
    const r = await run(join(project, "node_modules/.bin/bwemu"), ["test", "--bridge", "reference", "--cases", "answer.*"], project, 180_000);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // Validated by the package's own `bwemu/schema`, from plain JavaScript.
    writeFileSync(
      join(project, "check.mjs"),
      [
        'import { readFileSync } from "node:fs";',
        'import schema, { validateRunResult } from "bwemu/schema";',
        'const run = JSON.parse(readFileSync("report/results.json", "utf8"));',
        "const answer = run.cases.filter((c) => c.id.startsWith(\"answer.\"));",
        "console.log(JSON.stringify({ same: run.$schema === schema.$id, errors: validateRunResult(run), ran: answer.length, failed: answer.filter((c) => c.verdict === \"fail\" || c.verdict === \"error\").map((c) => c.id) }));",
      ].join("\n"),
    );
    const check = await run("node", ["check.mjs"], project);
    expect(check.code, check.stderr).toBe(0);
    const facts = JSON.parse(check.stdout) as { same: boolean; errors: unknown[]; ran: number; failed: string[] };
    expect(facts).toMatchObject({ same: true, errors: [], failed: [] });
    expect(facts.ran).toBeGreaterThan(5);
  });

  it.skipIf(!!(process.features as { typescript?: unknown }).typescript)("a bwemu.config.ts on a Node that cannot run TypeScript, with no tsx: a usage error that says what to do", async () => {
    writeFileSync(join(project, "typed.config.ts"), 'import { defineConfig } from "bwemu";\nconst app: string = "http://127.0.0.1:1/voice";\nexport default defineConfig({ app });\n');
    const r = await run(join(project, "node_modules/.bin/bwemu"), ["test", "--config", "typed.config.ts"], project);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/typed\.config\.ts: Node v[\d.]+ cannot load TypeScript by itself: add tsx to your project \(npm i -D tsx\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

/** For the steps after the no-dev-tools checks: the optional peers vitest and msw, linked from this repository. */
function linkPeers(): void {
  for (const peer of ["vitest", "msw"]) {
    const at = join(project, "node_modules", peer);
    if (!existsSync(at)) symlinkSync(join(repo, "node_modules", peer), at, "dir");
  }
}

describe("the API", () => {
  it("imports from plain JavaScript (ESM) and works: lint, config, the stub, a placed call", async () => {
    // bwemu/vitest runs inside Vitest: it needs the optional peer.
    linkPeers();
    writeFileSync(
      join(project, "api.mjs"),
      `import { lintBxml, defineConfig, resolveConfig, runTest, startRealtimeStub, placeCall, Carrier } from "bwemu";
import { bwemuMatchers } from "bwemu/vitest";
import { createServer } from "node:http";
const found = lintBxml('<Response><Pause duration="x"/></Response>').map((d) => d.ruleId);
const config = resolveConfig(defineConfig({ app: "http://127.0.0.1:1/voice" }), {});
const stub = await startRealtimeStub({ port: 0 });
const stubUrl = stub.url;
await stub.close();
const app = createServer((req, res) => { res.setHeader("content-type", "application/xml"); res.end('<Response><SpeakSentence>hello</SpeakSentence><Hangup/></Response>'); });
await new Promise((r) => app.listen(0, "127.0.0.1", r));
const call = await placeCall({ appUrl: "http://127.0.0.1:" + app.address().port + "/voice" });
app.close();
console.log(JSON.stringify({ found, app: config.app, stubUrl, runTest: typeof runTest, carrier: typeof Carrier, matcher: typeof bwemuMatchers.toBeValidBxml, documents: call.documents.length, cause: call.disconnectCause }));
`,
    );
    const r = await run("node", ["api.mjs"], project);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ found: ["bxml/attribute-type"], app: "http://127.0.0.1:1/voice", runTest: "function", carrier: "function", matcher: "function", documents: 1, cause: "hangup" });
    expect(out.stubUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime$/);
  });

  it("type-checks in a strict NodeNext TypeScript project without Node typings, library checks on", async () => {
    // The optional peers (vitest for the bwemu/vitest augmentation) and this repository's compiler.
    linkPeers();
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", noEmit: true, skipLibCheck: false, types: [] }, files: ["consumer.ts"] }),
    );
    writeFileSync(
      join(project, "consumer.ts"),
      `import { expect } from "vitest";
import { defineConfig, lintBxml, placeCall, resolveConfig, runTest, startRealtimeStub, Carrier, type CallResult, type Diagnostic, type OutboundCallOptions, type PlaceCallOptions, type RunResult, type TestRunOutcome } from "bwemu";
import { bwemuMatchers } from "bwemu/vitest";
import schema, { schemaId, validateRunResult } from "bwemu/schema";
import { realtimeStubHandler, voiceApiHandlers, type MswRealtimeStub } from "bwemu/msw";
import { startBwemu, type PlacedCall } from "bwemu";

expect.extend(bwemuMatchers);
expect("<Response/>").toBeValidBxml({ strict: true });
const config = defineConfig({ app: "http://127.0.0.1:3000/voice", exclude: ["latency.*"] });
const found: Diagnostic[] = lintBxml("<Response/>");
const call: PlaceCallOptions = { appUrl: "http://127.0.0.1:3000/voice", maxDurationMs: 5000 };
export type Outbound = OutboundCallOptions;
export async function all(): Promise<[TestRunOutcome, CallResult, RunResult | undefined, number]> {
  const stub = await startRealtimeStub({ port: 0 });
  await stub.close();
  const carrier = new Carrier({ seed: 1 });
  await carrier.close();
  return [await runTest({ config: resolveConfig(config, {}) }), await placeCall(call), undefined, found.length];
}
export const facts: unknown[] = [schemaId, schema.$id, validateRunResult({}).length];
export const msw: Promise<MswRealtimeStub> = realtimeStubHandler({ url: "wss://api.openai.com/v1/realtime" });
export const rest: unknown[] = voiceApiHandlers({ apiBaseUrl: "http://127.0.0.1:4010/api/v2" });
export async function inTests(): Promise<PlacedCall> {
  const bwemu = await startBwemu({ realtime: false });
  try {
    const placed = await bwemu.placeCall("http://127.0.0.1:3000/voice", { audio: { turns: 1 }, dtmf: "1#", direction: "outbound" });
    expect(placed).toHaveReceivedWebhook("answer");
    expect(placed).toHaveTurnLatencyBelow(1500, { percentile: "p95" });
    return placed;
  } finally {
    await bwemu.close();
  }
}
`,
    );
    const tsc = await run("node", [join(repo, "node_modules/typescript/bin/tsc"), "-p", "."], project, 180_000);
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);
  });

  it("bwemu/msw mounts the stub on msw where the optional peer is installed", async () => {
    linkPeers();
    writeFileSync(
      join(project, "msw.mjs"),
      'import { realtimeStubHandler, OPENAI_REALTIME_URL } from "bwemu/msw";\nconst s = await realtimeStubHandler();\nconsole.log(JSON.stringify({ url: s.url === OPENAI_REALTIME_URL, handler: typeof s.handler }));\nawait s.close();\n',
    );
    const r = await run("node", ["msw.mjs"], project);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ url: true, handler: "object" });
  });
});

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The children of `pid` (Linux /proc); empty elsewhere. */
function childrenOf(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  return existsSync(file) ? readFileSync(file, "utf8").trim().split(/\s+/).filter(Boolean).map(Number) : [];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each(["SIGTERM", "SIGINT"] as const)("bwemu stub and %s", (signal) => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  it("stops in one process: sessions closed, no process left, the port free", async () => {
    const port = await freePort();
    // The installed bin itself (not npx, which would add its own npm process in between).
    child = spawn("node", [join(project, "node_modules/bwemu/bin/bwemu.js"), "stub", "--port", String(port)], { cwd: project, env: userEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (s: string) => (out += s));
    child.stderr!.setEncoding("utf8").on("data", (s: string) => (out += s));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child!.once("exit", (code, sig) => resolve({ code, signal: sig })));
    const url = `ws://127.0.0.1:${port}/v1/realtime`;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line within 20 s: ${out}`)), 20_000);
      const poll = setInterval(() => {
        if (out.includes(url)) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve();
        }
      }, 20);
      void exited.then(() => reject(new Error(`the stub exited: ${out}`)));
    });
    expect(childrenOf(child.pid!)).toEqual([]);

    // A client in session when the signal comes: the stub closes it on the way out.
    const ws = new WebSocket(`${url}?model=gpt-realtime`, { headers: { Authorization: "Bearer sk-test" } });
    await new Promise<void>((resolve, reject) => {
      ws.once("message", () => resolve());
      ws.once("error", reject);
    });
    const wsClosed = new Promise<void>((resolve) => ws.once("close", () => resolve()));

    child.kill(signal);
    const end = await exited;
    expect(end, out).toEqual({ code: 0, signal: null });
    await wsClosed;
    expect(alive(child.pid!)).toBe(false);
    // The port is free again: binding it succeeds.
    await new Promise<void>((resolve, reject) => {
      const s = createServer();
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => s.close(() => resolve()));
    });
  });
});
