// `bwemu call` latency surfaces end to end (issue 4): real carrier, real stub, bridges as child
// processes, real sockets on loopback. Bounds are generous (shared 2-core machine); the precise
// figures are the benchmarks'.

import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { concat, silence, tone } from "../../emulator/media/synth.js";
import { writeWav } from "../../emulator/media/wav.js";
import { startRealtimeStub, type RealtimeStub } from "../../emulator/realtime/server.js";
import { spawnBridge } from "../../fixtures/bridges/process.js";
import { checkFlags, runCall, type CallFlags } from "../../src/cli/call.js";
import { UsageError } from "../../src/exit.js";

const ROOT = resolve(import.meta.dirname, "../..");
const FAKE_KEY = "sk-test-FAKE0123456789abcdefNEVERPRINT";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "bwemu-latency-"));
  cleanup.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

const flags = (over: Partial<CallFlags>): CallFlags => ({ duration: "60s", hangupAfter: "0.5s", method: "POST", ...over });

/** Every file under `dir`, concatenated (to prove a secret is in none of them). */
async function allFiles(dir: string): Promise<string> {
  let out = "";
  for (const f of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (f.isFile()) out += (await readFile(join(f.parentPath, f.name))).toString("latin1");
  }
  return out;
}

/**
 * Tone utterances with hard edges on 20 ms frame boundaries, so the stub's VAD and the carrier's
 * annotation agree on the speech end (the speech fixtures' VAD lead would blur a 50 ms figure), and a
 * stub script with short replies: each turn takes ~2 s.
 */
async function toneScenario(dir: string, n: number): Promise<{ script: string; stubScript: string }> {
  const wav = join(dir, "tone.wav");
  await writeFile(wav, writeWav(concat(silence(200, 8000), tone(440, 600, 8000, 0.5), silence(200, 8000)), 8000, { encoding: "mulaw" }));
  const script = join(dir, "caller.json");
  await writeFile(
    script,
    JSON.stringify({
      script: Array.from({ length: n }, (_, i) => (i === 0 ? { wav: "tone.wav", silenceBeforeMs: 500 } : { wav: "tone.wav", start: { kind: "after-reply" } })),
      tailSilenceMs: 1000,
    }),
  );
  const stubScript = join(dir, "stub.json");
  await writeFile(stubScript, JSON.stringify({ turns: [{ audio: { synth: 300 }, transcript: "OK." }], after: "cycle", defaults: { deltaMs: 100, pacing: "burst" } }));
  return { script, stubScript };
}

describe("bwemu call --turns: latency at the carrier", () => {
  it("--turns 2 through the reference bridge (child process) and the in-process stub: table printed, exit 0", async () => {
    const out = await tmp();
    const input = await checkFlags(flags({ bridge: "reference", turns: "2", out }));
    expect(input.realtime).toMatchObject({ kind: "stub", port: 0 });
    let text = "";
    const run = await runCall(input, (s) => (text += s));
    expect(run.reason).toBeUndefined();
    expect(run.exitCode).toBe(0);
    const lat = run.latency!;
    expect(lat.turns.map((t) => t.kind)).toEqual(["turn", "turn"]);
    expect(lat.turns.every((t) => t.failure === undefined && t.turnMs! > 0)).toBe(true);
    expect(lat.stub).toMatchObject({ present: true, valid: true, carrierTurns: 2, stubTurns: 2 });
    expect(lat.turns.every((t) => t.bridgeOverheadMs !== undefined)).toBe(true);
    expect(text).toMatch(/latency measured at the carrier/);
    expect(text).toMatch(/turn +kind +L ms +K ms +B ms/);
    expect(text).toMatch(/turn latency L +2 +0 /);
    expect(text).toMatch(/bridge overhead B +2 +0 /);
    expect(text).toMatch(/downstream underruns: \d+/);
    expect(text).toMatch(/✓ call completed normally/);
    const saved = JSON.parse(await readFile(join(out, "latency.json"), "utf8"));
    expect(saved.turns).toHaveLength(2);
    // Each turn carries the points its figures come from: B = (C_first − C_end) − (S_first − S_end).
    for (const t of saved.turns) {
      const p = t.points;
      expect(p.cFirstMs - p.cEndMs - (p.sFirstMs - p.sEndMs)).toBeCloseTo(t.bridgeOverheadMs, 2);
    }
    expect(text).toMatch(/points \(ms; C_\* carrier clock, S_\* stub clock\)/);
  }, 90_000);

  it("a bridge with an injected 50 ms downstream delay shows it as bridge overhead B at p50", async () => {
    const dir = await tmp();
    const { script, stubScript } = await toneScenario(dir, 3);
    const input = await checkFlags(flags({ bridge: "reference", bridgeDelay: "50ms", script, stubScript, out: join(dir, "out") }));
    expect(input.bridge).toEqual({ kind: "reference", downstreamDelayMs: 50 });
    let text = "";
    const run = await runCall(input, (s) => (text += s));
    expect(run.exitCode).toBe(0);
    expect(text).toMatch(/\+50 ms downstream/);
    const b = run.latency!.summary.bridgeOverhead;
    expect(b.n).toBe(3);
    // D = 50 ms; the harness adds its own few ms (bench/latency-floor). Generous: the machine is shared.
    expect(b.p50!).toBeGreaterThan(40);
    expect(b.p50!).toBeLessThan(200);
  }, 90_000);

  it("--app with --realtime stub --stub-port: the user's own bridge process talks to the in-process stub", async () => {
    const dir = await tmp();
    const { script, stubScript } = await toneScenario(dir, 2);
    // A free port for the stub, known before the bridge starts (as a user would configure it).
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const bridge = await spawnBridge({ realtimeUrl: `ws://127.0.0.1:${port}/v1/realtime`, env: { QUIET: "1" } });
    cleanup.push(() => bridge.close());
    const input = await checkFlags(flags({ app: bridge.url, realtime: "stub", stubPort: String(port), script, stubScript, out: join(dir, "out") }));
    let text = "";
    const run = await runCall(input, (s) => (text += s));
    expect(text).toContain(`Realtime stub at ws://127.0.0.1:${port}/v1/realtime (in-process; point your bridge's upstream here)`);
    expect(run.exitCode).toBe(0);
    expect(run.latency!.stub.valid).toBe(true);
    expect(run.latency!.summary.bridgeOverhead.n).toBe(2);
  }, 90_000);

  it("direct mode (no bridge, built-in answer) completes a turn; --json carries the latency", async () => {
    const out = await tmp();
    const input = await checkFlags(flags({ direct: true, turns: "1", out }));
    expect(input.appUrl).toBe("");
    let text = "";
    const run = await runCall(input, (s) => (text += s), true);
    expect(run.exitCode).toBe(0);
    const lines = text.trim().split("\n").map((l) => JSON.parse(l) as Record<string, any>);
    const last = lines[lines.length - 1].result;
    expect(last).toMatchObject({ mode: "direct", realtime: "stub", exitCode: 0, disconnectCause: "hangup" });
    expect(last.latency.turns).toHaveLength(1);
    expect(last.latency.turns[0].turnMs).toBeGreaterThan(0);
    expect(last.latency.stub.valid).toBe(true);
    // The built-in answer only holds the call; the direct session is on the timeline.
    expect(await readFile(join(out, "bxml-1.xml"), "utf8")).toMatch(/<Pause duration="\d+"\/>/);
    const kinds = lines.filter((l) => l.kind).map((l) => `${l.kind}:${l.data?.phase ?? l.data?.event ?? ""}`);
    expect(kinds).toContain("direct.session:open");
    expect(kinds).toContain("direct.audio:delta");
  }, 60_000);
});

