// <StartTranscription> / <StopTranscription> (bandwidth.md §2.23–2.25): real-time transcription
// from the call's fixture transcript (`PlaceCallOptions.transcript`). With `destination`, a WebSocket
// gets `start`, one `transcription` per fixture line of the selected tracks, and `stop`; the
// Started/Rejected/Stopped webhooks are sent only when `destination` is set, `…Available` whenever
// `transcriptionEventUrl` is. Budget: 4 tracks per call (`both` = 2); duplicate names are rejected.

import WebSocket from "ws";
import { childElements } from "../../bxml/model.js";
import { isoDuration, isoTime } from "../../clock.js";
import { realTimeTranscriptionPayload, type RealTimeTranscriptionInfo } from "../../protocol/webhooks.js";
import type { WebhookTarget } from "../../webhooks/client.js";
import { basicAuth } from "../../webhooks/request.js";
import { bool, creds, enumOf, method, str } from "../attrs.js";
import type { VerbHost } from "../host.js";
import { NEXT, type VerbExecutor } from "../executor.js";
import { trackList, trackWeight } from "../streams.js";

const MAX_TRACKS = 4;

interface Active {
  info: RealTimeTranscriptionInfo;
  tracks: "inbound" | "outbound" | "both";
  target?: WebhookTarget;
  ws?: WebSocket;
  startedUs: number;
  timers: AbortController;
  metadata: Record<string, unknown>;
}

declare module "../host.js" {
  interface VerbState {
    /** Running transcriptions by name (§2.23). */
    transcriptions?: Map<string, Active>;
  }
}

function actives(call: VerbHost): Map<string, Active> {
  let m = call.verbState.transcriptions;
  if (!m) {
    m = new Map();
    call.verbState.transcriptions = m;
    call.teardownHooks.push(() => Promise.all([...m!.values()].map((a) => stop(call, a))).then(() => undefined));
  }
  return m;
}

function send(call: VerbHost, a: Active, msg: Record<string, unknown>): void {
  if (a.ws?.readyState !== WebSocket.OPEN) return;
  const text = JSON.stringify(msg);
  a.ws.send(text);
  call.record("ws.frame", { streamId: a.info.id, direction: "out", eventType: String(msg.eventType), bytes: Buffer.byteLength(text), text: text.slice(0, 1024) });
}

async function stop(call: VerbHost, a: Active): Promise<void> {
  const m = actives(call);
  if (m.get(a.info.name) !== a) return;
  m.delete(a.info.name);
  a.timers.abort();
  const durationUs = call.clock.nowUs() - a.startedUs;
  if (a.ws) {
    send(call, a, { eventType: "stop", metadata: a.metadata });
    a.ws.close(1000);
    if (a.target) {
      call.notify(
        "realTimeTranscriptionStopped",
        realTimeTranscriptionPayload("realTimeTranscriptionStopped", call.snapshot(), call.now(), { ...a.info, duration: isoDuration(durationUs) }, { cause: "closed" }),
        a.target,
      );
    }
  }
  if (a.target) {
    const base = call.settings.apiBaseUrl.replace(/\/$/, "");
    call.notify(
      "realTimeTranscriptionAvailable",
      realTimeTranscriptionPayload("realTimeTranscriptionAvailable", call.snapshot(), call.now(), {
        ...a.info,
        status: "available",
        url: `${base}/accounts/${call.settings.accountId}/calls/${call.id}/transcriptions/${a.info.id}`,
        completedTime: call.now(),
      }),
      a.target,
    );
  }
}

