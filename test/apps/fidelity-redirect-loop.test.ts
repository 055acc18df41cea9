// A redirect-loop app written the way Bandwidth's voice-redirect-loop sample is (bandwidth-sdk's BXML
// builders: SpeakSentence, Ring duration="30", Redirect to a relative URL of itself, forever), driven
// through the CLI's own path (flags → checkFlags → runCall) with `--fast --max-documents 20`. On
// virtual time the loop's twenty 30 s Rings cost no real time: the call reaches the document cap
// (ED-11) and ends with application-error naming the loop, its timeline spanning ten virtual minutes.
import http from "node:http";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { Bxml } from "bandwidth-sdk";
import { beforeAll, describe, expect, it } from "vitest";
import { checkFlags, runCall, type CallRun } from "../../src/cli/call.js";
import { closeAfterAll, scratchDirAfterAll } from "../support/cleanup.js";
import { listenLoopback } from "../support/loopback.js";

/** The sample's one handler: every request (initiate or redirect) gets the same document. */
async function startLoopApp(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { eventType?: string };
    hits.push(String(body.eventType));
    const doc = new Bxml.Response([
      new Bxml.SpeakSentence("Redirecting you in thirty seconds."),
      new Bxml.Ring({ duration: 30 }),
      new Bxml.Redirect({ redirectUrl: "/callbacks/redirect" }),
    ]);
    res.writeHead(200, { "content-type": "application/xml" });
    res.end(doc.toBxml());
  });
  const { origin, close } = await listenLoopback(server);
  return { url: `${origin}/callbacks/inboundCall`, hits, close };
}

describe("a redirect-loop app (bandwidth-sdk BXML) bounded with --fast --max-documents", () => {
  const dir = scratchDirAfterAll("loop");
  let run: CallRun;
  let app: Awaited<ReturnType<typeof startLoopApp>>;
  let output: string;

  const closing = closeAfterAll();

  beforeAll(async () => {
    app = closing(await startLoopApp());
    const input = await checkFlags({ app: app.url, fast: true, maxDocuments: "20", duration: "1h", hangupAfter: "3s", method: "POST", out: join(dir, "out") });
    expect(input.settings).toMatchObject({ pacing: "fast", virtualTime: true, bxmlRequestCap: 20 });
    const lines: string[] = [];
    run = await runCall(input, (s) => lines.push(s));
    output = lines.join("");
  }, 60_000);

  it("the call ends at the document cap with application-error naming the loop; exit 1", () => {
    expect(run.result.disconnectCause).toBe("application-error");
    expect(run.result.errorMessage).toMatch(/BXML request cap of 20 documents reached/);
    expect(run.result.errorMessage).toContain("/callbacks/redirect");
    expect(run.exitCode).toBe(1);
    expect(output).toMatch(/✗ the call ended with cause application-error: BXML request cap of 20/);
    const findings = run.result.timeline.of("finding").map((e) => e.data.code);
    expect(findings).toContain("call.bxml-loop");
  });

  it("the app served exactly the cap: one initiate and 19 redirects, every document saved", async () => {
    expect(app.hits).toEqual(["initiate", ...Array(19).fill("redirect")]);
    expect(run.result.documents).toHaveLength(20);
    expect((await readdir(run.outDir)).filter((f) => /^bxml-\d+\.xml$/.test(f))).toHaveLength(20);
  });

  it("every Ring ran its 30 s on the call's clock: the timeline spans 20 Rings of virtual time", () => {
    const rings = run.result.timeline.of("verb.start").filter((e) => e.data.verb === "Ring");
    expect(rings).toHaveLength(20);
    const ends = run.result.timeline.of("verb.end").filter((e) => e.data.verb === "Ring");
    expect(ends.map((e) => e.data.outcome)).toEqual(Array(20).fill("next"));
    for (let i = 0; i < 20; i++) expect(ends[i].t - rings[i].t).toBeGreaterThanOrEqual(30e6);
    expect(run.result.endedUs - run.result.startedUs).toBeGreaterThanOrEqual(20 * 30e6);
  });
});
