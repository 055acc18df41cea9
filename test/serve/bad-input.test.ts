// Bad input to `bwemu serve`'s control API and live page: malformed requests get located errors with
// codes, unknown calls a 404 with a code, foreign hosts and origins the Voice API's refusal, a page
// opened while hundreds of calls are live answers, a subscriber that never reads is dropped, and the
// call cap holds. In-process server, real sockets.
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServe, type Serve } from "../../src/serve/server.js";
import { SseStream } from "../../src/serve/sse.js";
import { startTestApp, type TestApp } from "./helpers.js";
import { until } from "../support/loopback.js";

async function post(url: string, body: string | undefined, headers: Record<string, string> = { "content-type": "application/json" }) {
  const r = await fetch(url, { method: "POST", headers, body });
  return { status: r.status, json: (await r.json()) as { error?: { code: string; message: string; line?: number; col?: number; field?: string } } & Record<string, unknown> };
}

/** A raw HTTP request (fetch refuses to set Host). */
function rawGet(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, headers, setHost: false }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("bwemu serve: malformed control requests", () => {
  let serve: Serve;
  let port: number;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ "/voice": `<Response><Pause duration="30"/></Response>` });
    serve = await startServe({ port: 0, maxCalls: 400 });
    port = Number(new URL(serve.url).port);
  });
  afterAll(async () => {
    await serve?.close();
    await app?.close();
  });

  it("JSON syntax errors are located (line and column) with code bad-json", async () => {
    const r = await post(`${serve.url}/_bwemu/calls`, '{\n  "appUrl": "http://127.0.0.1:1/voice",\n  "dtmf": 12,,\n}');
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: "bad-json", line: 3, col: 14 });
    expect(r.json.error!.message).toMatch(/line 3, column 14/);
    const unterminated = await post(`${serve.url}/_bwemu/calls`, '{"appUrl": "http://x');
    expect(unterminated.json.error).toMatchObject({ code: "bad-json", line: 1, col: 12 });
    const deep = await post(`${serve.url}/_bwemu/calls`, "[".repeat(5000));
    expect(deep.json.error).toMatchObject({ code: "bad-json" });
    expect(deep.json.error!.message).toMatch(/nesting deeper than/);
  });

  it("wrong fields name the field; wrong types, content types and sizes have their own codes", async () => {
    const cases: [string | undefined, Record<string, string>, number, string, string?][] = [
      ['{"appUrl": "ftp://x/voice"}', { "content-type": "application/json" }, 400, "invalid-request", "appUrl"],
      ['{"appUrl": "http://127.0.0.1:1/v", "dtmf": "12x"}', { "content-type": "application/json" }, 400, "invalid-request", "dtmf"],
      ['{"appUrl": "http://127.0.0.1:1/v", "speed": 2}', { "content-type": "application/json" }, 400, "invalid-request", "speed"],
      ['{"appUrl": "http://127.0.0.1:1/v", "caller": {"script": [{"wav": 3}]}}', { "content-type": "application/json" }, 400, "invalid-request", "caller: script[0]"],
      ['{"appUrl": "http://127.0.0.1:1/v", "caller": {"wav": "/nonexistent/x.wav"}}', { "content-type": "application/json" }, 400, "no-audio", "caller.wav"],
      ["[1,2]", { "content-type": "application/json" }, 400, "invalid-request", "(body)"],
      ["appUrl=http://x", { "content-type": "application/x-www-form-urlencoded" }, 415, "unsupported-media-type"],
      [`{"appUrl": "${"x".repeat(70_000)}"}`, { "content-type": "application/json" }, 413, "body-too-large"],
    ];
    for (const [body, headers, status, code, field] of cases) {
      const r = await post(`${serve.url}/_bwemu/calls`, body, headers);
      expect({ status: r.status, code: r.json.error?.code, field: r.json.error?.field }).toEqual({ status, code, field });
      expect(r.json.error!.message.length).toBeGreaterThan(10);
    }
  });

  it("unknown call ids, routes and methods: 404/405 with codes; never a stack trace", async () => {
    for (const path of ["/_bwemu/calls/c-nope", "/_bwemu/calls/c-nope/timeline", "/_bwemu/calls/%3Cscript%3E/events", "/_bwemu/calls/%E0%A4%A/dtmf"]) {
      const r = await fetch(`${serve.url}${path}`);
      expect(r.status).toBe(404);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe("unknown-call");
    }
    const hang = await post(`${serve.url}/_bwemu/calls/c-nope/hangup`, "{}");
    expect(hang).toMatchObject({ status: 404, json: { error: { code: "unknown-call" } } });
    const route = await fetch(`${serve.url}/_bwemu/nothing-here`);
    expect(route.status).toBe(404);
    expect(((await route.json()) as { error: { code: string } }).error.code).toBe("not-found");
    const method = await fetch(`${serve.url}/_bwemu/health`, { method: "DELETE" });
    expect(method.status).toBe(405);
    expect(method.headers.get("allow")).toBe("GET");
    expect((await fetch(`${serve.url}/calls/%zz`)).status).toBe(404);
    const page = await fetch(`${serve.url}/calls/c-nope`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("No call c-nope");
  });

  it("an ended call refuses DTMF, audio, faults and hang-up with call-ended (409)", async () => {
    const app2 = await startTestApp({ "/v": `<Response><Hangup/></Response>` });
    try {
      const started = await post(`${serve.url}/_bwemu/calls`, JSON.stringify({ appUrl: `${app2.url}/v` }));
      const id = String(started.json.callId);
      await until("the call's end", async () => ((await (await fetch(`${serve.url}/_bwemu/calls/${id}`)).json()) as { state: string }).state === "disconnected" || undefined);
      for (const [sub, body] of [["dtmf", '{"digits":"1"}'], ["audio", '{"audio":"hello"}'], ["faults", '{"kind":"drop-stream"}'], ["hangup", ""]]) {
        const r = await post(`${serve.url}/_bwemu/calls/${id}/${sub}`, body);
        expect({ sub, status: r.status, code: r.json.error?.code }).toEqual({ sub, status: 409, code: "call-ended" });
      }
      const fault = await post(`${serve.url}/_bwemu/calls/${id}/faults`, '{"kind":"explode"}');
      expect(fault.json.error).toMatchObject({ code: "invalid-request", field: "kind" });
    } finally {
      await app2.close();
    }
  });

  it("the loopback Host/Origin gate of the Voice API guards the control API and the page too", async () => {
    const rebinding = await rawGet(port, "/_bwemu/health", { host: "attacker.example:80" });
    expect(rebinding.status).toBe(403);
    expect(JSON.parse(rebinding.body).error.code).toBe("host-not-allowed");
    const page = await rawGet(port, "/", { host: "attacker.example" });
    expect(page.status).toBe(403);
    const crossSite = await fetch(`${serve.url}/_bwemu/calls`, { method: "POST", headers: { "content-type": "application/json", origin: "http://attacker.example" }, body: JSON.stringify({ appUrl: `${app.url}/voice` }) });
    expect(crossSite.status).toBe(403);
    const local = await rawGet(port, "/_bwemu/health", { host: "localhost" });
    expect(local.status).toBe(200);
  });

  it("the page opens with hundreds of calls live: every call listed, counts shown, bounded size", async () => {
    const ids: string[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const started = await Promise.all(Array.from({ length: 50 }, (_v, i) => post(`${serve.url}/_bwemu/calls`, JSON.stringify({ appUrl: `${app.url}/voice`, label: `load ${batch * 50 + i}` }))));
      for (const r of started) expect(r.status).toBe(201);
      ids.push(...started.map((r) => String(r.json.callId)));
    }
    // Slow on a loaded machine (300 initiate webhooks), never wrong: the wait is generous.
    await until(
      "300 answered calls",
      async () => {
        const calls = ((await (await fetch(`${serve.url}/_bwemu/calls`)).json()) as { calls: { state: string }[] }).calls;
        return calls.filter((c) => c.state === "answered").length >= 300 || undefined;
      },
      120_000,
    );
    const r = await fetch(`${serve.url}/`);
    expect(r.status).toBe(200);
    const page = await r.text();
    expect(page).toMatch(/\d+ kept · 300 live · cap 400/);
    expect(page.match(/class="call-item"/g)?.length).toBe(300);
    expect(page.length).toBeLessThan(1024 * 1024);
    // A call's own page among them.
    const one = await fetch(`${serve.url}/calls/${ids[150]}`);
    expect(one.status).toBe(200);
    expect(await one.text()).toContain("load 150");
    for (const id of ids) await post(`${serve.url}/_bwemu/calls/${id}/hangup`, "");
    await until(
      "all hung up",
      async () => {
        const h = (await (await fetch(`${serve.url}/_bwemu/health`)).json()) as { live: number };
        return h.live === 0 || undefined;
      },
      60_000,
    );
  }, 240_000);
});

