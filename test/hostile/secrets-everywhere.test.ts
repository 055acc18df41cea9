// Secrets planted in every place a bridge can put one never appear in anything bwemu writes:
// BXML credential attributes of every kind (quotes of both kinds inside the value, a misspelling),
// URL userinfo in every URL attribute and in element text, a credential-named stream parameter,
// webhook response headers, the app's frames and close reason echoing them, and the Authorization
// header the bridge sends the Realtime stub. A real `bwemu test` (every reporter) and `bwemu call`
// run against it; every file they write, stdout and stderr are searched, and every file must parse.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { parseBxml } from "../../emulator/bxml/parse.js";
import { runBwemu, startHostileApp, type CliRun, type HostileApp } from "./support/secrets-run.js";

/** Each secret carries a unique token; the search is for the token, so any escaping of the rest is irrelevant. */
const S = {
  destinationUrl: "urlpw-TOKENA1",
  destinationPassword: `dq"sq'-TOKENA2`,
  eventUrl: "evpw-TOKENA3",
  password: "pw-TOKENA4",
  fallbackPassword: "fb-TOKENA5",
  param: "param-TOKENA6",
  audioPassword: "apw-TOKENA7",
  audioUrl: "aurl-TOKENA8",
  misspelt: "mis-TOKENA9",
  header: "hdr-TOKENB1",
  cookie: "cookie-TOKENB2",
  apiKey: "sk-proj-TOKENB3abcdefghijklmnop",
  realtimeKey: "sk-proj-TOKENB4abcdefghijklmnop",
};
const TOKENS = Object.values(S).map((v) => /TOKEN[A-Z]\d/.exec(v)![0]);

const xmlAttr = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

let app: HostileApp;
let stubPort = 0;
const dir = mkdtempSync(join(tmpdir(), "bwemu-secrets-"));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  stubPort = await freePort();
  app = await startHostileApp({
    initiate: (base, ws) => ({
      headers: { authorization: `Bearer ${S.header}`, "x-api-key": S.apiKey, "set-cookie": `sid=${S.cookie}`, "x-debug": `Basic ${S.header}` },
      body: `<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <StartStream name="agent" mode="bidirectional" tracks="inbound"
    destination="ws://streamuser:${S.destinationUrl}@127.0.0.1:${ws.port}/media"
    destinationUsername="streamuser" destinationPassword='${xmlAttr(S.destinationPassword)}'
    streamEventUrl="http://ev:${S.eventUrl}@${base.slice(7)}/events" streamEventMethod="POST"
    username="hookuser" password="${S.password}" destination_password="${S.misspelt}">
    <StreamParam name="apiToken" value="${S.param}"/>
  </StartStream>
  <PlayAudio username="audio" password="${S.audioPassword}">http://a:${S.audioUrl}@${base.slice(7)}/audio.wav</PlayAudio>
  <Gather gatherUrl="http://g:${S.eventUrl}@${base.slice(7)}/gather" fallbackUsername="f" fallbackPassword="${S.fallbackPassword}" maxDigits="1" firstDigitTimeout="1"/>
  <Pause duration="2"/>
</Response>`,
    }),
    other: () => ({ body: "", status: 204, headers: { "x-echo": `${S.password} ${S.apiKey}` } }),
    onStream: (ws) => {
      // A bridge that logs its secrets back: in a frame, then in the close reason; and talks to the stub with its key.
      const up = new WebSocket(`ws://127.0.0.1:${stubPort}/v1/realtime?model=gpt-realtime`, { headers: { Authorization: `Bearer ${S.realtimeKey}` } });
      up.on("error", () => undefined);
      let n = 0;
      ws.on("message", () => {
        // (Values bwemu was told are secret: from the BXML, and anything shaped like an API key.)
        if (++n === 5) ws.send(JSON.stringify({ eventType: "debug", echo: [S.destinationPassword, S.destinationUrl, S.param, S.password, S.audioUrl, S.apiKey].join(" ") }));
        if (n === 30) {
          up.close();
          ws.close(4000, `bye ${S.destinationPassword} ${S.param}`.slice(0, 120));
        }
      });
    },
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  if (!process.env.BWEMU_KEEP_REPORTS) rmSync(dir, { recursive: true, force: true });
});

function files(root: string): string[] {
  return readdirSync(root).flatMap((f) => {
    const p = join(root, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

function noSecrets(name: string, text: string): void {
  const found = TOKENS.filter((t) => text.includes(t)).map((t) => text.slice(Math.max(0, text.indexOf(t) - 100), text.indexOf(t) + 20));
  expect(found, `${name} leaks`).toEqual([]);
}

function checkOutputs(r: CliRun, out: string): string[] {
  noSecrets("stdout", r.stdout.toString());
  noSecrets("stderr", r.stderr.toString());
  const all = files(out);
  for (const f of all) {
    const text = readFileSync(f).toString("latin1") + readFileSync(f, "utf8");
    noSecrets(f, text);
    const utf8 = readFileSync(f, "utf8");
    if (f.endsWith(".json") || f.endsWith(".sarif")) JSON.parse(utf8);
    if (f.endsWith(".jsonl")) for (const l of utf8.trim().split("\n")) JSON.parse(l);
    if (f.endsWith("junit.xml")) expect(XMLValidator.validate(utf8)).toBe(true);
    if (/bxml-\d+\.xml$/.test(f)) expect(parseBxml(utf8).diagnostics).toEqual([]);
    if (f.endsWith(".html")) expect(utf8.trimEnd().endsWith("</html>")).toBe(true);
    if (f.endsWith(".md")) expect(utf8.length).toBeGreaterThan(0);
  }
  return all;
}

describe("no secret in anything bwemu writes", () => {
  it("bwemu call: stdout, stderr, timeline.jsonl, bxml-N.xml, WAVs", { timeout: 180_000 }, async () => {
    const out = join(dir, "call");
    for (const json of [false, true]) {
      const r = await runBwemu(["call", "--app", app.url, "--fast", "--duration", "6s", "--linger", "0.3s", "--out", out, ...(json ? ["--json"] : [])]);
      expect([0, 1]).toContain(r.code);
      const all = checkOutputs(r, out);
      expect(all.map((f) => f.slice(out.length + 1)).sort()).toEqual(expect.arrayContaining(["bxml-1.xml", "timeline.jsonl"]));
      const doc = readFileSync(join(out, "bxml-1.xml"), "utf8");
      // The document is the app's own, minus the secrets: the names and the user names stay.
      expect(doc).toContain(`destinationPassword='[redacted]'`);
      expect(doc).toContain(`ws://streamuser:[redacted]@127.0.0.1:`);
      expect(doc).toContain(`<StreamParam name="apiToken" value="[redacted]"/>`);
    }
  });

  it("bwemu test: every reporter, stdout, stderr", { timeout: 300_000 }, async () => {
    const out = join(dir, "test");
    const r = await runBwemu(["test", "--app", app.url, "--stub-port", String(stubPort), "--cases", "answer.*,stream.*", "--reporter", "html,json,junit,sarif,markdown", "--out", out], {
      env: { OPENAI_API_KEY: S.realtimeKey },
    });
    expect(r.code).toBe(1); // the bridge misbehaves (it closes its stream), the verdicts say so
    const all = checkOutputs(r, out);
    const names = all.map((f) => f.slice(out.length + 1));
    for (const want of ["report.html", "results.json", "junit.xml", "summary.md"]) expect(names).toContain(want);
    expect(names.some((n) => n.endsWith(".sarif"))).toBe(true);
  });
});
