// An HTML error page where BXML was expected (a framework's 404, a proxy's 502) reads as what it is:
// "not BXML (root `<html>`)", located where the page starts, from stdin and from an app's URL (which
// `bwemu lint` asks the way the carrier does: POST of an initiate). The real CLI in child processes.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasStackTrace, runCli } from "../support/cli.js";

const PAGE = '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Error</title></head>\n<body><pre>Cannot POST /voice</pre><br></body>\n</html>\n';
const NOT_BXML = "bxml/wrong-root  not BXML (root `<html>`): the reply is an HTML page";

let server: http.Server;
let base: string;
const requests: { method: string; path: string; contentType?: string; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    requests.push({ method: req.method ?? "", path: req.url ?? "", contentType: req.headers["content-type"], body: Buffer.concat(chunks).toString("utf8") });
    if (req.url === "/voice") {
      res.writeHead(200, { "content-type": "application/xml" });
      return res.end('<Response><PlayAudio>prompt.wav</PlayAudio><Hangup/></Response>');
    }
    res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
    res.end(PAGE);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("bwemu lint on an HTML page", () => {
  it("stdin: not BXML (root `<html>`), at the <html> element, exit 1", async () => {
    const r = await runCli(["lint", "-"], { input: PAGE });
    expect(hasStackTrace(r)).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`<stdin>:2:1  error  ${NOT_BXML}`);
    // One verdict: not the DOCTYPE refusal nor the unclosed <meta>/<br> the markup would otherwise trip on.
    expect(r.stdout).not.toMatch(/bxml\/doctype|not-well-formed/);
    expect(r.stdout).toContain("1 error, 0 warnings");
  }, 120_000);

  it("a URL answering an HTML 404: the status on stderr, not BXML (root `<html>`) with the URL as the location, exit 1", async () => {
    const r = await runCli(["lint", `${base}/missing`]);
    expect(hasStackTrace(r)).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`bwemu: POST ${base}/missing answered 404 (text/html; charset=utf-8)`);
    expect(r.stdout).toContain(`${base}/missing:2:1  error  ${NOT_BXML}`);
    const req = requests.find((q) => q.path === "/missing")!;
    expect(req).toMatchObject({ method: "POST", contentType: "application/json" });
    expect(JSON.parse(req.body)).toMatchObject({ eventType: "initiate", direction: "inbound" });
  }, 120_000);

  it("a URL serving BXML is linted with relative URLs resolved against it; an unreachable one is an I/O error (exit 2)", async () => {
    const ok = await runCli(["lint", `${base}/voice`]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stderr).toBe("");
    const down = await runCli(["lint", "http://127.0.0.1:1/voice"]);
    expect(hasStackTrace(down)).toBe(false);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/bwemu: cannot fetch http:\/\/127\.0\.0\.1:1\/voice: /);
  }, 120_000);
});
