// Default carrier settings: every spec decision (bandwidth.md §9) as a value.

import type { CarrierSettings } from "./types.js";

export const DEFAULT_SETTINGS: CarrierSettings = {
  accountId: "9900000",
  applicationId: "3f2a9c1e-6b7d-4e21-9a55-0c8d2b7e4f10",
  apiBaseUrl: "https://voice.bandwidth.com/api/v2",
  initiateMethod: "POST",
  callbackTimeoutMs: 15_000, // §6.1 / ED-8
  maxResponseBytes: 1024 * 1024,
  bxmlRequestCap: 100, // ED-11
  maxCallDurationMs: 4 * 3600_000, // ED-4 / OPEN-22
  streamConnectTimeoutMs: 10_000, // OPEN-7
  mediaFormat: { encoding: "PCMU", sampleRate: 8000 }, // ED-10
  eventTypeLast: true,
  sequenceScope: "track", // ED-1
  cleanCloseCodes: [1000, 1001, 1005], // ED-2
  strictUnknownElements: true, // ED-6a
  allowInsecureWs: true, // ED-9
  pacing: "realtime",
  callerStartsAt: "stream-start", // ED-12
  recordAudio: "both",
};

export function resolveSettings(partial: Partial<CarrierSettings> = {}): CarrierSettings {
  return { ...DEFAULT_SETTINGS, ...partial };
}

/** §6.7 callUrl. */
export function callUrl(s: CarrierSettings, callId: string): string {
  return `${s.apiBaseUrl.replace(/\/$/, "")}/accounts/${s.accountId}/calls/${callId}`;
}
