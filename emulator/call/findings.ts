// What the call engine records as `finding` events, with their levels (the media socket's own are
// STREAM_FINDINGS in emulator/stream/findings.ts). Conformance cases and reports read these codes.
import type { FindingLevel } from "../stream/findings.js";

export const CALL_FINDINGS = {
  /** §1.3, §1.4, ED-6: the document is rejected, the call ends with invalid-bxml. */
  "bxml.invalid": "error",
  /** ED-11: the call kept requesting BXML. */
  "call.bxml-loop": "error",
  /** ED-8: a BXML callback failed (primary and fallback). */
  "webhook.callback-error": "error",
  /** A verb failed while running; the call ends with application-error. */
  "call.verb-error": "error",
  /** §2.10: the audio could not be fetched or decoded. */
  "call.play-audio": "error",
  /** §2.10: the file plays, but its Content-Type or extension names the other format (Bandwidth picks the decoder by them). */
  "call.play-audio-format": "warning",
  /** §3.5: the media WebSocket could not be opened (connection-error). */
  "stream.rejected": "error",
  /** §2.6, §2.18: the caller pressed keys while no Gather, StartGather or Record was listening (the digits are lost). */
  "call.dtmf-uncollected": "warning",
  /** OPEN-17: no BRTC endpoints in the emulator. */
  "call.connect-unsupported": "info",
  /** §2.30: conference callbacks and documents. */
  "conference.callback-error": "error",
  "conference.invalid-bxml": "error",
} as const satisfies Record<string, FindingLevel>;

export type CallFindingCode = keyof typeof CALL_FINDINGS;
