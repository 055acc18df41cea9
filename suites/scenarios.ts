// Scenarios: the calls the conformance cases read, as plain data. Several cases share one scenario's
// call (conformance.md: "one call may feed many cases"); the runner places only the scenarios the
// selected cases declare. Exclusive scenarios arm a fault on the Realtime stub for the next session
// opened, so they run one at a time; the others run concurrently (staggered so sessions match calls).

import type { CallerAudio, PlaceCallOptions } from "../emulator/call/types.js";
import type { StubFault } from "../emulator/realtime/faults.js";

export type ScenarioId =
  | "basic"
  | "bargein"
  | "initiate-no-auth"
  | "initiate-get"
  | "stream-no-auth"
  | "key-order-natural"
  | "unknown-event"
  | "malformed-frame"
  | "socket-drop"
  | "stream-rejected"
  | "rest-redirect"
  | "upstream-error"
  | "upstream-drop"
  | "burst-media"
  | "concurrent";

/** Audio the scenarios play (paths resolved by the runner). */
export interface ScenarioAudio {
  /** A two-turn conversation: each utterance waits for the previous reply. */
  conversation: CallerAudio;
  /** One utterance, then a second one that barges in on the reply. */
  bargeIn: CallerAudio;
  /** One short utterance. */
  single: CallerAudio;
  /** Caller audio with a distinct signature tone for call `i` (concurrency isolation). */
  signature(i: number): CallerAudio;
}

export interface Scenario {
  id: ScenarioId;
  description: string;
  /** How many calls (default 1). */
  calls?: number;
  /** Options for call `i` (the runner adds `appUrl`). */
  call(i: number, audio: ScenarioAudio): Omit<PlaceCallOptions, "appUrl">;
  /** A fault the stub applies to the next Realtime session the bridge opens (the runner sets its `session`). */
  stubFault?: StubFault;
  /** Runs alone (no other call in flight), because it arms a stub fault or loads the bridge. */
  exclusive?: boolean;
}

export const scenarios: Record<ScenarioId, Scenario> = {
  basic: {
    id: "basic",
    description: "A two-turn conversation with default carrier behaviour",
    call: (_i, a) => ({ caller: a.conversation }),
  },
  bargein: {
    id: "bargein",
    description: "The caller talks over the agent's reply",
    call: (_i, a) => ({ caller: a.bargeIn }),
  },
  "initiate-no-auth": {
    id: "initiate-no-auth",
    description: "initiate (answer on an outbound call) sent without the configured callback credentials",
    call: (_i, a) => ({ caller: a.single, omitCallbackCreds: true, maxDurationMs: 3000 }),
  },
  "initiate-get": {
    id: "initiate-get",
    description: "initiate (answer on an outbound call) sent as GET with query parameters",
    call: (_i, a) => ({ caller: a.single, settings: { initiateMethod: "GET" }, maxDurationMs: 4000 }),
  },
  "stream-no-auth": {
    id: "stream-no-auth",
    description: "the media WebSocket upgrade is sent without the destination credentials",
    call: (_i, a) => ({ caller: a.single, omitStreamAuth: true, maxDurationMs: 3000 }),
  },
  "key-order-natural": {
    id: "key-order-natural",
    description: "frames with eventType first instead of last (as live Bandwidth sends them)",
    call: (_i, a) => ({ caller: a.single, settings: { eventTypeLast: false } }),
  },
  "unknown-event": {
    id: "unknown-event",
    description: "a frame with an unknown eventType arrives mid-stream",
    call: (_i, a) => ({ caller: a.single, actions: [{ atMs: 600, action: "send-unknown-event" }] }),
  },
  "malformed-frame": {
    id: "malformed-frame",
    description: "a non-JSON text frame arrives mid-stream",
    call: (_i, a) => ({ caller: a.single, actions: [{ atMs: 600, action: "send-malformed-frame" }] }),
  },
  "socket-drop": {
    id: "socket-drop",
    description: "the carrier drops the TCP connection without a close frame",
    call: (_i, a) => ({ caller: a.conversation, actions: [{ atMs: 1500, action: "drop-socket" }], maxDurationMs: 9000 }),
  },
  "stream-rejected": {
    id: "stream-rejected",
    description: "the carrier rejects the stream (mediaStreamRejected)",
    call: (_i, a) => ({ caller: a.single, forceStreamRejection: "error", maxDurationMs: 3000 }),
  },
  "rest-redirect": {
    id: "rest-redirect",
    description: "the call is redirected through the Voice API mid-stream",
    // The runner fills `redirectUrl` with the app's own URL.
    call: (_i, a) => ({ caller: a.conversation, actions: [{ atMs: 1200, action: "redirect", redirectUrl: "" }] }),
  },
  "upstream-error": {
    id: "upstream-error",
    description: "the model sends an error event mid-call",
    call: (_i, a) => ({ caller: a.single }),
    stubFault: { kind: "error", atMs: 500 },
    exclusive: true,
  },
  "upstream-drop": {
    id: "upstream-drop",
    description: "the model's socket closes mid-call",
    call: (_i, a) => ({ caller: a.single, maxDurationMs: 8000 }),
    stubFault: { kind: "close", atMs: 1500, code: 1011 },
    exclusive: true,
  },
  "burst-media": {
    id: "burst-media",
    description: "one second of media frames delivered at once",
    call: (_i, a) => ({ caller: a.conversation, actions: [{ atMs: 800, action: "burst-media", durationMs: 1000 }] }),
  },
  concurrent: {
    id: "concurrent",
    description: "simultaneous calls, each with its own audio signature",
    calls: 10,
    call: (i, a) => ({ caller: a.signature(i), label: `concurrent-${i}` }),
    exclusive: true,
  },
};
