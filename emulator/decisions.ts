// What bwemu decides where Bandwidth's public documentation is silent (bandwidth.md §9: ED-1…ED-13,
// OPEN-1…OPEN-22). One entry per decision, keyed by the anchor of its section in docs/carrier.md, which
// the docs generator writes from this table; a message that rests on a decision links it with
// `decisionUrl(key)`, so users read the decision, never our private reference.

import type { CarrierSettings } from "./call/types.js";
import { BANDWIDTH, bxmlVerbPage, DOCS_BASE, STANDARDS } from "./references.js";

export interface CarrierDecision {
  /** The question Bandwidth's pages leave open. */
  question: string;
  /** What bwemu does. */
  decision: string;
  /** The carrier setting that changes it (`new Carrier({ settings })`, `placeCall`), when there is one. */
  setting?: keyof CarrierSettings;
  /** Flags and config keys outside the config file's `carrier` section that change it. */
  change?: string;
  /** The public pages closest to the question. */
  docs: readonly string[];
}

export const DECISIONS = {
  "sequence-numbers": {
    // ED-1
    question: "Does `sequenceNumber` count per track or per stream, and from what value?",
    decision: "Per track, as a string, starting at \"1\" with each track's first `media` frame and adding 1 every 20 ms frame; with `tracks=\"both\"` each track counts on its own.",
    setting: "sequenceScope",
    docs: [BANDWIDTH.mediaStreaming],
  },
  "app-close-codes": {
    // ED-2
    question: "Which `mediaStreamStopped` cause applies when the app ends the media socket?",
    decision: "A close with 1000, 1001 or no status code (seen as 1005) is `closed`. Any other code, a dropped TCP connection (1006) or a socket error is `connection-error`, with an `errorMessage` naming the code or the error, and a conformance warning. The carrier sends no `stop` frame then, completes the close handshake, posts `mediaStreamStopped` and releases a `<StopStream wait=\"true\">` waiting on the stream.",
    setting: "cleanCloseCodes",
    docs: [BANDWIDTH.mediaStreamStopped, STANDARDS.websocket],
  },
  "stream-end-order": {
    // ED-3
    question: "In what order do the `stop` frame, the socket's close, `mediaStreamStopped` and `disconnect` come?",
    decision: "When the carrier ends a stream (StopStream, a StopStream wait's timeout, the end of the call): `stop`, then close 1000, then `mediaStreamStopped` (cause `closed`). When the call ends, `disconnect` is sent only after every stream's `mediaStreamStopped` (or, without a `streamEventUrl`, after its socket closed). A redirect does not end a stream.",
    docs: [BANDWIDTH.mediaStreamStopped, BANDWIDTH.disconnect],
  },
  "stop-stream-wait": {
    // ED-4
    question: "How long does `<StopStream wait=\"true\">` wait (\"…or by a timeout\")?",
    decision: "Until the stream's socket closes, or at most the maximum call duration; on timeout the carrier ends the stream (see the order above) and goes on with the next verb.",
    setting: "maxCallDurationMs",
    change: "`bwemu call --duration`",
    docs: [BANDWIDTH.stopStream],
  },
  "streams-survive-redirect": {
    // ED-5
    question: "Does a stream survive a REST redirect or a new BXML document?",
    decision: "Yes: streams run until StopStream or the end of the call, and their names stay taken.",
    docs: [BANDWIDTH.updateCall, BANDWIDTH.startStream],
  },
  "unknown-elements": {
    // ED-6a
    question: "What does the carrier do with an unknown verb, or an element where it may not stand?",
    decision: "The document is invalid: the call ends with disconnect cause `invalid-bxml` (a lint error). Lenient mode skips the element instead.",
    setting: "strictUnknownElements",
    docs: [BANDWIDTH.bxml],
  },
  "unknown-attributes": {
    // ED-6b
    question: "What does the carrier do with an unknown attribute (e.g. an SDK's `destination_username`)?",
    decision: "It ignores it; lint warns and names the documented spelling when one is close.",
    docs: [BANDWIDTH.bxml],
  },
  "enum-case": {
    // ED-6c
    question: "Is an enumerated value in another case (`tracks=\"INBOUND\"`, as the Java SDK writes it) accepted?",
    decision: "Yes, case-insensitively; lint warns.",
    docs: [BANDWIDTH.startStream],
  },
  "stream-param-limits": {
    // ED-7
    question: "What happens past the StreamParam limits (more than 12, a name over 256 or a value over 2048 characters)?",
    decision: "The whole document is invalid: the call ends with `invalid-bxml` (a lint error).",
    docs: [BANDWIDTH.streamParam],
  },
  "bxml-webhooks": {
    // ED-8, OPEN-19
    question: "How are failures and content types of BXML-returning webhooks handled?",
    decision: "A connection error is retried once at the same URL. A timeout (15 s by default), a status other than 2xx (3xx included: redirects are not followed) or a body that is not BXML goes to the fallback URL when one is set; if that fails too, the call ends with `callback-error`. A 2xx reply whose Content-Type is not XML (Express's `text/html` default) is accepted with a warning if its body parses as BXML.",
    setting: "callbackTimeoutMs",
    change: "`timeouts.callbackMs` in `bwemu.config.ts`",
    docs: [BANDWIDTH.webhooks],
  },
  "insecure-ws": {
    // ED-9
    question: "Does the carrier connect to a `ws://` stream destination?",
    decision: "Yes, with a lint warning: Bandwidth's pages say only \"websocket URI\" and every example uses `wss://`. Refusing `ws://` is a setting.",
    setting: "allowInsecureWs",
    docs: [BANDWIDTH.startStream],
  },
  "l16-audio": {
    // ED-10
    question: "In what format does the caller's audio arrive on the stream?",
    decision: "PCMU 8 kHz in 160-byte 20 ms frames, as live Bandwidth sends. L16 at 16 kHz (640-byte frames of signed 16-bit little-endian PCM, `mediaFormat` `{\"encoding\":\"L16\",\"sampleRate\":16000}`) is an option of bwemu's; Bandwidth's public pages do not describe it.",
    setting: "mediaFormat",
    change: "`--l16` (`bwemu call`, `bwemu load`)",
    docs: [BANDWIDTH.mediaStreaming],
  },
  "media-clock": {
    // bandwidth.md §4.4: pacing real time, jitter and bundling unconfirmed
    question: "When does each stream's 20 ms `media` frame go out, against the other calls' streams?",
    decision: "Every stream ticks on one media clock, as a media server's channels share a timer: the first stream started while none runs sets a 20 ms grid and sends at once; a later stream's first `media` frame waits for the grid's next tick (at most 20 ms after its `start`), so concurrent calls' frames leave together. One tick holds at most 32 streams; past that, new streams take the next of four 5 ms phases (`bwemu load` on many calls).",
    change: "environment `BWEMU_PACING_SLOT_US` (phase width in µs; `0`: every stream on a phase of its own, its first frame right after `start`) and `BWEMU_PACING_SLOT_STREAMS` (streams per tick)",
    docs: [BANDWIDTH.mediaStreaming],
  },
  "document-cap": {
    // ED-11
    question: "What stops an endless BXML loop (a Redirect to itself)?",
    decision: "A cap of 100 BXML documents per call (every BXML webhook counts once, the first included; retries and fallbacks of one delivery count once). The request past the cap ends the call with `application-error`, naming the URLs of the loop.",
    setting: "bxmlRequestCap",
    change: "`bwemu call --max-documents`",
    docs: [bxmlVerbPage("Redirect")],
  },
  "caller-start": {
    // ED-12
    question: "When does a scripted caller start speaking? (a choice of the test harness, not a fact of the platform)",
    decision: "With the first media stream's `start` frame, so the app receives the whole utterance. `answer` runs the caller's audio on the call's clock from answer instead, as on a live call: audio before the stream starts is never streamed.",
    setting: "callerStartsAt",
    change: "`--caller-starts-at` (`bwemu call`, `bwemu test`), `callerStartsAt` in `bwemu.config.ts`",
    docs: [BANDWIDTH.mediaStreaming],
  },
  "agent-speech": {
    // ED-13
    question: "When is the app's reply speech, for turn latency measured at the carrier?",
    decision: "`playAudio` frames below the speech energy threshold (digital silence, comfort noise) are not speech: a bridge streaming silence is not speaking.",
    docs: [BANDWIDTH.mediaStreaming],
  },
  "answering-verbs": {
    // OPEN-1
    question: "Which verbs answer an unanswered inbound call?",
    decision: "The first verb other than Tag, Redirect, Hangup (which rejects), Forward (which leaves it unanswered) and `<Ring answerCall=\"false\">`.",
    docs: [bxmlVerbPage("Ring")],
  },
  "document-size": {
    // OPEN-2
    question: "Is a BXML document over 64 KB accepted?",
    decision: "No: `invalid-bxml`, and a lint error.",
    docs: [BANDWIDTH.bxml],
  },
  "relative-urls": {
    // OPEN-5
    question: "What is the base of a relative URL in a document sent with `PUT …/bxml`, or of a relative `redirectUrl` in `updateCall`?",
    decision: "The URL that served the call's latest BXML document; with none, a lint error and `invalid-bxml`.",
    docs: [BANDWIDTH.updateCall, STANDARDS.uri],
  },
  "stream-destination": {
    // OPEN-6
    question: "What happens with a stream `destination` that is relative or not `ws://`/`wss://`?",
    decision: "The stream is rejected: `mediaStreamRejected` with `connection-error`, and a lint error. WebSocket URLs are never resolved against the document's URL.",
    docs: [BANDWIDTH.startStream, BANDWIDTH.mediaStreamRejected],
  },
  "stream-connect": {
    // OPEN-7
    question: "How long does the carrier wait for the media WebSocket to open, and with what handshake?",
    decision: "10 s; no subprotocol; a neutral `User-Agent`.",
    setting: "streamConnectTimeoutMs",
    docs: [BANDWIDTH.mediaStreaming],
  },
  "stream-rejected": {
    // OPEN-8
    question: "Does the call go on after `mediaStreamRejected`?",
    decision: "Yes, with the next verb.",
    docs: [BANDWIDTH.mediaStreamRejected],
  },
  "ignored-frames": {
    // OPEN-9, OPEN-10
    question: "What does the carrier do with `playAudio` on a unidirectional stream, an unknown `eventType`, malformed JSON, a binary frame or an unknown content type?",
    decision: "It ignores the frame, with a conformance warning. There is no size limit on a `playAudio` message by default.",
    docs: [BANDWIDTH.mediaStreaming],
  },
  "outbound-silence": {
    // OPEN-11
    question: "Does the `outbound` track carry frames while the carrier plays nothing?",
    decision: "Yes: continuous frames of silence.",
    docs: [BANDWIDTH.mediaStreaming],
  },
  "stream-names": {
    // OPEN-12, OPEN-13
    question: "May a stopped stream's name be used again? What of duplicate StreamParam names?",
    decision: "A stopped stream's name may be used again. Of duplicate StreamParam names the last wins, with a lint warning.",
    docs: [BANDWIDTH.streamParam],
  },
  "half-credentials": {
    // OPEN-14
    question: "What if only one of `destinationUsername` and `destinationPassword` is set?",
    decision: "Basic authentication is sent with the missing part empty; lint warns.",
    docs: [BANDWIDTH.startStream, STANDARDS.basicAuth],
  },
  "transfer-answer-verbs": {
    // OPEN-15
    question: "Which verbs may a Transfer's `transferAnswerUrl` document use, and what does a forbidden one do?",
    decision: "Stream and transcription verbs are allowed; Bridge, Conference, Forward, Transfer, Connect and Refer are not: the B-leg's document is rejected (`invalid-bxml`), and lint reports an error.",
    docs: [bxmlVerbPage("Transfer")],
  },
  "refer-forward": {
    // OPEN-16
    question: "What do Refer on a call that is not an inbound SIP-URI call, and Forward on an answered call, do?",
    decision: "Refer fails (`referComplete` with `referCallStatus` `failure`, or the next verb); Forward on an answered call ends it with `application-error`. Lint warns on both.",
    docs: [bxmlVerbPage("Refer"), bxmlVerbPage("Forward")],
  },
  connect: {
    // OPEN-17
    question: "What does `<Connect>` (beta) do on the emulated carrier?",
    decision: "Lint checks its shape; the emulator has no BRTC endpoints, so it reports the verb unsupported and the call stays connected, silent, until it ends or is redirected.",
    docs: [bxmlVerbPage("Connect")],
  },
  "get-webhooks": {
    // OPEN-18
    question: "How are nested objects (`mediaStream`, `diversion`) put in a GET webhook's query string?",
    decision: "One query parameter per top-level field; nested objects JSON-encoded.",
    docs: [BANDWIDTH.webhooks],
  },
  "put-invalid-bxml": {
    // OPEN-20
    question: "Does `PUT …/bxml` with an invalid document answer 400?",
    decision: "No: 204, and the call then ends with `invalid-bxml`, as a webhook reply would.",
    docs: [BANDWIDTH.voiceApi],
  },
  "play-audio-fetch": {
    // OPEN-21
    question: "What happens when a PlayAudio URL is unreachable or answers other than 2xx?",
    decision: "The call ends with `application-error`, as for unsupported media.",
    docs: [bxmlVerbPage("PlayAudio")],
  },
  "max-call-duration": {
    // ED-4, OPEN-22
    question: "How long may a call last?",
    decision: "Bandwidth does not publish its maximum. bwemu's carrier ends a call after 4 hours (Pause and Ring accept up to 86 400 s: a 24 h Pause is cut at 4 h). `bwemu call` and `bwemu test` set a much shorter limit of their own, and say so when it ends a call.",
    setting: "maxCallDurationMs",
    change: "`bwemu call --duration`, `timeouts.callMs` in `bwemu.config.ts`",
    docs: [bxmlVerbPage("Pause")],
  },
} as const satisfies Record<string, CarrierDecision>;

export type DecisionKey = keyof typeof DECISIONS;

/** Path of the decisions page inside docs/. */
export const DECISIONS_PAGE = "carrier.md";

/** The published URL of one decision's section. */
export function decisionUrl(key: DecisionKey): string {
  return `${DOCS_BASE}${DECISIONS_PAGE}#${key}`;
}

/** The suffix a message that rests on a decision ends with: `(bwemu's choice: <url>)`. */
export function decided(key: DecisionKey): string {
  return `(bwemu's choice: ${decisionUrl(key)})`;
}
