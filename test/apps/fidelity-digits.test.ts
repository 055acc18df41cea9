// Digits as `bwemu call` shows them, against a small IVR written with bandwidth-sdk's BXML builders:
// keys the caller presses while nothing collects them are reported (call.dtmf-uncollected, on the
// timeline and in the live output), and a `#` that ends a <Record> (its terminatingDigits) is shown
// as ending the Record. The CLI's own path (flags → checkFlags → runCall), loopback, `--fast`.
import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bxml } from "bandwidth-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkFlags, runCall, type CallRun } from "../../src/cli/call.js";
import { listenLoopback } from "../support/loopback.js";

type Doc = InstanceType<typeof Bxml.Response>;

/** An app answering each path with its document (204 for anything else). */
async function startApp(routes: Record<string, () => Doc>): Promise<{ url: string; events: string[]; close(): Promise<void> }> {
  const events: string[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { eventType?: string; digits?: string };
    events.push(`${body.eventType}${body.digits !== undefined ? `:${body.digits}` : ""}`);
    const route = routes[new URL(req.url ?? "/", "http://x").pathname];
    if (!route) {
      res.writeHead(204);
      return res.end();
    }
    res.writeHead(200, { "content-type": "application/xml" });
    res.end(route().toBxml());
  });
  const { origin, close } = await listenLoopback(server);
  return { url: `${origin}/voice`, events, close };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bwemu-digits-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function call(url: string, dtmf: string, name: string): Promise<{ run: CallRun; output: string }> {
  const input = await checkFlags({ app: url, dtmf, fast: true, duration: "2m", hangupAfter: "1s", method: "POST", out: join(dir, name) });
  const lines: string[] = [];
  const run = await runCall(input, (s) => lines.push(s));
  return { run, output: lines.join("") };
}

describe("caller digits in `bwemu call`", () => {
  it("keys pressed after the Gather ended are reported as uncollected, once, with each key", async () => {
    // Menu: one digit, then a goodbye pause. The script presses 1, then (3 s later) 2 and 3.
    const app = await startApp({
      "/voice": () => new Bxml.Response([new Bxml.Gather({ gatherUrl: "/menu", maxDigits: 1 })]),
      "/menu": () => new Bxml.Response([new Bxml.Pause({ duration: 5 }), new Bxml.Hangup()]),
    });
    try {
      const { run, output } = await call(app.url, "1WWW23", "uncollected");
      expect(app.events).toContain("gather:1");
      const dtmf = run.result.timeline.of("caller.dtmf").map((e) => `${e.data.digit}→${e.data.to}`);
      expect(dtmf).toEqual(["1→gather", "2→dropped", "3→dropped"]);
      const findings = run.result.timeline.of("finding").filter((e) => e.data.code === "call.dtmf-uncollected");
      expect(findings).toHaveLength(1);
      expect(findings[0].data.level).toBe("warning");
      expect(findings[0].data.message).toContain('2 key(s) nobody collected ("23")');
      expect(output).toMatch(/! warning call\.dtmf-uncollected: the caller pressed 2 key\(s\) nobody collected \("23"\)/);
      // A warning: the call itself completed normally.
      expect(run.exitCode).toBe(0);
    } finally {
      await app.close();
    }
  }, 30_000);

  it("a # ends the Record: the key goes to the Record, the live view says it ended it, recordComplete follows", async () => {
    const app = await startApp({
      "/voice": () => new Bxml.Response([new Bxml.SpeakSentence("Leave a message after the tone."), new Bxml.Record({ recordCompleteUrl: "/recorded", maxDuration: 30 })]),
      "/recorded": () => new Bxml.Response([new Bxml.Hangup()]),
    });
    try {
      const { run, output } = await call(app.url, "4#", "record");
      const dtmf = run.result.timeline.of("caller.dtmf").map((e) => `${e.data.digit}→${e.data.to}`);
      expect(dtmf).toEqual(["4→record", "#→record"]);
      expect(output).toMatch(/caller pressed # → record\n.*· <Record> ended by the caller's # \(terminatingDigits "#"\)/);
      expect(app.events).toEqual(["initiate", "recordComplete"]);
      expect(run.result.timeline.of("finding").filter((e) => e.data.code === "call.dtmf-uncollected")).toEqual([]);
      // Ended by the key, long before maxDuration (30 s on the call's clock).
      const rec = run.result.timeline.of("verb.start").find((e) => e.data.verb === "Record")!;
      const end = run.result.timeline.of("verb.end").find((e) => e.data.verb === "Record")!;
      expect(end.t - rec.t).toBeLessThan(30e6);
      expect(run.exitCode).toBe(0);
    } finally {
      await app.close();
    }
  }, 30_000);
});
