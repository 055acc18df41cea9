// An outbound call as REST createCall would place it (bandwidth.md §7.3): the carrier dials, the called
// party answers, and `answer` goes to the answerUrl with the call's webhook credentials (createCall's
// username/password; bwemu's callback credentials). Built from the same options as an inbound call, so
// `bwemu call --outbound` and the suite's outbound calls are one shape.

import { DEFAULT_FROM, DEFAULT_TO, type OutboundCallOptions } from "../../emulator/call/carrier.js";
import type { CarrierSettings, MachineDetection, PlaceCallOptions } from "../../emulator/call/types.js";

/** createCall's fields beyond the call itself, and how the called party behaves. */
export interface OutboundTargets {
  /** createCall `disconnectUrl`: where `disconnect` goes when the call ends (none: not sent). */
  disconnectUrl?: string;
  disconnectMethod?: "GET" | "POST";
  /** Ringing before the called party answers (default 500 ms). */
  ringMs?: number;
  machineDetection?: MachineDetection;
}

/**
 * `opts.appUrl` is the answerUrl; the answer method is `initiateMethod` (createCall `answerMethod`), per
 * call through `opts.settings`. The call goes from the app's number to the called party, so `from`
 * defaults to the number an inbound call is made to, and `to` to the inbound caller's.
 */
export function outboundCall(settings: CarrierSettings, opts: PlaceCallOptions, t: OutboundTargets, enqueuedWall: Date): OutboundCallOptions {
  const s = { ...settings, ...opts.settings };
  const credentials = opts.omitCallbackCreds ? undefined : s.callbackCreds;
  return {
    from: opts.from ?? DEFAULT_TO,
    to: opts.to ?? DEFAULT_FROM,
    first: { eventType: "answer", primary: { url: opts.appUrl, method: s.initiateMethod, credentials } },
    disconnectTarget: t.disconnectUrl ? { url: t.disconnectUrl, method: t.disconnectMethod ?? "POST", credentials } : undefined,
    caller: opts.caller ?? { silence: true },
    options: opts,
    enqueuedWall,
    farEnd: { outcome: "answer", ringMs: t.ringMs ?? 500 },
    machineDetection: t.machineDetection,
  };
}
