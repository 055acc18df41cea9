// The document loop (bandwidth.md §1.3–1.6, ED-6…ED-11): validation, implicit Hangup, replacement,
// the 64 KB cap, the BXML request cap, callback-error, tags, OPEN-1 answering.
import { describe, expect, it } from "vitest";
import { app, carrier, ISO, until } from "./harness.js";
import { noContent, within, xml } from "./servers.js";

describe("documents", () => {
  it("an empty <Response/> is a hang-up; the call is not answered (implicit Hangup, §1.1)", async () => {
    const a = await app((h, res) => (h.path === "/voice" ? xml(res, "<Response/>") : noContent(res)));
    const c = carrier({ settings: { statusCallbackUrl: "" } });
    c.settings.statusCallbackUrl = `${a.base}/status`;
    const r = await within(c.placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("hangup");
    const d = a.hits.find((x) => x.path === "/status")!.json!;
    expect(d.answerTime).toBeUndefined();
    expect(d.endTime).toMatch(ISO);
    expect(r.timeline.of("call.state").map((e) => e.data.state)).toEqual(["initiated", "disconnected"]);
  });

  it("invalid BXML ends the call invalid-bxml with the diagnostics recorded; no fallback is tried", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response>\n  <Speak>hi</Speak>\n</Response>`);
      if (h.path === "/fallback") return xml(res, "<Response><Pause/></Response>");
      return noContent(res);
    });
    const c = carrier({ settings: { initiateFallbackUrl: "" } });
    c.settings.initiateFallbackUrl = `${a.base}/fallback`;
    c.settings.statusCallbackUrl = `${a.base}/status`;
    const r = await within(c.placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("invalid-bxml");
    expect(r.errorMessage).toMatch(/line 2/);
    const rec = r.timeline.of("bxml.received")[0].data;
    expect(rec.accepted).toBe(false);
    expect(rec.diagnostics.some((d) => d.level === "error" && d.line === 2)).toBe(true);
    expect(a.hits.some((x) => x.path === "/fallback")).toBe(false);
    const d = a.hits.find((x) => x.path === "/status")!.json!;
    expect(d).toMatchObject({ cause: "invalid-bxml" });
    expect(d.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.timeline.of("finding").some((f) => f.data.code === "bxml.invalid" && f.data.level === "error")).toBe(true);
  });

  it("malformed XML rooted in <Response> is invalid-bxml", async () => {
    const a = await app((_h, res) => xml(res, "<Response><Pause duration='1'></Response>"));
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("invalid-bxml");
  });

  it("a document over 64 KB is invalid-bxml (OPEN-2)", async () => {
    const big = `<Response><SpeakSentence>${"a".repeat(70 * 1024)}</SpeakSentence></Response>`;
    const a = await app((_h, res) => xml(res, big));
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("invalid-bxml");
    expect(r.errorMessage).toMatch(/64 KB/);
  });

  it("a failed initiate ends the call callback-error naming the URL", async () => {
    const a = await app((_h, res) => {
      res.writeHead(500);
      res.end();
    });
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("callback-error");
    expect(r.errorMessage).toContain(a.url);
    expect(r.errorMessage).toMatch(/HTTP 500/);
  });

  it("a redirect loop is capped (ED-11): application-error naming the URLs", async () => {
    const a = await app((_h, res) => xml(res, `<Response><Redirect redirectUrl="/loop"/></Response>`));
    const c = carrier({ settings: { bxmlRequestCap: 5 } });
    const r = await within(c.placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("application-error");
    expect(r.errorMessage).toContain(`${a.base}/loop`);
    expect(a.hits).toHaveLength(5);
    expect(a.hits.slice(1).every((h) => h.json!.eventType === "redirect")).toBe(true);
  });

  it("a BXML-returning verb replaces the rest of the document; relative URLs resolve against the serving URL", async () => {
    const a = await app((h, res) => {
      if (h.path === "/app/voice") return xml(res, `<Response><Redirect redirectUrl="next"/><Hangup/></Response>`);
      if (h.path === "/app/next") return xml(res, `<Response><Tag>after</Tag><Pause duration="0.1"/></Response>`);
      return noContent(res);
    });
    const r = await within(carrier().placeCall({ appUrl: `${a.base}/app/voice` }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("hangup");
    expect(a.hits.map((h) => h.path)).toEqual(["/app/voice", "/app/next"]);
    const verbs = r.timeline.of("verb.start").map((e) => e.data.verb);
    expect(verbs).toEqual(["Redirect", "Tag", "Pause"]);
  });

  it("tags: absent from initiate, set by a verb's tag attribute for its own webhook, cleared by empty <Tag/>", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><Tag> menu </Tag><Redirect redirectUrl="/r1" tag="r1tag"/></Response>`);
      if (h.path === "/r1") return xml(res, `<Response><Tag/><Redirect redirectUrl="/r2"/></Response>`);
      if (h.path === "/r2") return xml(res, `<Response><Hangup/></Response>`);
      return noContent(res);
    });
    const c = carrier();
    c.settings.statusCallbackUrl = `${a.base}/status`;
    await within(c.placeCall({ appUrl: a.url }).done, 10_000, "call");
    const byPath = (p: string) => a.hits.find((h) => h.path === p)!.json!;
    expect("tag" in byPath("/voice")).toBe(false);
    expect(byPath("/r1").tag).toBe("r1tag");
    expect("tag" in byPath("/r2")).toBe(false);
    expect("tag" in byPath("/status")).toBe(false);
  });

  it("OPEN-1: Tag and Redirect do not answer; the first other verb does", async () => {
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><Tag>x</Tag><Redirect redirectUrl="/r"/></Response>`);
      return xml(res, `<Response><Pause duration="0.1"/></Response>`);
    });
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    const redirect = a.hits.find((h) => h.path === "/r")!.json!;
    expect(redirect.answerTime).toBeUndefined();
    const states = r.timeline.events.filter((e) => e.kind === "call.state" || e.kind === "verb.start").map((e) => (e.kind === "call.state" ? (e.data as { state: string }).state : (e.data as { verb: string }).verb));
    expect(states).toEqual(["initiated", "Tag", "Redirect", "answered", "Pause", "disconnected"]);
  });

  it("Ring answerCall=false keeps the call unanswered; Hangup then rejects it", async () => {
    const a = await app((_h, res) => xml(res, `<Response><Ring duration="0.1" answerCall="false"/><Hangup/></Response>`));
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("hangup");
    expect(r.timeline.of("call.state").map((e) => e.data.state)).toEqual(["initiated", "disconnected"]);
  });

  it("GET initiate (application setting) sends query parameters", async () => {
    const a = await app((_h, res) => xml(res, "<Response/>"));
    await within(carrier({ settings: { initiateMethod: "GET" } }).placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(a.hits[0].method).toBe("GET");
    expect(a.hits[0].query.get("eventType")).toBe("initiate");
  });

  it("initiate carries the callback credentials unless omitted (answer.auth.basic)", async () => {
    const a = await app((_h, res) => xml(res, "<Response/>"));
    const c = carrier({ settings: { callbackCreds: { username: "bw", password: "pw" } } });
    await within(c.placeCall({ appUrl: a.url }).done, 10_000, "call");
    await within(c.placeCall({ appUrl: a.url, omitCallbackCreds: true }).done, 10_000, "call");
    expect(a.hits[0].headers.authorization).toBe(`Basic ${Buffer.from("bw:pw").toString("base64")}`);
    expect(a.hits[1].headers.authorization).toBeUndefined();
  });

  it("the caller hangs up mid-Pause (hangup action/handle) and the call ends hangup at once", async () => {
    const a = await app((_h, res) => xml(res, `<Response><Pause duration="86400"/></Response>`));
    const c = carrier();
    const h = c.placeCall({ appUrl: a.url });
    await until(() => c.timeline.of("verb.start", h.callId).length > 0, 10_000, "the Pause");
    h.hangup();
    const r = await within(h.done, 10_000, "call");
    expect(r.disconnectCause).toBe("hangup");
    expect(r.timeline.of("verb.end")[0].data.outcome).toBe("call-ended");
  });

  it("maxDurationMs cuts a 24 h Pause (ED-4 / OPEN-22)", async () => {
    const a = await app((_h, res) => xml(res, `<Response><Pause duration="86400"/></Response>`));
    const r = await within(carrier().placeCall({ appUrl: a.url, maxDurationMs: 300 }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("hangup");
    expect(r.timeline.of("note").some((n) => /maximum call duration/.test(n.data.message))).toBe(true);
  });

  it("Connect holds the call (the real platform connects it; the emulator has no endpoint, OPEN-17)", async () => {
    const a = await app((_h, res) => xml(res, `<Response><StartStream destination="ws://127.0.0.1:1/x"/><Connect><Endpoint>e-1</Endpoint></Connect><Pause duration="0.1"/></Response>`));
    const r = await within(carrier().placeCall({ appUrl: a.url, maxDurationMs: 300 }).done, 10_000, "call");
    expect(r.timeline.of("verb.start").map((e) => e.data.verb)).toEqual(["StartStream", "Connect"]);
    expect(r.timeline.of("verb.end").at(-1)!.data).toMatchObject({ verb: "Connect", outcome: "call-ended" });
    expect(r.timeline.of("note").some((n) => /maximum call duration/.test(n.data.message))).toBe(true);
    expect(r.timeline.of("finding").some((f) => f.data.code === "call.connect-unsupported")).toBe(true);
  });

  it("Forward after StartStream ends the answered call (OPEN-1, OPEN-16)", async () => {
    const a = await app((_h, res) => xml(res, `<Response><StartStream destination="ws://127.0.0.1:1/x"/><Forward to="+15555550100"/><Pause duration="5"/></Response>`));
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("application-error");
    expect(r.timeline.of("verb.start").map((e) => e.data.verb)).toEqual(["StartStream", "Forward"]);
  });
});
