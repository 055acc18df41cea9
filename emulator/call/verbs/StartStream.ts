// <StartStream> (bandwidth.md §2.20, §3.1–3.5, §5): duplicate and track-budget checks, the WebSocket
// connect, mediaStreamStarted/Rejected; returns once the stream is established or rejected, and the
// call continues either way (OPEN-8).

import { childElements, type BxmlElement } from "../../bxml/model.js";
import { mediaStreamRejectedPayload, mediaStreamStartedPayload } from "../../protocol/webhooks.js";
import type { WebhookTarget } from "../../webhooks/client.js";
import { creds, enumOf, method, str } from "../attrs.js";
import type { VerbHost } from "../host.js";
import { NEXT, type VerbExecutor } from "../executor.js";
import { openStream } from "../media.js";
import { registerStream, stopStream, streamInfo, trackWeight } from "../streams.js";
import { decided, type DecisionKey } from "../../decisions.js";

declare module "../host.js" {
  interface VerbState {
    /** The scenario's injected rejection (stream.rejected.survives) happens once per call. */
    forcedRejectionUsed?: boolean;
  }
}

/** §3.4 concurrent streamed tracks per call. */
export const MAX_STREAM_TRACKS = 4;

export const StartStream: VerbExecutor = async ({ call, el, baseUrl }) => {
  const id = call.ids.streamId();
  const name = str(el, "name") ?? id;
  const destination = (str(el, "destination") ?? "").trim();
  const mode = enumOf(el, "mode", ["unidirectional", "bidirectional"] as const, "unidirectional");
  const tracks = enumOf(el, "tracks", ["inbound", "outbound", "both"] as const, "inbound");
  const startWall = call.clock.wallNow();
  const eventTarget = eventTargetOf(call, el, baseUrl);
  const info = streamInfo({ id, name, destination, tracks, startWall });

  // `decision`: a carrier decision bwemu made where Bandwidth's documentation is silent. Its link goes
  // in what the user reads (note, finding), not in the app's errorMessage, shaped like Bandwidth's.
  const reject = (cause: "connection-error" | "duplicate" | "error" | "track-limit", errorMessage: string, original?: ReturnType<typeof streamInfo>, decision?: DecisionKey) => {
    const explained = decision ? `${errorMessage} ${decided(decision)}` : errorMessage;
    call.record("note", { message: `StartStream "${name}" rejected: ${cause}: ${explained}` });
    if (cause === "connection-error") call.finding("stream.rejected", `stream "${name}" to ${destination} rejected: ${explained}`);
    if (eventTarget) {
      call.notify("mediaStreamRejected", mediaStreamRejectedPayload(call.snapshot(), call.now(), info, cause, errorMessage, original), eventTarget);
    }
    return NEXT;
  };

  // §3.1 step 2: duplicate name among the call's active streams (OPEN-12: stopped names are free).
  const existing = call.streams.get(name);
  if (existing) return reject("duplicate", `A stream with the name ${name} already exists`, streamInfo(existing));
  // Step 3: track budget.
  const used = [...call.streams.values()].reduce((n, s) => n + trackWeight(s.tracks), 0);
  if (used + trackWeight(tracks) > MAX_STREAM_TRACKS) {
    return reject("track-limit", `stream would exceed ${MAX_STREAM_TRACKS} tracks (${used} in use, this stream needs ${trackWeight(tracks)})`);
  }
  // Scenario injection (stream.rejected.survives): once per call.
  const forced = call.options.forceStreamRejection;
  if (forced && !call.verbState.forcedRejectionUsed) {
    call.verbState.forcedRejectionUsed = true;
    return reject(forced, forced === "error" ? "internal error (injected by the test scenario)" : "connection refused (injected by the test scenario)");
  }
  // Step 4 prerequisites: OPEN-6 scheme, ED-9 ws://.
  let url: URL | undefined;
  try {
    url = new URL(destination);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "ws:" && url.protocol !== "wss:")) {
    return reject("connection-error", `destination "${destination}" is not an absolute ws:// or wss:// URI`, undefined, "stream-destination");
  }
  if (url.protocol === "ws:" && !call.settings.allowInsecureWs) {
    return reject("connection-error", "insecure ws:// destination refused (the carrier setting allowInsecureWs is off)", undefined, "insecure-ws");
  }
  const audio = await call.getAudio();
  // Virtual time (--fast): an open stream runs the call at real speed, since the app's replies on it
  // arrive in real time; the connect too.
  const release = call.clock.hold?.();
  const destCreds = call.options.omitStreamAuth ? undefined : creds(el, "destinationUsername", "destinationPassword");
  const streamParams = paramsOf(el);
  const opened = await openStream({
    callId: call.id,
    accountId: call.settings.accountId,
    streamId: id,
    name,
    destination,
    credentials: destCreds,
    mode,
    tracks,
    streamParams,
    settings: call.settings,
    audio,
    timeline: call.timeline,
    clock: call.clock,
  });
  if (!opened.ok) {
    release?.();
    return reject("connection-error", opened.errorMessage);
  }
  if (release) void opened.stream.ended.finally(release);
  const entry = registerStream(call, { id, name, destination, mode, tracks, startWall, stream: opened.stream, eventTarget });
  if (call.ended) {
    // The call ended while the socket was connecting: teardown has passed, so stop it here (ED-3).
    await stopStream(call, entry, true);
    return NEXT;
  }
  call.streamStarted();
  if (eventTarget) {
    call.notify(
      "mediaStreamStarted",
      mediaStreamStartedPayload(call.snapshot(), call.now(), streamInfo({ ...entry, startWall })),
      eventTarget,
    );
  }
  return NEXT;
};

function eventTargetOf(call: VerbHost, el: BxmlElement, baseUrl: string | undefined): WebhookTarget | undefined {
  const u = str(el, "streamEventUrl");
  if (u === undefined) return undefined;
  return { url: call.resolve(u, baseUrl), method: method(el, "streamEventMethod"), credentials: creds(el) };
}

/** §2.21: flat map; OPEN-13 last duplicate wins; absent when there are no StreamParams. */
function paramsOf(el: BxmlElement): Record<string, string> | undefined {
  const ps = childElements(el).filter((c) => c.name === "StreamParam");
  if (!ps.length) return undefined;
  const out: Record<string, string> = {};
  for (const p of ps) out[str(p, "name") ?? ""] = str(p, "value") ?? "";
  return out;
}
