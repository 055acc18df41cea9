// `placeCall`: one emulated inbound call to an app on a carrier of its own, the programmatic
// `bwemu call` without its presentation. For several calls on one carrier (or outbound calls,
// REST API updates) use `new Carrier(…)` and its placeCall / startOutbound / listen / close.
import { Carrier } from "../emulator/call/carrier.js";
import type { CallResult, CarrierDeps, PlaceCallOptions } from "../emulator/call/types.js";

export interface PlaceCallSetup extends CarrierDeps {
  /** Also serve the Voice REST API on 127.0.0.1 (apps that update or modify the call need it). */
  api?: boolean;
}

/** Places the call, waits for it to end and closes the carrier; the result holds the call's timeline, BXML and streams. */
export async function placeCall(opts: PlaceCallOptions, setup: PlaceCallSetup = {}): Promise<CallResult> {
  const { api, ...deps } = setup;
  const carrier = new Carrier(deps);
  try {
    if (api) await carrier.listen();
    return await carrier.placeCall(opts).done;
  } finally {
    await carrier.close();
  }
}

/** The options of `Carrier.startOutbound` (REST createCall). */
export type OutboundCallOptions = Parameters<Carrier["startOutbound"]>[0];
