// A DOCTYPE with an internal subset (billion laughs, an external entity reading a file) is refused,
// never expanded, and reported the same way by `bwemu lint` and by `bwemu call`: a located
// `bxml/doctype` error, not "not BXML".
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBwemu, startHostileApp } from "./support/secrets-run.js";

const dir = mkdtempSync(join(tmpdir(), "bwemu-xxe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Response><SpeakSentence>&lol3;</SpeakSentence></Response>
`;
const XXE = `<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd"> <!ENTITY y "a>b]">]><Response><SpeakSentence>&x;</SpeakSentence></Response>`;

describe.each([
  ["billion laughs", LAUGHS, 2],
  ["external entity", XXE, 2],
])("%s", (_name, body, line) => {
  it("bwemu lint: located bxml/doctype", { timeout: 120_000 }, async () => {
    const f = join(dir, `doc-${line}-${body.length}.xml`);
    writeFileSync(f, body);
    const r = await runBwemu(["lint", "--format", "json", f]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout.toString());
    expect(out.files[0].diagnostics).toEqual([expect.objectContaining({ ruleId: "bxml/doctype", line, col: 1 })]);
  });

  it("bwemu call: the same located bxml/doctype error, exit 1, nothing expanded", { timeout: 120_000 }, async () => {
    const app = await startHostileApp({ initiate: () => ({ body }) });
    try {
      const out = join(dir, `call-${body.length}`);
      const r = await runBwemu(["call", "--app", app.url, "--fast", "--duration", "5s", "--linger", "0.2s", "--out", out]);
      const text = r.stdout.toString() + r.stderr.toString();
      expect(r.code).toBe(1);
      expect(text).toMatch(new RegExp(`DOCTYPE is not allowed.*line ${line}, col 1, bxml/doctype`));
      expect(text).not.toMatch(/not BXML|first element/);
      expect(text).not.toMatch(/root:|lollollol/);
      const events = readFileSync(join(out, "timeline.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
      const received = events.find((e) => e.kind === "bxml.received");
      expect(received.data.accepted).toBe(false);
      expect(received.data.diagnostics[0]).toMatchObject({ ruleId: "bxml/doctype", line, col: 1 });
    } finally {
      await app.close();
    }
  });
});
