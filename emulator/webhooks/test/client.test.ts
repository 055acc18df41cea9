import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { realClock } from "../../clock.js";
import { Timeline } from "../../timeline.js";
import { WebhookClient } from "../client.js";
import { startApp, xml, type App, type Hit } from "../../call/test/servers.js";

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function app(handler: Parameters<typeof startApp>[0]): Promise<App> {
  const a = await startApp(handler);
  cleanup.push(() => a.close());
  return a;
}

function client(opts: Partial<ConstructorParameters<typeof WebhookClient>[0]> = {}) {
  const timeline = new Timeline(realClock);
  return { timeline, c: new WebhookClient({ timeline, clock: realClock, timeoutMs: 2000, maxResponseBytes: 64 * 1024, ...opts }) };
}

/** A port nothing listens on (bound then released). */
async function deadUrl(path = "/dead"): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}${path}`;
}

const BXML = `<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>`;
const payload = { eventType: "initiate", callId: "c-1", diversion: { origTo: "+1555", reason: "unknown" }, privacy: true, n: 3 };

describe("request shape (§6.1, OPEN-18)", () => {
  it("POSTs JSON with Basic auth and records the exchange with the password redacted", async () => {
    const a = await app((_h, res) => xml(res, BXML));
    const { c, timeline } = client();
    const d = await c.deliverBxml({ eventType: "initiate", payload, primary: { url: a.url, credentials: { username: "u", password: "s3cret" } } });
    expect(d.ok).toBe(true);
    const hit = a.hits[0];
    expect(hit.method).toBe("POST");
    expect(hit.headers["content-type"]).toBe("application/json");
    expect(hit.headers.authorization).toBe(`Basic ${Buffer.from("u:s3cret").toString("base64")}`);
    expect(hit.json).toEqual(payload);
    const ex = timeline.of("http.exchange")[0].data;
    expect(ex.requestHeaders.authorization).toBe("Basic [redacted]");
    expect(JSON.stringify(timeline.events)).not.toContain("s3cret");
    expect(JSON.stringify(timeline.events)).not.toContain(Buffer.from("u:s3cret").toString("base64"));
    expect(ex).toMatchObject({ role: "webhook", eventType: "initiate", status: 200, attempt: 1 });
    expect(timeline.of("webhook.result")[0].data).toMatchObject({ ok: true, attempts: 1, usedFallback: false });
  });

  it("GET puts one query parameter per top-level field, nested objects JSON-encoded, keeping the URL's query", async () => {
    const a = await app((_h, res) => xml(res, BXML));
    const { c } = client();
    await c.deliverBxml({ eventType: "initiate", payload, primary: { url: `${a.url}?app=1`, method: "GET" } });
    const q = a.hits[0].query;
    expect(a.hits[0].method).toBe("GET");
    expect(a.hits[0].body).toBe("");
    expect(q.get("app")).toBe("1");
    expect(q.get("eventType")).toBe("initiate");
    expect(q.get("privacy")).toBe("true");
    expect(q.get("n")).toBe("3");
    expect(JSON.parse(q.get("diversion")!)).toEqual({ origTo: "+1555", reason: "unknown" });
  });
});

describe("ED-8 BXML delivery (§6.2)", () => {
  it("connection refused: one retry to the same URL, then the fallback with its method and credentials", async () => {
    const dead = await deadUrl();
    const fb = await app((_h, res) => xml(res, BXML));
    const { c, timeline } = client();
    const d = await c.deliverBxml({
      eventType: "redirect",
      payload,
      primary: { url: dead },
      fallback: { url: fb.url, method: "GET", credentials: { username: "f", password: "p" } },
    });
    expect(d.ok && d.url).toBe(fb.url);
    const ex = timeline.of("http.exchange").map((e) => e.data);
    expect(ex.map((e) => [e.url.split("?")[0], e.attempt, !!e.fallback])).toEqual([
      [dead, 1, false],
      [dead, 2, false],
      [fb.url, 1, true],
    ]);
    expect(ex[0].error).toMatch(/ECONNREFUSED/);
    expect(fb.hits[0].method).toBe("GET");
    expect(fb.hits[0].headers.authorization).toBe(`Basic ${Buffer.from("f:p").toString("base64")}`);
    expect(timeline.of("webhook.result")[0].data).toMatchObject({ ok: true, attempts: 3, usedFallback: true });
  });

  it("a timeout goes straight to the fallback (no retry); without a fallback the delivery fails naming URL and reason", async () => {
    const slow = await app(async (_h, res) => {
      await new Promise((r) => setTimeout(r, 1500));
      xml(res, BXML);
    });
    const { c } = client({ timeoutMs: 300 });
    const d = await c.deliverBxml({ eventType: "gather", payload, primary: { url: slow.url } });
    expect(d.ok).toBe(false);
    expect(!d.ok && d.errorMessage).toMatch(new RegExp(`${slow.url}.*timeout`));
    expect(slow.hits).toHaveLength(1);
  });

  it.each([
    ["500", 500, "text/plain", "oops"],
    ["404", 404, "text/plain", "nope"],
    ["3xx is not followed (OPEN-19)", 302, "text/plain", ""],
    ["JSON body", 200, "application/json", '{"ok":true}'],
    ["empty body", 200, "application/xml", ""],
    ["HTML page", 200, "text/html", "<html><body>hi</body></html>"],
    ["XML with another root", 200, "application/xml", "<Foo/>"],
  ])("%s → fallback", async (_name, status, ct, body) => {
    const bad = await app((_h, res) => {
      res.writeHead(status, { "content-type": ct, ...(status === 302 ? { location: "/elsewhere" } : {}) });
      res.end(body);
    });
    const fb = await app((_h, res) => xml(res, BXML));
    const { c, timeline } = client();
    const d = await c.deliverBxml({ eventType: "answer", payload, primary: { url: bad.url }, fallback: { url: fb.url } });
    expect(d.ok && d.usedFallback).toBe(true);
    expect(bad.hits).toHaveLength(1); // not retried
    expect(bad.hits.some((h: Hit) => h.path === "/elsewhere")).toBe(false);
    expect(timeline.of("http.exchange")).toHaveLength(2);
  });

  it("a BXML body with a non-XML Content-Type is accepted with a warning finding", async () => {
    const a = await app((_h, res) => xml(res, `\n<!-- hi -->\n<Bxml><Hangup/></Bxml>`, 200, "text/html; charset=utf-8"));
    const { c, timeline } = client();
    const d = await c.deliverBxml({ eventType: "initiate", payload, primary: { url: a.url } });
    expect(d.ok).toBe(true);
    const f = timeline.of("finding")[0].data;
    expect(f).toMatchObject({ code: "webhook.content-type", level: "warning" });
    expect(f.evidence).toEqual([timeline.of("http.exchange")[0].seq]);
  });

  it("a malformed body rooted in <Response> is BXML to the client (the call then ends invalid-bxml, no fallback)", async () => {
    const a = await app((_h, res) => xml(res, "<Response><Pause></Response>"));
    const fb = await app((_h, res) => xml(res, BXML));
    const { c } = client();
    const d = await c.deliverBxml({ eventType: "initiate", payload, primary: { url: a.url }, fallback: { url: fb.url } });
    expect(d.ok && d.text).toBe("<Response><Pause></Response>");
    expect(fb.hits).toHaveLength(0);
  });

  it("a 100 MB reply is cut off at the cap, reading stops, and it counts as a failure", async () => {
    let written = 0;
    let aborted = false;
    const big = await app(async (_h, res) => {
      res.writeHead(200, { "content-type": "application/xml" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      res.write("<Response>");
      const closed = new Promise<void>((r) => res.once("close", () => ((aborted = true), r())));
      while (written < 100 * 1024 * 1024 && !aborted) {
        if (!res.write(chunk)) await Promise.race([new Promise((r) => res.once("drain", r)), closed]);
        written += chunk.length;
      }
      res.end("</Response>");
    });
    const { c, timeline } = client({ maxResponseBytes: 1024 * 1024 });
    const t0 = Date.now();
    const d = await c.deliverBxml({ eventType: "initiate", payload, primary: { url: big.url } });
    expect(d.ok).toBe(false);
    expect(!d.ok && d.errorMessage).toMatch(/size cap/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(aborted).toBe(true);
    expect(written).toBeLessThan(50 * 1024 * 1024); // the server was stopped long before 100 MB
    const ex = timeline.of("http.exchange")[0].data;
    expect(ex.truncated).toBe(true);
    expect((ex.responseBody ?? "").length).toBeLessThanOrEqual(64 * 1024);
    expect(timeline.of("finding").map((f) => f.data.code)).toContain("webhook.reply-too-large");
  });
});

describe("notification webhooks (§6.1)", () => {
  it("retried once on a connection error, never falls back, and the failure is a finding", async () => {
    const dead = await deadUrl();
    const { c, timeline } = client();
    const r = await c.notify({ eventType: "disconnect", payload, primary: { url: dead } });
    expect(r.ok).toBe(false);
    expect(timeline.of("http.exchange").map((e) => e.data.attempt)).toEqual([1, 2]);
    expect(timeline.of("finding")[0].data).toMatchObject({ code: "webhook.notification-failed", level: "warning" });
  });

  it("any 2xx is delivered and the body (even BXML) is ignored; a 500 is not retried", async () => {
    let n = 0;
    const a = await app((_h, res) => {
      n++;
      if (n === 1) return xml(res, "<Response><Hangup/></Response>", 201);
      res.writeHead(500);
      res.end();
    });
    const { c } = client();
    expect((await c.notify({ eventType: "mediaStreamStarted", payload, primary: { url: a.url } })).ok).toBe(true);
    expect((await c.notify({ eventType: "mediaStreamStopped", payload, primary: { url: a.url } })).ok).toBe(false);
    expect(a.hits).toHaveLength(2);
  });
});