export const StartTranscription: VerbExecutor = async ({ call, el, baseUrl }) => {
  const id = call.ids.transcriptionId();
  const name = str(el, "name") ?? id;
  const tracks = enumOf(el, "tracks", ["inbound", "outbound", "both"] as const, "inbound");
  const destination = str(el, "destination");
  const u = str(el, "transcriptionEventUrl");
  const target: WebhookTarget | undefined = u !== undefined ? { url: call.resolve(u, baseUrl), method: method(el, "transcriptionEventMethod"), credentials: creds(el) } : undefined;
  const stabilized = bool(el, "stabilized", true);
  const info: RealTimeTranscriptionInfo = { id, name, startTime: isoTime(call.clock.wallNow()), tracks: trackList(tracks), destination, stabilized: destination ? stabilized : undefined };
  const m = actives(call);
  const reject = (cause: string, errorMessage: string, original?: RealTimeTranscriptionInfo) => {
    call.record("note", { message: `StartTranscription "${name}" rejected: ${cause}: ${errorMessage}` });
    if (target && destination) {
      call.notify("realTimeTranscriptionRejected", realTimeTranscriptionPayload("realTimeTranscriptionRejected", call.snapshot(), call.now(), info, { cause, errorMessage, originalTranscription: original }), target);
    }
    return NEXT;
  };
  const dup = m.get(name);
  if (dup) return reject("duplicate", `A transcription with the name ${name} already exists`, dup.info);
  const used = [...m.values()].reduce((n, a) => n + trackWeight(a.tracks), 0);
  if (used + trackWeight(tracks) > MAX_TRACKS) return reject("track-limit", `transcription would exceed ${MAX_TRACKS} tracks`);
  const customParams: Record<string, string> = {};
  for (const p of childElements(el).filter((c) => c.name === "CustomParam")) customParams[str(p, "name") ?? ""] = str(p, "value") ?? "";
  const metadata = { accountId: call.settings.accountId, callId: call.id, realTimeTranscriptionId: id, transcriptionName: name, tracks: trackList(tracks).map((t) => ({ name: t })), stabilized };
  const a: Active = { info, tracks, target, startedUs: call.clock.nowUs(), timers: new AbortController(), metadata };
  if (destination) {
    const ws = await connect(call, destination, el);
    if (typeof ws === "string") return reject("connection-error", ws);
    a.ws = ws;
    ws.on("close", () => void stop(call, a));
    send(call, a, { eventType: "start", metadata, customParams });
    if (target) call.notify("realTimeTranscriptionStarted", realTimeTranscriptionPayload("realTimeTranscriptionStarted", call.snapshot(), call.now(), info), target);
  }
  m.set(name, a);
  // Fixture lines of the selected tracks, relative to the start of the transcription.
  for (const line of call.options.transcript ?? []) {
    if (!info.tracks.includes(line.track)) continue;
    void call
      .sleep(line.atMs, AbortSignal.any([a.timers.signal, call.signal]))
      .then(() => {
        const words = line.text.split(/\s+/).filter(Boolean);
        const dur = (line.durationMs ?? words.length * 400) / 1000;
        const start = line.atMs / 1000;
        const step = words.length ? dur / words.length : 0;
        send(call, a, {
          eventType: "transcription",
          track: line.track,
          startTime: start,
          endTime: start + dur,
          isPartial: false,
          language: "en-US",
          transcript: line.text,
          items: words.map((w: string, i: number) => ({ content: w, startTime: start + i * step, endTime: start + (i + 1) * step, confidence: 0.95, stable: true, type: /^[.,!?;:]$/.test(w) ? "PUNCTUATION" : "PRONUNCIATION" })),
        });
      })
      .catch(() => undefined);
  }
  return NEXT;
};

function connect(call: VerbHost, destination: string, el: Parameters<VerbExecutor>[0]["el"]): Promise<WebSocket | string> {
  return new Promise((resolve) => {
    let ws: WebSocket;
    const c = creds(el, "destinationUsername", "destinationPassword");
    try {
      ws = new WebSocket(destination, { headers: c ? { authorization: basicAuth(c) } : {}, handshakeTimeout: call.settings.streamConnectTimeoutMs });
    } catch (e) {
      resolve(`invalid destination ${destination}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => {
      resolve(`WebSocket upgrade refused with HTTP ${res.statusCode}`);
      ws.terminate();
    });
    ws.once("error", (e) => resolve(`connection error: ${e.message}`));
  });
}

export const StopTranscription: VerbExecutor = async ({ call, el }) => {
  const name = str(el, "name");
  const m = actives(call);
  if (name === undefined) await Promise.all([...m.values()].map((a) => stop(call, a)));
  else {
    const a = m.get(name);
    if (a) await stop(call, a);
  }
  return NEXT;
};
