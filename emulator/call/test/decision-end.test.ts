// A carrier decision that ends the call (docs/carrier.md): the finding the user reads links the
// decision; the app's `disconnect` webhook carries an errorMessage in Bandwidth's manner, without it.
import { describe, expect, it } from "vitest";
import { decided, type DecisionKey } from "../../decisions.js";
import { app, carrier } from "./harness.js";
import { within, xml, type Handler } from "./servers.js";

/** One call on `handler`; its disconnect webhook and its findings. */
async function endedBy(handler: Handler, settings = {}) {
  const a = await app((h, res) => (h.path === "/status" ? res.writeHead(204).end() : handler(h, res)));
  const c = carrier({ settings: { statusCallbackUrl: `${a.base}/status`, ...settings } });
  const r = await within(c.placeCall({ appUrl: `${a.base}/voice` }).done, 10_000, "call");
  const disconnect = a.hits.find((h) => h.path === "/status" && h.json?.eventType === "disconnect")?.json;
  return { r, disconnect, base: a.base, findings: r.timeline.of("finding").map((f) => f.data as { code: string; message: string }) };
}

function expectLinkOnlyInFinding(o: Awaited<ReturnType<typeof endedBy>>, key: DecisionKey, code: string, app: RegExp): void {
  expect(o.r.disconnectCause).toBe("application-error");
  expect(o.disconnect).toMatchObject({ eventType: "disconnect", cause: "application-error" });
  const errorMessage = o.disconnect!.errorMessage as string;
  expect(errorMessage).toMatch(app);
  expect(errorMessage).not.toMatch(/bwemu|carrier\.md|https?:\/\/\S+#/);
  expect(errorMessage.length).toBeLessThanOrEqual(200);
  // The call's result says what the app was told; the finding adds the decision's link.
  expect(o.r.errorMessage).toBe(errorMessage);
  expect(o.findings.filter((f) => f.code === code).map((f) => f.message)).toEqual([expect.stringContaining(decided(key))]);
}

describe("a carrier decision ends the call: the link is in the finding, not in the app's errorMessage", () => {
  it("Forward on an answered call (refer-forward)", async () => {
    const o = await endedBy((_h, res) => xml(res, `<Response><Pause duration="0.1"/><Forward to="+15550001111"/></Response>`));
    expectLinkOnlyInFinding(o, "refer-forward", "call.verb-error", /^Forward is only allowed on an unanswered inbound call$/);
  });

  it("the BXML request cap (document-cap): the finding lists every URL, the app is told the last", async () => {
    const o = await endedBy((_h, res) => xml(res, `<Response><Redirect redirectUrl="/loop"/></Response>`), { bxmlRequestCap: 4 });
    expectLinkOnlyInFinding(o, "document-cap", "call.bxml-loop", new RegExp(`^BXML request cap of 4 documents reached requesting ${o.base}/loop$`));
    expect(o.findings.find((f) => f.code === "call.bxml-loop")!.message).toContain(`${o.base}/voice, ${o.base}/loop`);
  });

  it("a PlayAudio file that answers 404 (play-audio-fetch), as a verb and as a Gather prompt", async () => {
    const missing = (h: { path: string }, res: Parameters<Handler>[1]) => (h.path === "/missing.wav" ? res.writeHead(404).end() : undefined);
    const played = await endedBy((h, res) => missing(h, res) ?? xml(res, `<Response><PlayAudio>/missing.wav</PlayAudio></Response>`));
    expectLinkOnlyInFinding(played, "play-audio-fetch", "call.play-audio", new RegExp(`^PlayAudio ${played.base}/missing.wav answered HTTP 404$`));
    const prompt = await endedBy((h, res) => missing(h, res) ?? xml(res, `<Response><Gather><PlayAudio>/missing.wav</PlayAudio></Gather></Response>`));
    expectLinkOnlyInFinding(prompt, "play-audio-fetch", "call.verb-error", new RegExp(`^<Gather> at line 1: PlayAudio ${prompt.base}/missing.wav answered HTTP 404$`));
  });
});
