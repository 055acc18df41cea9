// The Voice REST API (bandwidth.md §7): auth, error shapes, createCall/answer, getCallState,
// listCalls, updateCall (redirect with streams surviving, completed), PUT bxml, recording state.
import { describe, expect, it } from "vitest";
import { app, carrier, until, ws } from "../../call/test/harness.js";
import { noContent, within, xml } from "../../call/test/servers.js";

const AUTH = { authorization: `Basic ${Buffer.from("api:key").toString("base64")}` };
const JSONH = { ...AUTH, "content-type": "application/json" };

async function api() {
  const c = carrier({ settings: { apiCredentials: { username: "api", password: "key" } } });
  const { apiBaseUrl } = await c.listen(0);
  const calls = `${apiBaseUrl}/accounts/${c.settings.accountId}/calls`;
  return { c, apiBaseUrl, calls };
}

describe("errors (§7.2)", () => {
  it("401 without or with wrong credentials, in Bandwidth's JSON shape", async () => {
    const { calls } = await api();
    for (const headers of [{} as Record<string, string>, { authorization: `Basic ${Buffer.from("api:nope").toString("base64")}` }]) {
      const r = await fetch(calls, { headers });
      expect(r.status).toBe(401);
      expect(r.headers.get("content-type")).toBe("application/json;charset=UTF-8");
      expect(await r.json()).toEqual({ type: "authentication-error", description: "The credentials provided were invalid", id: null });
    }
  });

  it("404 unknown call, 403 other account, 405 wrong method, 415 wrong content type, 400 bad body", async () => {
    const { calls, apiBaseUrl } = await api();
    const r404 = await fetch(`${calls}/c-unknown`, { headers: AUTH });
    expect(r404.status).toBe(404);
    expect((await r404.json()).description).toBe("Call [c-unknown] not found");
    expect((await fetch(`${apiBaseUrl}/accounts/1234/calls`, { headers: AUTH })).status).toBe(403);
    expect((await fetch(calls, { method: "DELETE", headers: AUTH })).status).toBe(405);
    const r415 = await fetch(calls, { method: "POST", headers: { ...AUTH, "content-type": "text/plain;charset=UTF-8" }, body: "x" });
    expect(r415.status).toBe(415);
    expect((await r415.json()).description).toBe("Content type 'text/plain;charset=UTF-8' not supported");
    const r400 = await fetch(calls, { method: "POST", headers: JSONH, body: JSON.stringify({ to: "123", from: "+15550001111" }) });
    expect(r400.status).toBe(400);
    expect(await r400.json()).toMatchObject({ type: "validation" });
    const bad = await fetch(calls, { method: "POST", headers: JSONH, body: "{not json" });
    expect(bad.status).toBe(400);
  });

  it("health endpoint answers without auth", async () => {
    const { apiBaseUrl } = await api();
    const r = await fetch(apiBaseUrl.replace("/api/v2", "/_bwemu/health"));
    expect(r.status).toBe(200);
  });
});

