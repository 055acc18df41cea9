// `bwemu stub` as a real process: the JSON ready line and GET /health, a session against it, secret-free logs, clean stop on
// SIGTERM (exit 0), located script errors (exit 2).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { writeWav } from "../../media/wav.js";
import { Client, GA_PCMU_UPDATE } from "./helpers.js";
import { tone } from "./helpers.js";

const root = path.resolve(import.meta.dirname, "../../..");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "bwemu-stub-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[]): { child: ChildProcess; out: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), "stub", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let buf = "";
  child.stdout!.on("data", (d) => (buf += d));
  child.stderr!.on("data", (d) => (buf += d));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, out: () => buf, exit };
}

async function until(pred: () => boolean, what: string, ms = 30_000, out?: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timeout: ${what}; output so far: ${out?.() ?? ""}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

it("runs with a YAML script and a WAV reply, logs without secrets, stops on SIGTERM", async () => {
  await writeFile(path.join(dir, "hello.wav"), writeWav(tone(400, 16000), 16000));
  await writeFile(path.join(dir, "script.yaml"), "greeting:\n  audio: hello.wav\n  transcript: Hello from a file\nturns:\n  - audio: { synth: 200 }\n");
  const p = run(["--port", "0", "--log", "--script", path.join(dir, "script.yaml")]);
  try {
    await until(() => p.out().includes("\n"), "ready line", 45_000, p.out);
    const ready = JSON.parse(p.out().split("\n")[0]) as { event: string; url: string; health: string; script: string };
    expect(ready).toMatchObject({ event: "ready", url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime$/), script: path.join(dir, "script.yaml") });
    const url = ready.url;
    const health = await fetch(ready.health);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", sessions: { open: 0, total: 0 } });
    const c = await Client.connect(url);
    c.send(GA_PCMU_UPDATE);
    c.send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "greet" }] } });
    c.send({ type: "response.create" });
    await c.waitFor("response.done", 1, 15_000);
    const bytes = c.of("response.output_audio.delta").reduce((s, d) => s + Buffer.from(d.delta, "base64").length, 0);
    expect(bytes).toBe(400 * 8); // 16 kHz WAV → 8 kHz µ-law
    expect(c.of("response.output_audio_transcript.done")[0].transcript).toBe("Hello from a file");
    await c.close();
    await until(() => p.out().includes("closed by client"), "close log");
    p.child.kill("SIGTERM");
    expect(await p.exit).toBe(0);
    expect(p.out()).toContain("response.created");
    expect(p.out()).toContain("Stopped after 1 session.");
    expect(p.out()).not.toContain("SECRET");
  } finally {
    p.child.kill("SIGKILL");
  }
}, 90_000);

it("a bad script is a usage error (exit 2) naming the field", async () => {
  await writeFile(path.join(dir, "bad.json"), JSON.stringify({ turns: [{ audio: { synth: 100 }, pacing: "fast" }] }));
  const p = run(["--script", path.join(dir, "bad.json")]);
  expect(await p.exit).toBe(2);
  expect(p.out()).toContain("turns[0].pacing");
}, 90_000);
