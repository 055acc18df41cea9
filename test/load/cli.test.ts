// `bwemu load` as a user runs it: the real CLI in a child process, the reference bridge, the stub.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { hasStackTrace, runCli } from "../support/cli.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "bwemu-load-"));
  dirs.push(d);
  return d;
}

describe("bwemu load (CLI)", () => {
  // Full calls in real time take tens of seconds on a busy box: a limit, not a timed assertion.
  it("runs full calls against the reference bridge and writes load.json and load.html", { timeout: 180_000 }, async () => {
    const out = await tmp();
    const r = await runCli(["load", "--bridge", "reference", "--calls", "2", "--turns", "1", "--hangup-after", "1s", "--workers", "1", "--out", out, "--json"]);
    expect(hasStackTrace(r)).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout.trim().split("\n").pop()!);
    const saved = JSON.parse(await readFile(join(out, "load.json"), "utf8"));
    expect(saved.totals).toEqual(printed.totals);
    expect(saved.totals).toMatchObject({ started: 2, completed: 2 });
    expect(saved.totals.turn.n).toBeGreaterThanOrEqual(1); // a turn the harness could not measure soundly (an overloaded box) is left out, never failed
    expect(saved.totals.shards).toHaveLength(1);
    expect(typeof saved.verdict.trustworthy).toBe("boolean");
    // The stub echoed each caller's signature; neither call heard the other's.
    expect(saved.crossTalk).toMatchObject({ mode: "echo", judged: 2, ownHeard: 2, crossed: 0, evidence: [] });
    const page = await readFile(join(out, "load.html"), "utf8");
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain("Content-Security-Policy");
  });

  it("Ctrl-C ends the run cleanly with a partial report", { timeout: 120_000 }, async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "application/xml" }).end('<?xml version="1.0"?><Response><Pause duration="60"/></Response>'));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/voice`;
    const out = await tmp();
    try {
      const r = await runCli(["load", "--app", url, "--calls", "2", "--duration", "2m", "--rate", "50/s", "--turns", "0", "--workers", "0", "--window", "200ms", "--out", out], {
        onSpawn: (child) => {
          let sent = false;
          child.stdout!.on("data", (d: Buffer) => {
            if (!sent && /active 2/.test(d.toString())) {
              sent = true;
              child.kill("SIGINT");
            }
          });
        },
      });
      expect(hasStackTrace(r)).toBe(false);
      expect(r.stdout).toMatch(/interrupted: hanging up every call/);
      expect(r.code).toBe(0);
      const saved = JSON.parse(await readFile(join(out, "load.json"), "utf8"));
      expect(saved.partial).toBe(true);
      expect(saved.totals).toMatchObject({ started: 2, completed: 2, cut: 2 });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it("refuses bad flags with a located usage error", { timeout: 60_000 }, async () => {
    const r = await runCli(["load", "--app", "http://127.0.0.1:9/voice", "--calls", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--calls: expected an integer in 1\.\.100000, got "0"/);
    const rate = await runCli(["load", "--bridge", "reference", "--calls", "2", "--rate", "fast"]);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toMatch(/--rate: "fast" is not a rate/);
    expect(hasStackTrace(rate)).toBe(false);
    const dtmf = await runCli(["load", "--bridge", "reference", "--calls", "2", "--dtmf", "12x"]);
    expect(dtmf.code).toBe(2);
    expect(dtmf.stderr).toMatch(/--dtmf: "12x" may only contain/);
    const audio = await runCli(["load", "--bridge", "reference", "--calls", "2", "--audio", "fixtures/audio/broken-not-riff.wav"]);
    expect(audio.code).toBe(2);
    expect(audio.stderr).toMatch(/--audio: .*broken-not-riff\.wav/);
  });
});