describe("createCall → answer webhook (§7.3, §6.5)", () => {
  it("201 with Location and echoed fields; answer then disconnect with the call's credentials", async () => {
    const a = await app((h, res) => (h.path === "/answer" ? xml(res, "<Response><Pause duration='0.1'/></Response>") : noContent(res)));
    const { c, calls } = await api();
    const r = await fetch(calls, {
      method: "POST",
      headers: JSONH,
      body: JSON.stringify({ to: "+15557770142", from: "+15557770199", applicationId: c.settings.applicationId, answerUrl: `${a.base}/answer`, disconnectUrl: `${a.base}/disc`, tag: "campaign-17", username: "u", password: "p", callbackTimeout: 5 }),
    });
    expect(r.status).toBe(201);
    const body = await r.json();
    expect(r.headers.get("location")).toBe(body.callUrl);
    expect(body).toMatchObject({ to: "+15557770142", from: "+15557770199", callTimeout: 30, callbackTimeout: 5, tag: "campaign-17", answerMethod: "POST", priority: 5 });
    const call = c.calls.get(body.callId)!;
    await within(call.done, 10_000, "outbound call");
    const answer = a.hits.find((h) => h.path === "/answer")!;
    expect(answer.json).toMatchObject({ eventType: "answer", direction: "outbound", tag: "campaign-17", callId: body.callId });
    expect(answer.json!.enqueuedTime).toBeDefined();
    expect(answer.headers.authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
    const disc = a.hits.find((h) => h.path === "/disc")!.json!;
    expect(disc).toMatchObject({ eventType: "disconnect", cause: "hangup" });
    const state = await (await fetch(`${calls}/${body.callId}`, { headers: AUTH })).json();
    expect(state).toMatchObject({ callId: body.callId, state: "disconnected", disconnectCause: "hangup", direction: "outbound" });
    const list = await (await fetch(`${calls}?to=%2B15557770142`, { headers: AUTH })).json();
    expect(list.map((x: { callId: string }) => x.callId)).toEqual([body.callId]);
  });

  it("a busy far end ends the outbound call busy without an answer webhook", async () => {
    const a = await app((_h, res) => noContent(res));
    const { c, calls } = await api();
    c.farEnds["+15557770143"] = { outcome: "busy", ringMs: 50 };
    const r = await fetch(calls, { method: "POST", headers: JSONH, body: JSON.stringify({ to: "+15557770143", from: "+15557770199", applicationId: c.settings.applicationId, answerUrl: `${a.base}/answer`, disconnectUrl: `${a.base}/disc` }) });
    const { callId } = await r.json();
    const res = await within(c.calls.get(callId)!.done, 10_000, "call");
    expect(res.disconnectCause).toBe("busy");
    expect(a.hits.map((h) => h.path)).toEqual(["/disc"]);
  });
});

describe("createCall machineDetection (§7.3, §6.5)", () => {
  it("async: machineDetectionComplete to callbackUrl with the far end's result; async without callbackUrl is a 400", async () => {
    const a = await app((h, res) => (h.path === "/answer" ? xml(res, "<Response><Pause duration='1.5'/></Response>") : noContent(res)));
    const { c, calls } = await api();
    c.farEnds["+15557770144"] = { outcome: "answer", ringMs: 50, machineDetection: "answering-machine" };
    const create = (machineDetection: unknown) =>
      fetch(calls, { method: "POST", headers: JSONH, body: JSON.stringify({ to: "+15557770144", from: "+15557770199", applicationId: c.settings.applicationId, answerUrl: `${a.base}/answer`, machineDetection }) });
    const bad = await create({ mode: "async" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).description).toContain("machineDetection.callbackUrl");
    const r = await create({ callbackUrl: `${a.base}/amd`, username: "md", password: "pw" });
    expect(r.status).toBe(201);
    const { callId } = await r.json();
    await within(c.calls.get(callId)!.done, 10_000, "call");
    const answer = a.hits.find((h) => h.path === "/answer")!;
    expect(answer.json!.machineDetectionResult).toBeUndefined();
    const amd = a.hits.find((h) => h.path === "/amd")!;
    expect(amd.json).toMatchObject({ eventType: "machineDetectionComplete", callId, machineDetectionResult: { value: "answering-machine", duration: "PT1S" } });
    expect(amd.headers.authorization).toBe(`Basic ${Buffer.from("md:pw").toString("base64")}`);
  });
});

describe("updateCall / updateCallBxml (§7.6, §7.7, ED-5)", () => {
  it("state=active redirects: the running verb stops, redirect runs, the stream survives", async () => {
    const w = await ws();
    const a = await app((h, res) => {
      if (h.path === "/voice") return xml(res, `<Response><StartStream name="s" destination="${w.url}" streamEventUrl="/events"/><StopStream name="s" wait="true"/></Response>`);
      if (h.path === "/goodbye") return xml(res, `<Response><Pause duration="0.2"/></Response>`);
      return noContent(res);
    });
    const { c, calls } = await api();
    const h = c.placeCall({ appUrl: a.url });
    await a.waitFor((x) => x.json?.eventType === "mediaStreamStarted");
    const r = await fetch(`${calls}/${h.callId}`, { method: "POST", headers: JSONH, body: JSON.stringify({ state: "active", redirectUrl: "/goodbye", tag: "bye" }) });
    expect(r.status).toBe(200);
    const res = await within(h.done, 10_000, "call");
    const redirect = a.hits.find((x) => x.path === "/goodbye")!.json!;
    expect(redirect).toMatchObject({ eventType: "redirect", tag: "bye" });
    expect(res.timeline.of("verb.end")[1].data).toMatchObject({ verb: "StopStream", outcome: "interrupted" });
    // The stream kept running until the call ended (stop came with the hang-up, not the redirect).
    const stopFrame = res.timeline.of("ws.frame").find((e) => e.data.eventType === "stop")!;
    const redirectResult = res.timeline.of("webhook.result").find((e) => e.data.eventType === "redirect")!;
    expect(stopFrame.seq).toBeGreaterThan(redirectResult.seq);
    expect(res.timeline.of("http.exchange").some((e) => e.data.role === "rest-api" && e.data.status === 200)).toBe(true);
    // 409 once ended.
    const late = await fetch(`${calls}/${h.callId}`, { method: "POST", headers: JSONH, body: JSON.stringify({ state: "completed" }) });
    expect(late.status).toBe(409);
  });

  it("state=completed hangs up; PUT bxml replaces the document (invalid → 204 then invalid-bxml, OPEN-20)", async () => {
    const a = await app((_h, res) => xml(res, `<Response><Pause duration="60"/></Response>`));
    const { c, calls } = await api();
    const h1 = c.placeCall({ appUrl: a.url });
    const h2 = c.placeCall({ appUrl: a.url });
    await until(() => c.calls.get(h1.callId)?.state === "answered" && c.calls.get(h2.callId)?.state === "answered", 10_000, "both calls answered");
    expect((await fetch(`${calls}/${h1.callId}`, { method: "POST", headers: JSONH, body: JSON.stringify({ state: "completed" }) })).status).toBe(200);
    expect((await within(h1.done, 5000, "h1")).disconnectCause).toBe("hangup");
    const put415 = await fetch(`${calls}/${h2.callId}/bxml`, { method: "PUT", headers: { ...AUTH, "content-type": "application/json" }, body: "{}" });
    expect(put415.status).toBe(415);
    const put = await fetch(`${calls}/${h2.callId}/bxml`, { method: "PUT", headers: { ...AUTH, "content-type": "application/xml" }, body: "<Bxml><Bogus/></Bxml>" });
    expect(put.status).toBe(204);
    const r2 = await within(h2.done, 5000, "h2");
    expect(r2.disconnectCause).toBe("invalid-bxml");
  });

  it("PUT bxml with a valid document runs it", async () => {
    const a = await app((_h, res) => xml(res, `<Response><Pause duration="60"/></Response>`));
    const { c, calls } = await api();
    const h = c.placeCall({ appUrl: a.url });
    await until(() => c.calls.get(h.callId)?.state === "answered", 10_000, "answered");
    const put = await fetch(`${calls}/${h.callId}/bxml`, { method: "PUT", headers: { ...AUTH, "content-type": "application/xml" }, body: "<Bxml><Tag>t</Tag><Hangup/></Bxml>" });
    expect(put.status).toBe(204);
    const r = await within(h.done, 5000, "call");
    expect(r.timeline.of("verb.start").map((e) => e.data.verb)).toEqual(["Pause", "Tag", "Hangup"]);
  });
});

describe("listCalls paging (§7.5)", () => {
  it("follows Link rel=next across pages, oldest first", async () => {
    const a = await app((_h, res) => xml(res, "<Response/>"));
    const { c, calls } = await api();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const h = c.placeCall({ appUrl: a.url });
      ids.push(h.callId);
      await within(h.done, 10_000, "call");
    }
    const seen: string[] = [];
    let next: string | undefined = `${calls}?pageSize=2`;
    while (next) {
      const r: Response = await fetch(next, { headers: AUTH });
      expect(r.status).toBe(200);
      seen.push(...(await r.json()).map((x: { callId: string }) => x.callId));
      next = /<([^>]+)>; rel="next"/.exec(r.headers.get("link") ?? "")?.[1];
    }
    expect(seen).toEqual(ids);
  });
});
