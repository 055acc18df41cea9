// False passes: an app that never delivers its BXML, BXML that is not UTF-8, and a call whose pacing
// bwemu could not keep must never read as "✓ call completed normally" / exit 0.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startHostileApp, type InitiateBehaviour } from "./support/hostile-app.js";
import { checkOutputFiles, readTimeline, runBwemu } from "./support/run-bwemu.js";
import { closeAfterEach } from "../support/cleanup.js";

const closing = closeAfterEach();

const dir = mkdtempSync(join(tmpdir(), "bwemu-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an initiate webhook that never completes is not a completed call", () => {
  it.each<InitiateBehaviour>(["headers-then-nothing", "slow-drip", "never-answer"])("%s → exit 1, no ✓", async (initiate) => {
    const app = closing(await startHostileApp({ initiate }));
    const out = join(dir, `webhook-${initiate}`);
    const r = await runBwemu(["call", "--app", app.url, "--duration", "3s", "--out", out]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).not.toContain("✓");
    expect(r.stdout).toMatch(/✗ the app never returned BXML \(initiate delivery abandoned: the call ended\)/);
    checkOutputFiles(out, ["timeline.jsonl"]);
    const kinds = readTimeline(join(out, "timeline.jsonl")).map((e) => e.kind);
    expect(kinds).toContain("webhook.result");
    // The call's end is recorded (the abandoned delivery's result may follow it: the call ending is what abandoned it).
    const tl = readTimeline(join(out, "timeline.jsonl"));
    expect(tl.filter((e) => e.kind === "call.state").map((e) => (e.data as { state: string }).state)).toContain("disconnected");
  });
});

describe("invalid UTF-8 in a BXML reply: one decoder, one verdict", () => {
  it("bwemu call rejects the document with the same finding bwemu lint reports on the same bytes", async () => {
    const app = closing(await startHostileApp({ initiate: "invalid-utf8" }));
    const out = join(dir, "utf8-call");
    const r = await runBwemu(["call", "--app", app.url, "--duration", "3s", "--out", out]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✗ the call ended with cause invalid-bxml: .*invalid UTF-8 at byte 70 \(0xe9\).*\(line 3, col 21, bxml\/invalid-utf8\)/);
    checkOutputFiles(out, ["timeline.jsonl", "bxml-1.xml"]);
    const received = readTimeline(join(out, "timeline.jsonl")).find((e) => e.kind === "bxml.received")!;
    expect(received.data.accepted).toBe(false);
    const callDiag = (received.data.diagnostics as { ruleId: string; line: number; col: number }[])[0];

    const file = join(dir, "reply.xml");
    writeFileSync(file, app.invalidUtf8Bxml);
    const lint = await runBwemu(["lint", "--format", "json", file]);
    expect(lint.code, lint.stderr).toBe(1);
    const lintDiag = (JSON.parse(lint.stdout) as { files: { diagnostics: { ruleId: string; line: number; col: number }[] }[] }).files[0].diagnostics[0];
    expect({ ruleId: callDiag.ruleId, line: callDiag.line, col: callDiag.col }).toEqual({ ruleId: lintDiag.ruleId, line: lintDiag.line, col: lintDiag.col });
    expect(lintDiag.ruleId).toBe("bxml/invalid-utf8");
  });

  it("bwemu test fails answer.bxml.valid and answer.bxml.well-formed, every report parses", async () => {
    const app = closing(await startHostileApp({ initiate: "invalid-utf8" }));
    const out = join(dir, "utf8-test");
    const r = await runBwemu(["test", "--app", app.url, "--stub-port", "0", "--cases", "answer.bxml.valid,answer.bxml.well-formed", "--reporter", "html,json,junit,sarif,markdown", "--out", out]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    checkOutputFiles(out, ["report.html", "results.json", "index.json", "junit.xml", "results.sarif", "summary.md"]);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as { cases: { id: string; verdict: string }[] };
    const verdicts = Object.fromEntries(results.cases.filter((c) => c.id.startsWith("answer.bxml.")).map((c) => [c.id, c.verdict]));
    expect(verdicts).toMatchObject({ "answer.bxml.valid": "fail", "answer.bxml.well-formed": "fail" });
  });
});

describe("bwemu's own lateness is said by bwemu call too", () => {
  it("a call whose process was stalled for 600 ms warns that its pacing was late and its latency untrustworthy", async () => {
    const app = closing(await startHostileApp({ initiate: "stream", media: "quiet" }));
    const out = join(dir, "late");
    let stalled = false;
    const r = await runBwemu(["call", "--app", app.url, "--duration", "4s", "--out", out], {
      // Once the stream runs, stop the bwemu process for 600 ms (what an app's giant frame or an
      // overloaded machine does to it), then let it go on.
      onStdout: (text, pid) => {
        if (stalled || !text.includes("ws → start")) return;
        stalled = true;
        process.kill(pid, "SIGSTOP");
        setTimeout(() => process.kill(pid, "SIGCONT"), 600);
      },
    });
    expect(stalled).toBe(true);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/! bwemu's own pacing was late \(p99 [\d.]+ ms, max [\d.]+ ms over \d+ frames\): latency figures are untrustworthy/);
    checkOutputFiles(out, ["timeline.jsonl", "caller.wav", "heard.wav"]);
  });
});
