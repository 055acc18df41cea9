// Secrets never reach the timeline or the call result: Basic credentials (headers), passwords in
// BXML attributes (webhook replies, bxml.received, documents) and in REST bodies (createCall echo).
import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../webhooks/redact.js";
import { app, carrier, ws } from "./harness.js";
import { noContent, within, xml } from "./servers.js";

describe("secrets", () => {
  it("are redacted everywhere the carrier records", async () => {
    const w = await ws();
    const a = await app((h, res) =>
      h.path === "/voice"
        ? xml(res, `<Response><StartStream name="s" destination="${w.url}" destinationUsername="u" destinationPassword="SECRET-dest-1" streamEventUrl="/events" username="ev" password='SECRET-ev-2'/><Redirect redirectUrl="/next" password="SECRET-redirect-3"/></Response>`)
        : h.path === "/next"
          ? xml(res, "<Response><Pause duration='0.1'/></Response>")
          : noContent(res),
    );
    const c = carrier({ settings: { callbackCreds: { username: "app", password: "SECRET-callback-4" }, apiCredentials: { username: "api", password: "SECRET-api-5" } } });
    const { apiBaseUrl } = await c.listen(0);
    const r = await fetch(`${apiBaseUrl}/accounts/${c.settings.accountId}/calls`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from("api:SECRET-api-5").toString("base64")}`, "content-type": "application/json" },
      body: JSON.stringify({ to: "+15557770142", from: "+15557770199", applicationId: c.settings.applicationId, answerUrl: `${a.base}/next`, username: "x", password: "SECRET-create-6" }),
    });
    expect(r.status).toBe(201);
    const res = await within(c.placeCall({ appUrl: a.url }).done, 10_000, "call");
    await c.close();
    const all = JSON.stringify(c.timeline.events) + JSON.stringify(res.documents);
    for (const s of ["SECRET-dest-1", "SECRET-ev-2", "SECRET-redirect-3", "SECRET-callback-4", "SECRET-api-5", "SECRET-create-6"]) expect(all).not.toContain(s);
    expect(all).toContain("[redacted]");
    // The app still got what it configured.
    expect(w.upgrades[0].headers.authorization).toBe(`Basic ${Buffer.from("u:SECRET-dest-1").toString("base64")}`);
  });

  it("redactSecrets keeps names and structure", () => {
    expect(redactSecrets(`<X password="a" fallbackPassword='b' user="c"/>`)).toBe(`<X password="[redacted]" fallbackPassword='[redacted]' user="c"/>`);
    expect(redactSecrets(`{"password":"p\\"q","username":"u"}`)).toBe(`{"password":"[redacted]","username":"u"}`);
    expect(redactSecrets("http://h/x?password=abc&y=1")).toBe("http://h/x?password=[redacted]&y=1");
  });
});
