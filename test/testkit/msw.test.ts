// bwemu/msw with the official bandwidth-sdk, its base URL not changed at all: the SDK addresses
// https://voice.bandwidth.com/api/v2 as it does in production, msw hands each request to the
// in-process carrier, and a test app (on loopback) sees the webhooks of the call it created,
// redirected, gave new BXML, hung up and whose recording it downloaded. onUnhandledRequest "error":
// nothing may leave the process for a real host.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CallsApi, Configuration, RecordingsApi } from "bandwidth-sdk";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BANDWIDTH_VOICE_API_URL, voiceApiHandlers } from "../../src/msw.js";
import { startReferenceBridge } from "../../fixtures/bridges/reference/index.js";
import { useBwemu } from "../../src/vitest.js";
import { until } from "../support/loopback.js";

const ACCOUNT = "9901234";
const APPLICATION = "0a1b2c3d-0000-4000-8000-00000000abcd";
const bwemu = useBwemu({ realtime: false, settings: { accountId: ACCOUNT, applicationId: APPLICATION, apiCredentials: { username: "api-user", password: "api-pass" } } });
const server = setupServer(...voiceApiHandlers(bwemu));
/** Every request msw saw, by URL: the SDK's must all be addressed to Bandwidth's production host. */
const requested: string[] = [];
server.events.on("request:start", ({ request }) => void requested.push(`${request.method} ${request.url}`));

interface Seen {
  path: string;
  body: Record<string, unknown>;
}

/** The app under test: answers, is redirected, and takes the status webhooks. */
let app: { base: string; seen: Seen[]; close(): Promise<void> };

beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  const seen: Seen[] = [];
  const s = http.createServer(async (req, res) => {
    let text = "";
    for await (const c of req) text += c;
    const path = new URL(req.url ?? "/", "http://x").pathname;
    seen.push({ path, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
    const xml = (doc: string) => res.writeHead(200, { "content-type": "application/xml" }).end(doc);
    if (path === "/answer") return xml('<Response><StartRecording recordingAvailableUrl="/recording"/><Pause duration="30"/></Response>');
    if (path === "/redirected") return xml("<Response><SpeakSentence>You were moved.</SpeakSentence><Pause duration=\"30\"/></Response>");
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  app = {
    base: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((r) => s.close(() => r())),
  };
});
afterAll(async () => {
  server.close();
  await app?.close();
});

describe("bandwidth-sdk CallsApi at its production address, answered by bwemu in-process", () => {
  it("creates a call, reads it, redirects it, replaces its BXML, hangs it up and downloads its recording", async () => {
    const config = new Configuration({ username: "api-user", password: "api-pass" });
    const calls = new CallsApi(config);
    const created = await calls.createCall(ACCOUNT, {
      to: "+15551230001",
      from: "+15551230002",
      applicationId: APPLICATION,
      answerUrl: `${app.base}/answer`,
      disconnectUrl: `${app.base}/disconnect`,
    });
    expect(created.status).toBe(201);
    const callId = created.data.callId;
    expect(callId).toMatch(/^c-/);
    expect(created.data.callUrl).toBe(`${bwemu.apiBaseUrl}/accounts/${ACCOUNT}/calls/${callId}`);
    expect(created.headers.location).toBe(created.data.callUrl);

    await until("the call to be answered", async () => ((await calls.getCallState(ACCOUNT, callId)).data.state === "answered" ? true : undefined), 10_000, 25);
    const state = await calls.getCallState(ACCOUNT, callId);
    expect(state.data).toMatchObject({ callId, direction: "outbound", state: "answered", accountId: ACCOUNT, to: "+15551230001" });

    const redirected = await calls.updateCall(ACCOUNT, callId, { redirectUrl: `${app.base}/redirected` });
    expect(redirected.status).toBe(200);
    await until("the redirect webhook", () => (app.seen.some((s) => s.path === "/redirected") ? true : undefined), 10_000, 25);

    const replaced = await calls.updateCallBxml(ACCOUNT, callId, '<?xml version="1.0" encoding="UTF-8"?><Bxml><SpeakSentence>Replaced.</SpeakSentence><Pause duration="30"/></Bxml>');
    expect(replaced.status).toBe(204);
    await until("the replaced document", () => (bwemu.carrier.calls.get(callId)?.documents.some((d) => d.text.includes("Replaced.")) ? true : undefined), 10_000, 25);

    const hungUp = await calls.updateCall(ACCOUNT, callId, { state: "completed" });
    expect(hungUp.status).toBe(200);
    const record = await bwemu.callRecord(callId);
    expect(record.direction).toBe("outbound");
    expect(record).toHaveReceivedWebhook("answer");
    expect(record).toHaveReceivedWebhook("redirect");
    expect(record).toHaveReceivedWebhook("disconnect");
    // The app saw the same webhooks, in order.
    const events = app.seen.map((s) => s.body.eventType);
    expect(events.slice(0, 2)).toEqual(["answer", "redirect"]);
    expect(events).toContain("disconnect");
    expect(app.seen.find((s) => s.body.eventType === "disconnect")?.body).toMatchObject({ callId, cause: "hangup" });

    // Every Voice API request the SDK made went to Bandwidth's production address, unchanged.
    const sdk = requested.filter((r) => !/ http:\/\/127\.0\.0\.1:/.test(r));
    expect(sdk.length).toBeGreaterThanOrEqual(5);
    for (const r of sdk) expect(r).toMatch(new RegExp(`^(GET|POST|PUT) ${BANDWIDTH_VOICE_API_URL.replace(/\./g, "\\.")}/accounts/${ACCOUNT}/calls`));
    expect(BANDWIDTH_VOICE_API_URL).toBe("https://voice.bandwidth.com/api/v2");

    const recording = await until("recordingAvailable", () => app.seen.find((s) => s.body.eventType === "recordingAvailable")?.body, 10_000, 25);
    const recordings = new RecordingsApi(config);
    const list = await recordings.listCallRecordings(ACCOUNT, callId);
    expect(list.data.map((r) => r.recordingId)).toEqual([recording.recordingId]);
    const media = await recordings.downloadCallRecording(ACCOUNT, callId, String(recording.recordingId), { responseType: "arraybuffer" });
    expect(String(media.headers["content-type"])).toMatch(/^audio\/(vnd\.wave|wav|x-wav)/);
    expect(Buffer.from(media.data as unknown as ArrayBuffer).subarray(0, 4).toString("latin1")).toBe("RIFF");
  });

  it("Bandwidth's error shapes come back through msw: wrong credentials, wrong account, unknown call", async () => {
    const wrong = new CallsApi(new Configuration({ username: "api-user", password: "nope" }));
    await expect(wrong.getCallState(ACCOUNT, "c-x")).rejects.toMatchObject({ response: { status: 401 } });
    const calls = new CallsApi(new Configuration({ username: "api-user", password: "api-pass" }));
    await expect(calls.getCallState("1111111", "c-x")).rejects.toMatchObject({ response: { status: 403 } });
    const missing = await calls.getCallState(ACCOUNT, "c-00000000-0000-0000-0000-000000000000").catch((e: { response: { status: number; data: unknown } }) => e.response);
    expect(missing.status).toBe(404);
    expect(missing.data).toMatchObject({ type: expect.any(String), description: expect.stringContaining("c-00000000-0000-0000-0000-000000000000") });
  });
});

describe("OAuth clients, and a bridge streaming while msw intercepts", () => {
  // No API credentials configured: any Basic or Bearer credentials pass, as with the token below.
  const open = useBwemu({ settings: { accountId: ACCOUNT, applicationId: APPLICATION } });
  beforeAll(() => server.use(...voiceApiHandlers(open)));
  afterAll(() => server.resetHandlers());

  it("a client with clientId/clientSecret gets its token from the mocked token endpoint and lists calls", async () => {
    const calls = new CallsApi(new Configuration({ clientId: "my-client", clientSecret: "my-secret" }));
    const list = await calls.listCalls(ACCOUNT);
    expect(list.status).toBe(200);
    expect(Array.isArray(list.data)).toBe(true);
    const exchanges = open.carrier.timeline.events.filter((e) => e.kind === "http.exchange" && (e.data as { role: string }).role === "rest-api");
    // The bearer token reached the emulator (recorded with its scheme only).
    expect(exchanges.map((e) => (e.data as { requestHeaders: Record<string, string> }).requestHeaders.authorization)).toContain("Bearer [redacted]");
  });

  it("the token endpoint refuses a request without client credentials", async () => {
    const r = await fetch("https://api.bandwidth.com/api/v1/oauth2/token", { method: "POST", body: "grant_type=client_credentials", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: "invalid_client" });
  });

  it("webhooks and the media stream on loopback pass through msw untouched", async () => {
    const bridge = await startReferenceBridge({ realtimeUrl: open.realtimeUrl, greeting: true });
    try {
      const call = await open.placeCall(bridge.url, { maxDurationMs: 2500 });
      expect(call).toHaveStreamed();
      expect(call).toHaveReceivedWebhook("mediaStreamStarted");
      expect(call).toHaveHeardReply();
    } finally {
      await bridge.close();
    }
  });
});
