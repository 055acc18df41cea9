// Proof that an app's own Voice API client works against `bwemu serve` with only its base URL
// changed: the official bandwidth-sdk (CallsApi, RecordingsApi) creates a call against a real serve
// process, reads its state, redirects it, replaces its BXML, hangs it up and downloads its recording,
// while a test app on loopback sees the matching webhooks.
import { CallsApi, Configuration, RecordingsApi } from "bandwidth-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServeProcess, startTestApp, type ServeProcess, type TestApp } from "./helpers.js";
import { until } from "../support/loopback.js";

const KEEP_UP = `<Response><Pause duration="60"/></Response>`;

describe("bandwidth-sdk against a real bwemu serve process", () => {
  let serve: ServeProcess;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      "/answer": `<?xml version="1.0" encoding="UTF-8"?><Response><StartRecording recordingAvailableUrl="/recordingAvailable"/><Pause duration="60"/></Response>`,
      "/redirected": `<Response><Tag>redirected</Tag><Pause duration="60"/></Response>`,
      "/recordingAvailable": undefined,
      "/disconnect": undefined,
    });
    serve = await startServeProcess(["--port", "0", "--realtime", "none", "--account-id", "5551234", "--api-user", "app"], { BWEMU_API_PASSWORD: "pa55word" });
  }, 40_000);

  afterAll(async () => {
    await serve?.stop();
    await app?.close();
  });

  it("createCall, getCallState, updateCall (redirect), updateCallBxml, updateCall (completed), then the recording", async () => {
    const config = new Configuration({ username: "app", password: "pa55word", basePath: serve.ready.apiBaseUrl });
    const calls = new CallsApi(config);
    const recordings = new RecordingsApi(config);
    const account = serve.ready.accountId;
    expect(account).toBe("5551234");

    const created = await calls.createCall(account, {
      from: "+15550001111",
      to: "+15550002222",
      applicationId: serve.ready.applicationId,
      answerUrl: `${app.url}/answer`,
      disconnectUrl: `${app.url}/disconnect`,
      tag: "sdk-proof",
    });
    expect(created.status).toBe(201);
    const callId = created.data.callId!;
    expect(created.data.callUrl).toBe(`${serve.ready.apiBaseUrl}/accounts/${account}/calls/${callId}`);

    const answer = await until("the answer webhook", () => app.hooks.find((h) => h.path === "/answer"));
    expect(answer.body).toMatchObject({ eventType: "answer", callId, direction: "outbound", from: "+15550001111", to: "+15550002222", tag: "sdk-proof" });

    const state = await until("state answered", async () => {
      const s = await calls.getCallState(account, callId);
      return s.data.state === "answered" ? s.data : undefined;
    });
    expect(state).toMatchObject({ callId, direction: "outbound", accountId: account, applicationId: serve.ready.applicationId });

    const redirected = await calls.updateCall(account, callId, { redirectUrl: `${app.url}/redirected` });
    expect(redirected.status).toBe(200);
    const redirect = await until("the redirect webhook", () => app.hooks.find((h) => h.path === "/redirected"));
    expect(redirect.body).toMatchObject({ eventType: "redirect", callId });

    const replaced = await calls.updateCallBxml(account, callId, `<?xml version="1.0" encoding="UTF-8"?><Response><Tag>replaced</Tag>${KEEP_UP.slice("<Response>".length)}`);
    expect(replaced.status).toBe(204);
    // The carrier ran the replacement: the control API lists three documents, the last one ours.
    const info = await until("the replaced document", async () => {
      const r = (await (await fetch(`${serve.ready.url}/_bwemu/calls/${callId}`)).json()) as { documents: string[] };
      return r.documents.length === 3 ? r : undefined;
    });
    const third = await (await fetch(info.documents[2])).text();
    expect(third).toContain("<Tag>replaced</Tag>");

    const hungUp = await calls.updateCall(account, callId, { state: "completed" });
    expect(hungUp.status).toBe(200);
    const disconnect = await until("the disconnect webhook", () => app.hooks.find((h) => h.path === "/disconnect"));
    expect(disconnect.body).toMatchObject({ eventType: "disconnect", callId, cause: "hangup", tag: "replaced" });

    const available = await until("the recordingAvailable webhook", () => app.hooks.find((h) => h.path === "/recordingAvailable"));
    expect(available.body).toMatchObject({ eventType: "recordingAvailable", callId, fileFormat: "wav", status: "complete" });
    const recordingId = String(available.body.recordingId);

    const list = await recordings.listCallRecordings(account, callId);
    expect(list.data.map((r) => r.recordingId)).toEqual([recordingId]);
    const media = await recordings.downloadCallRecording(account, callId, recordingId, { responseType: "arraybuffer" });
    const bytes = Buffer.from(media.data as unknown as ArrayBuffer);
    expect(String(media.headers["content-type"])).toBe("audio/vnd.wave");
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("RIFF");
    expect(bytes.subarray(8, 12).toString("latin1")).toBe("WAVE");
    expect(bytes.length).toBeGreaterThan(44);

    const final = await calls.getCallState(account, callId);
    expect(final.data).toMatchObject({ state: "disconnected", disconnectCause: "hangup" });

    // The webhooks the app saw: answer, then redirect, then disconnect; the recording's after the call.
    const order = app.hooks.map((h) => h.body.eventType);
    expect(new Set(order)).toEqual(new Set(["answer", "redirect", "disconnect", "recordingAvailable"]));
    expect(order.indexOf("answer")).toBeLessThan(order.indexOf("redirect"));
    expect(order.indexOf("redirect")).toBeLessThan(order.indexOf("disconnect"));

    // Every SDK request is on the call's timeline (control API, JSON lines).
    const lines = (await (await fetch(`${serve.ready.url}/_bwemu/calls/${callId}/timeline`)).text()).trim().split("\n").map((l) => JSON.parse(l));
    const rest = lines.filter((e) => e.kind === "http.exchange" && e.data.role === "rest-api").map((e) => `${e.data.method} ${e.data.status}`);
    expect(rest).toEqual(expect.arrayContaining(["GET 200", "POST 200", "PUT 204"]));
    expect(JSON.stringify(lines)).not.toContain("pa55word");
  }, 60_000);

  it("wrong Voice API credentials are refused like Bandwidth does (401), the control API needs none", async () => {
    const bad = new CallsApi(new Configuration({ username: "app", password: "wrong", basePath: serve.ready.apiBaseUrl }));
    await expect(bad.listCalls(serve.ready.accountId)).rejects.toMatchObject({ response: { status: 401 } });
    const health = await fetch(serve.ready.health);
    expect(health.status).toBe(200);
  });
});
