import { afterEach, describe, expect, it } from "vitest";
import { Carrier } from "../carrier.js";
import { ID_PATTERNS } from "../../ids.js";
import { noContent, startApp, startWs, within, xml, type App, type WsApp } from "./servers.js";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function carrier(settings: ConstructorParameters<typeof Carrier>[0] = {}) {
  const c = new Carrier({ ...settings, settings: { pacing: "fast", callbackTimeoutMs: 3000, statusCallbackUrl: undefined, ...settings.settings } });
  cleanup.push(() => c.close());
  return c;
}

async function app(handler: Parameters<typeof startApp>[0]): Promise<App> {
  const a = await startApp(handler);
  cleanup.push(() => a.close());
  return a;
}

async function ws(...args: Parameters<typeof startWs>): Promise<WsApp> {
  const w = await startWs(...args);
  cleanup.push(() => w.close());
  return w;
}

describe("StartStream + StopStream wait (the bridge keep-alive pattern)", () => {
  it("streams, releases the wait when the app closes, then hangs up with the ED-3/ED-2 sequence", async () => {
    const wsApp = await ws((sock) => {
      let n = 0;
      sock.on("message", () => {
        if (++n === 5) sock.close(1000, "done");
      });
    });
    const a = await app((hit, res) => {
      if (hit.path === "/voice")
        return xml(
          res,
          `<?xml version="1.0" encoding="UTF-8"?><Response><StartStream name="agent" mode="bidirectional" destination="${wsApp.url}?call_id=x" streamEventUrl="/events" destinationUsername="foo" destinationPassword="bar"><StreamParam name="tenant" value="acme"/></StartStream><StopStream name="agent" wait="true"/><Pause duration="0.1"/></Response>`,
        );
      return noContent(res);
    });
    const c = carrier({ settings: { statusCallbackUrl: undefined } });
    c.settings.statusCallbackUrl = `${a.base}/status`;
    const h = c.placeCall({ appUrl: a.url });
    const r = await within(h.done, 15_000, "call end");
    expect(r.disconnectCause).toBe("hangup");
    expect(h.callId).toMatch(ID_PATTERNS.callId);

    const initiate = a.hits.find((x) => x.path === "/voice")!.json!;
    expect(Object.keys(initiate)).toEqual(["eventType", "eventTime", "accountId", "applicationId", "from", "to", "direction", "callId", "callUrl", "startTime", "sipCallId", "privacy", "callerDisplayName"]);
    expect(initiate).toMatchObject({ sipCallId: `${h.callId.replace(/-/g, "")}@sbc.bandwidth.com`, privacy: false, callerDisplayName: "BWEMU CALLER" });
    expect(initiate.eventType).toBe("initiate");
    expect(initiate.eventTime).toMatch(ISO);
    expect(initiate.direction).toBe("inbound");
    expect(initiate.callUrl).toBe(`https://voice.bandwidth.com/api/v2/accounts/9900000/calls/${h.callId}`);

    const events = a.hits.filter((x) => x.path === "/events").map((x) => x.json!);
    expect(events.map((e) => e.eventType)).toEqual(["mediaStreamStarted", "mediaStreamStopped"]);
    const started = events[0];
    expect(Object.keys(started)).toEqual(["eventType", "eventTime", "accountId", "applicationId", "callId", "callUrl", "direction", "from", "to", "startTime", "answerTime", "privacy", "callerDisplayName", "mediaStream"]);
    const ms = started.mediaStream as Record<string, unknown>;
    expect(ms.id).toMatch(ID_PATTERNS.streamId);
    expect(ms).toMatchObject({ name: "agent", destination: `${wsApp.url}?call_id=x`, tracks: ["inbound"], type: "WebSocket" });
    const stopped = events[1];
    expect(stopped.cause).toBe("closed");
    expect(stopped.errorMessage).toBeUndefined();
    expect((stopped.mediaStream as Record<string, unknown>).duration).toMatch(/^PT(\d+M)?[\d.]+S$/);

    // The upgrade carried Basic auth and the query unchanged.
    expect(wsApp.upgrades[0].url).toBe("/stream?call_id=x");
    expect(wsApp.upgrades[0].headers.authorization).toBe(`Basic ${Buffer.from("foo:bar").toString("base64")}`);
    const start = JSON.parse(wsApp.messages[0].text);
    expect(Object.keys(start)).toEqual(["metadata", "streamParams", "eventType"]);
    expect(start.streamParams).toEqual({ tenant: "acme" });

    // ED-2: no stop frame when the app closed; the wait released; then Pause ran; then disconnect.
    const kinds = r.timeline.events.map((e) => (e.kind === "verb.end" ? `end:${(e.data as { verb: string }).verb}` : e.kind));
    expect(kinds.indexOf("end:StopStream")).toBeGreaterThan(-1);
    expect(kinds.indexOf("end:Pause")).toBeGreaterThan(kinds.indexOf("end:StopStream"));
    expect(wsApp.messages.some((m) => m.text.includes('"stop"'))).toBe(false);
    const disconnect = a.hits.find((x) => x.path === "/status")!.json!;
    expect(disconnect).toMatchObject({ eventType: "disconnect", cause: "hangup", callId: h.callId });
    expect(disconnect.endTime).toMatch(ISO);
  });
});
