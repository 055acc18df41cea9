import type { ElementSpec } from "../spec.js";
import { CALL_AND_TRANSFER_ANSWER, credentials, enumOf, method, ROOT, str, TRACKS, url } from "./common.js";

/** Forks the call's audio to the app's media WebSocket (§3, §4). */
const StartStream: ElementSpec = {
  name: "StartStream",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: null,
  attributes: {
    name: str("unique among the call's streams; StopStream uses it; default: the generated stream id (s-…)"),
    mode: enumOf(["unidirectional", "bidirectional"], "unidirectional", "bidirectional lets the app send audio back"),
    tracks: enumOf(TRACKS, "inbound"),
    destination: { type: "WSURI", required: true, note: "the wss:// URL of your media WebSocket" },
    destinationUsername: str("HTTP Basic user name sent on the WebSocket upgrade"),
    destinationPassword: str("HTTP Basic password sent on the WebSocket upgrade", { credential: true }),
    streamEventUrl: url("receives mediaStreamStarted / Rejected / Stopped (no BXML); may be relative"),
    streamEventMethod: method,
    ...credentials,
  },
  children: { allowed: ["StreamParam"], max: 12 },
  execution: "stream-start",
  bxmlWebhooks: [],
  notificationWebhooks: ["mediaStreamStarted", "mediaStreamRejected", "mediaStreamStopped"],
  misspellings: {
    destination_username: "destinationUsername",
    destination_password: "destinationPassword",
    streamEventsUrl: "streamEventUrl",
  },
  // bandwidth.md §2.20, §3, ED-7, ED-9, OPEN-6, OPEN-15
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream"],
};
export default StartStream;
