// `bwemu test` writes every recording the calls made under --out (recordings/recording-<id>.wav|mp3),
// as `bwemu call` does: an app that records each call with bandwidth-sdk's StartRecording (MP3), run
// through the suite's own path (resolveConfig → runTest) on loopback, one case.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bxml } from "bandwidth-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sniffAudio } from "../../emulator/media/sniff.js";
import { resolveConfig } from "../../src/config.js";
import { runTest } from "../../src/run/index.js";

describe("bwemu test writes recordings under --out", () => {
  let dir: string;
  let server: http.Server;
  let url: string;
  const notices: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bwemu-test-rec-"));
    server = http.createServer(async (req, res) => {
      for await (const _ of req);
      if (!req.url?.startsWith("/voice")) {
        res.writeHead(204);
        return res.end();
      }
      const doc = new Bxml.Response([new Bxml.StartRecording({ fileFormat: "mp3" }), new Bxml.SpeakSentence("This call is recorded."), new Bxml.Pause({ duration: 1 })]);
      res.writeHead(200, { "content-type": "application/xml" });
      res.end(doc.toBxml());
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/voice`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("one MP3 per recorded call in <out>/recordings, and a notice saying where", async () => {
    const config = resolveConfig({}, { app: url, cases: ["answer.http.status"], out: join(dir, "report"), reporters: ["json"], stubPort: 0, timeouts: { callMs: 8000 } });
    const outcome = await runTest({ config, onProgress: (p) => p.kind === "notice" && notices.push(p.message) });
    expect(outcome.result.calls.length).toBeGreaterThanOrEqual(1);
    const recDir = join(dir, "report", "recordings");
    const files = (await readdir(recDir)).sort();
    expect(files).toHaveLength(outcome.result.calls.length);
    for (const f of files) {
      expect(f).toMatch(/^recording-r-[0-9a-f-]+\.mp3$/);
      expect(sniffAudio(await readFile(join(recDir, f)))).toMatchObject({ kind: "mp3", sampleRate: 8000 });
    }
    expect(notices).toContain(`${files.length} recording(s) written to ${recDir}`);
  }, 90_000);
});
