// Network hygiene on the media socket: a frame length no sender could mean is a protocol error
// (1002), not a lost network (1006); a ping flood reads as a ping flood, not as "connection lost".

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startHostileApp, type MediaBehaviour } from "./support/hostile-app.js";
import { checkOutputFiles, readTimeline, runBwemu } from "./support/run-bwemu.js";

const dir = mkdtempSync(join(tmpdir(), "bwemu-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function callWith(media: MediaBehaviour) {
  const app = await startHostileApp({ initiate: "stream", media, floodMs: 3000 });
  try {
    const out = join(dir, media);
    const r = await runBwemu(["call", "--app", app.url, "--duration", "3s", "--out", out]);
    checkOutputFiles(out, ["timeline.jsonl", "bxml-1.xml", "caller.wav", "heard.wav"]);
    const events = readTimeline(join(out, "timeline.jsonl"));
    return { r, events, close: events.find((e) => e.kind === "ws.close")!, findings: events.filter((e) => e.kind === "finding") };
  } finally {
    await app.close();
  }
}

describe("the app's transport misbehaviour is named for what it is", () => {
  it("a 2^63−1 frame length: protocol error, closed 1002 by the carrier", async () => {
    const { r, close, findings } = await callWith("huge-length");
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(close.data).toMatchObject({ by: "carrier", code: 1002 });
    expect(findings.map((f) => f.data.code)).toContain("stream.app.protocol-error");
    expect(findings.map((f) => f.data.code)).not.toContain("stream.app.abnormal-close");
    // The close line reads "(1006 …)"; call and stream ids are random hex and may hold "1006".
    expect(r.stdout).not.toMatch(/connection lost|\(1006\b/);
    expect(r.stdout).toMatch(/✗ 1 error finding\(s\): .*payload length.*closed the socket with 1002/);
  });

  it("a ping flood: a ping-flood finding and close 1008, never \"connection lost\"", async () => {
    const { r, close, findings } = await callWith("ping-flood");
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(close.data).toMatchObject({ by: "carrier", code: 1008 });
    expect(findings.map((f) => f.data.code)).toEqual(["stream.app.ping-flood"]);
    expect(r.stdout).not.toMatch(/connection lost|\(1006\b/);
    expect(r.stdout).toMatch(/✗ 1 error finding\(s\): .*ping flood: more than 50 pings within one second/);
  });
});