describe("bwemu call --realtime <url>: live mode's key", () => {
  it("a missing OPENAI_API_KEY is a usage error: exit 2 with the reason (CLI process)", async () => {
    const env = { ...process.env };
    delete env.OPENAI_API_KEY;
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "call", "--direct", "--realtime", "wss://api.openai.com/v1/realtime", "--turns", "1"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    child.stderr.on("data", (d) => (text += d));
    const code = await new Promise<number | null>((r, rej) => {
      const t = setTimeout(() => {
        child.kill("SIGKILL");
        rej(new Error("bwemu call did not exit within 30 s"));
      }, 30_000);
      child.once("exit", (c) => {
        clearTimeout(t);
        r(c);
      });
    });
    expect(code).toBe(2);
    expect(text).toMatch(/OPENAI_API_KEY/);
    await expect(checkFlags(flags({ bridge: "reference", realtime: "wss://api.openai.com/v1/realtime" }), {})).rejects.toThrow(UsageError);
  }, 40_000);

  it("a refused key (the endpoint answers 401) is a clear error, and the key is not in it", async () => {
    const server: Server = createServer((_req, res) => res.writeHead(401, { "content-type": "application/json" }).end('{"error":"invalid key"}'));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1/realtime`;
    const input = await checkFlags(flags({ direct: true, realtime: url, turns: "1", out: await tmp() }), { OPENAI_API_KEY: FAKE_KEY });
    expect(JSON.stringify(input)).not.toContain(FAKE_KEY);
    let text = "";
    const err = await runCall(input, (s) => (text += s)).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect(err!.message).toMatch(/refused the session: HTTP 401.*OPENAI_API_KEY/);
    expect(err!.message + text).not.toContain(FAKE_KEY);
  });

  it("an accepted key (the stub as a URL: the live code path) is never printed, recorded or written", async () => {
    const stub: RealtimeStub = await startRealtimeStub({ port: 0 });
    cleanup.push(() => stub.close());
    const out = await tmp();
    const input = await checkFlags(flags({ direct: true, realtime: stub.url, turns: "1", out }), { OPENAI_API_KEY: FAKE_KEY });
    expect(input.realtime?.kind).toBe("url");
    let text = "";
    const run = await runCall(input, (s) => (text += s), true);
    expect(run.exitCode).toBe(0);
    expect(run.latency!.turns[0].turnMs).toBeGreaterThan(0);
    // The key did reach the endpoint (as a header the stub redacts) …
    const session = stub.sessions().find((s) => s.headers.authorization !== undefined);
    expect(session).toBeDefined();
    // … and is nowhere else: output, timeline, files, the stub's records.
    expect(text).not.toContain(FAKE_KEY);
    expect(run.result.timeline.toJSONL()).not.toContain(FAKE_KEY);
    expect(await allFiles(out)).not.toContain(FAKE_KEY);
    expect(JSON.stringify(stub.sessions().map((s) => ({ h: s.headers, c: s.clientEvents })))).not.toContain(FAKE_KEY);
  }, 60_000);
});
