// Control characters from the app never reach the terminal raw: an OSC retitle + BEL, a screen
// clear (CSI), C1 CSI and a bidi override in a close reason, in a frame, in an upgrade status line, in
// BXML, and in a Realtime client's event type, through `bwemu call` (live view and --json), `bwemu
// test`, `bwemu lint` (text and json) and `bwemu stub --log`. Every byte of stdout and stderr is checked.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { escapeControls, escapeJsonControls, maskControls } from "../../emulator/text/escape.js";
import { RAW_CONTROL, repo, runBwemu, startHostileApp, type CliRun } from "./support/secrets-run.js";

const PWN = "\x1b]0;PWNED\x07\x1b[2J\u009b31m\u202eevil";
const dir = mkdtempSync(join(tmpdir(), "bwemu-terminal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stream = (ws: string) =>
  `<Response><StartStream name="agent" mode="bidirectional" destination="${ws}"/><Pause duration="3"/></Response>`;

function clean(r: CliRun): string {
  const text = r.stdout.toString("utf8") + r.stderr.toString("utf8");
  const hit = RAW_CONTROL.exec(text);
  expect(hit ? `raw U+${hit[0].charCodeAt(0).toString(16)} near ${JSON.stringify(text.slice(Math.max(0, hit.index - 40), hit.index + 20))}` : "none").toBe("none");
  return text;
}

describe("the escaper", () => {
  it("shows controls as escapes; keeps line breaks only when asked; JSON stays valid", () => {
    expect(escapeControls("a\x1b[2J\x07b\u202ec\nd\u009b")).toBe("a\\x1b[2J\\x07b\\u202ec\\nd\\x9b");
    expect(escapeControls("x\r\ny\rz\tw", { multiline: true })).toBe("x\r\ny\\rz\tw");
    const json = escapeJsonControls(JSON.stringify({ s: PWN }));
    expect(json).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json).s).toBe(PWN);
    expect(maskControls("a\x1bb\tc")).toBe("a\ufffdb\tc");
  });
});

describe("bwemu call", () => {
  it.each([
    ["a close reason", { onStream: (ws: WebSocket) => ws.once("message", () => ws.close(4000, PWN)) }],
    ["a text frame", { onStream: (ws: WebSocket) => ws.once("message", () => ws.send(`${PWN} {"eventType":"bogus"}`)) }],
    ["an upgrade status line", { refuseUpgrade: { status: `400 ${PWN}`, headers: { "x-why": "\u202eevil" } } }],
  ])("%s: live view and --json print no raw control character", { timeout: 180_000 }, async (_name, behaviour) => {
    const app = await startHostileApp({ initiate: (_b, ws) => ({ body: stream(ws.url) }), ...behaviour });
    try {
      for (const json of [false, true]) {
        const r = await runBwemu(["call", "--app", app.url, "--fast", "--duration", "4s", "--linger", "0.3s", "--out", join(dir, `call-${Date.now()}`), ...(json ? ["--json"] : [])]);
        expect([0, 1]).toContain(r.code);
        const text = clean(r);
        if (json) for (const l of r.stdout.toString().trim().split("\n")) JSON.parse(l);
        else if (!("refuseUpgrade" in behaviour)) expect(text).toContain("\\x1b]0;PWNED\\x07");
      }
    } finally {
      await app.close();
    }
  });
});

describe("bwemu test", () => {
  it("observed: lines and progress print no raw control character", { timeout: 240_000 }, async () => {
    const app = await startHostileApp({
      initiate: (_b, ws) => ({ body: stream(ws.url) }),
      onStream: (ws) => ws.once("message", () => ws.close(4000, PWN)),
    });
    try {
      const r = await runBwemu(["test", "--app", app.url, "--stub-port", "0", "--cases", "stream.*", "--out", join(dir, "test"), "--verbose"], {
        env: { BWEMU_CALLBACK_PASSWORD: undefined },
      });
      expect(r.code).toBe(1);
      const text = clean(r);
      expect(text).toMatch(/observed:/);
    } finally {
      await app.close();
    }
  });
});

describe("bwemu lint", () => {
  it("text and json: no raw control character from the document", { timeout: 120_000 }, async () => {
    const f = join(dir, `evil\u202e.xml`);
    writeFileSync(f, `<Response>\n  <SpeakSentence voice="\u202e\u009b2J">hi</SpeakSentence><Bogus\u202e/>\n  <Pause duration="\x1b[2J"/>\n</Response>\n`);
    for (const format of ["text", "json", "sarif"]) {
      const r = await runBwemu(["lint", "--format", format, f]);
      expect(r.code).toBe(1);
      clean(r);
      if (format !== "text") JSON.parse(r.stdout.toString());
    }
  });
});

describe("bwemu stub --log", () => {
  it("a client's event type with controls is logged escaped", { timeout: 60_000 }, async () => {
    const tsx = pathToFileURL(join(repo, "node_modules/tsx/dist/loader.mjs")).href;
    const child = spawn(process.execPath, ["--import", tsx, join(repo, "src/cli/main.ts"), "stub", "--port", "0", "--log"], { env: { ...process.env, NO_COLOR: "1" } });
    const out: Buffer[] = [];
    child.stderr.on("data", (d: Buffer) => out.push(d));
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("no ready line")), 30_000);
      child.stdout.on("data", (d: Buffer) => {
        out.push(d);
        // The first stdout line is the machine-readable ready line: {"event":"ready","url":…}.
        const [first, ...rest] = Buffer.concat(out).toString().split("\n");
        if (rest.length) (clearTimeout(t), resolve((JSON.parse(first) as { url: string }).url));
      });
    });
    const ws = new WebSocket(`${url}?model=m`);
    await new Promise((r) => ws.once("open", r));
    ws.send(`{"type":"${PWN}"}`);
    await new Promise((r) => ws.once("message", r)); // session.created
    await new Promise((r) => ws.once("message", r)); // the error for the unknown type
    ws.close();
    await new Promise((r) => ws.once("close", r));
    child.kill("SIGTERM");
    await new Promise((r) => child.once("close", r));
    const r: CliRun = { code: 0, stdout: Buffer.concat(out), stderr: Buffer.alloc(0) };
    expect(clean(r)).toContain("\\x1b]0;PWNED");
  });
});
