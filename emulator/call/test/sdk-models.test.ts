// Every field the carrier sends in a call webhook is a field of bandwidth-sdk's callback model for
// that event (node_modules/bandwidth-sdk/dist/models/*-callback.d.ts), or one of the few fields the
// SDK's models do not list yet but Bandwidth sends (named below with where they come from). Real
// calls on loopback: an inbound call through StartGather, Gather, Record, Redirect and Hangup, and an
// outbound call (createCall's `answer`).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { app, carrier } from "./harness.js";
import { noContent, xml } from "./servers.js";

const models = join(dirname(createRequire(import.meta.url).resolve("bandwidth-sdk/package.json")), "dist", "models");

/** The property names of an SDK model interface, from its declaration file. */
function modelFields(file: string): Set<string> {
  const text = readFileSync(join(models, file), "utf8");
  return new Set([...text.matchAll(/^\s*'([A-Za-z]+)'\??:/gm)].map((m) => m[1]));
}

const MODEL: Record<string, string> = {
  initiate: "initiate-callback.d.ts",
  answer: "answer-callback.d.ts",
  redirect: "redirect-callback.d.ts",
  gather: "gather-callback.d.ts",
  dtmf: "dtmf-callback.d.ts",
  recordComplete: "recording-complete-callback.d.ts",
  recordingAvailable: "recording-available-callback.d.ts",
  disconnect: "disconnect-callback.d.ts",
};

/** Fields Bandwidth sends that bandwidth-sdk 8.x's models do not list (yet). */
const BEYOND_SDK: Record<string, string[]> = {
  // `sipCallId`: in Bandwidth's OpenAPI for initiate, answer and disconnect (Bandwidth/ruby-sdk#218).
  // `privacy`, `callerDisplayName`: seen in a live initiate capture.
  initiate: ["sipCallId", "privacy", "callerDisplayName"],
  answer: ["sipCallId"],
  disconnect: ["sipCallId"],
  // Bandwidth's recordingAvailable page lists the recordComplete fields, answerTime included; the model omits it.
  recordingAvailable: ["answerTime"],
};

describe("webhook payloads against bandwidth-sdk's callback models", () => {
  it("every field of every webhook of an inbound and an outbound call is a model field (or a documented extra)", async () => {
    const a = await app((hit, res) => {
      switch (hit.path) {
        case "/voice":
          return xml(res, `<Response><StartGather dtmfUrl="/dtmf"/><Pause duration="1"/><StopGather/><Gather gatherUrl="/gather" maxDigits="1" firstDigitTimeout="5"/></Response>`);
        case "/gather":
          return xml(res, `<Response><Record recordCompleteUrl="/recordComplete" recordingAvailableUrl="/recordingAvailable" maxDuration="1"/></Response>`);
        case "/recordComplete":
          return xml(res, `<Response><Redirect redirectUrl="/redirect"/></Response>`);
        case "/redirect":
        case "/answer":
          return xml(res, `<Response><Hangup/></Response>`);
        default:
          return noContent(res);
      }
    });
    const c = carrier({ settings: { statusCallbackUrl: `${a.base}/status` } });
    // 5 at 0.5 s (StartGather → dtmf), 2 at 3 s (Gather → gather).
    const inbound = await c.placeCall({ appUrl: a.url, dtmf: "5WW2", callerDisplayName: "ACME SUPPORT" }).done;
    expect(inbound.disconnectCause).toBe("hangup");
    const outbound = c.startOutbound({
      from: "+15557770199",
      to: "+15557770142",
      first: { eventType: "answer", primary: { url: `${a.base}/answer`, method: "POST" } },
      disconnectTarget: { url: `${a.base}/status`, method: "POST" },
      caller: { silence: true },
      options: { appUrl: `${a.base}/answer` },
      farEnd: { outcome: "answer", ringMs: 10 },
    });
    await outbound.done;
    await a.waitFor((h) => h.json?.eventType === "recordingAvailable");

    const bodies = a.hits.map((h) => h.json).filter((j): j is Record<string, unknown> => typeof j?.eventType === "string");
    const seen = new Set(bodies.map((b) => String(b.eventType)));
    expect([...seen].sort()).toEqual(Object.keys(MODEL).sort());
    const unknown: string[] = [];
    for (const b of bodies) {
      const type = String(b.eventType);
      const known = new Set([...modelFields(MODEL[type]), ...(BEYOND_SDK[type] ?? [])]);
      for (const k of Object.keys(b)) if (!known.has(k)) unknown.push(`${type}.${k}`);
    }
    expect(unknown).toEqual([]);

    const initiate = bodies.find((b) => b.eventType === "initiate")!;
    expect(initiate).toMatchObject({ privacy: false, callerDisplayName: "ACME SUPPORT", sipCallId: `${inbound.callId.replace(/-/g, "")}@sbc.bandwidth.com` });
    const answer = bodies.find((b) => b.eventType === "answer")!;
    expect(answer.sipCallId).toBe(`${outbound.id.replace(/-/g, "")}@sbc.bandwidth.com`);
    // The far end's dialog is reported on answer, not before: no other event of the call carries one earlier.
    const disconnects = bodies.filter((b) => b.eventType === "disconnect");
    expect(disconnects.map((d) => d.sipCallId).sort()).toEqual([answer.sipCallId, initiate.sipCallId].sort());
  }, 30_000);
});