describe("bwemu serve: the call cap", () => {
  it("keeps the newest calls: the oldest ended ones go first, with their timelines; live ones stay", async () => {
    const app = await startTestApp({ "/end": `<Response><Hangup/></Response>`, "/stay": `<Response><Pause duration="30"/></Response>` });
    const serve = await startServe({ port: 0, maxCalls: 3, orphanSweepMs: 100 });
    try {
      const start = async (path: string) => String((await post(`${serve.url}/_bwemu/calls`, JSON.stringify({ appUrl: `${app.url}${path}` }))).json.callId);
      const live = await start("/stay");
      await until("answered", () => (serve.carrier.calls.get(live)?.state === "answered" ? true : undefined));
      const ended: string[] = [];
      for (let i = 0; i < 5; i++) {
        const id = await start("/end");
        ended.push(id);
        await until(`call ${i} dropped or kept`, () => (serve.carrier.calls.get(id)?.state === "disconnected" ? true : undefined));
        await new Promise((r) => setImmediate(r));
      }
      await until("the cap applied", () => (serve.carrier.calls.size <= 3 ? true : undefined));
      expect([...serve.carrier.calls.keys()]).toEqual([live, ended[3], ended[4]]);
      expect(serve.carrier.timeline.events.some((e) => e.callId === ended[0])).toBe(false);
      const gone = await fetch(`${serve.url}/_bwemu/calls/${ended[0]}`);
      expect(gone.status).toBe(404);
      expect(((await gone.json()) as { error: { code: string; message: string } }).error.message).toMatch(/dropped/);
      // An app that keeps polling the dropped call on the Voice API gets 404s, and their records do not pile up.
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${serve.apiBaseUrl}/accounts/${serve.carrier.settings.accountId}/calls/${ended[0]}`, { headers: { authorization: "Bearer x" } });
        expect(r.status).toBe(404);
      }
      await until("the orphan sweep", () => (serve.carrier.timeline.events.some((e) => e.callId === ended[0]) ? undefined : true));
    } finally {
      await serve.close();
      await app.close();
    }
  });
});

describe("event streams: a subscriber that never reads", () => {
  it("is dropped with a notice once its unsent bytes pass the cap; the server's buffer stays bounded", async () => {
    const drops: string[] = [];
    let stream!: SseStream;
    let maxBuffered = 0;
    const server = http.createServer((_req, res) => {
      stream = new SseStream(res, { maxBufferedBytes: 256 * 1024, onDrop: (w) => drops.push(w) });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as AddressInfo).port;
    const sock = net.connect(port, "127.0.0.1");
    sock.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    sock.pause(); // never reads
    await until("the subscription", () => stream);
    const chunk = { text: "x".repeat(8 * 1024) };
    let sent = 0;
    while (stream.send("tick", chunk) && sent < 100_000) {
      sent++;
      maxBuffered = Math.max(maxBuffered, (stream as unknown as { res: http.ServerResponse }).res.writableLength);
      if (sent % 64 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(stream.open).toBe(false);
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatch(/stopped reading .*dropped/);
    expect(maxBuffered).toBeLessThanOrEqual(256 * 1024 + 9 * 1024);
    expect(sent).toBeLessThan(100_000);
    sock.destroy();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
});
