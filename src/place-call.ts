// `placeCall` / `placeOutboundCall`: one emulated call to an app on a carrier of its own, the
// programmatic `bwemu call` without its presentation. For several calls on one carrier (REST API
// updates, calls the app creates) use `new Carrier(…)` and its placeCall / placeOutbound / listen / close,
// or `runCall` (src/run/call.ts) for the whole `bwemu call` run with its files.
import { Carrier, type OutboundCallOptions } from "../emulator/call/carrier.js";
import type { CallResult, CarrierDeps, PlaceCallOptions } from "../emulator/call/types.js";

export type { OutboundCallOptions };

export interface PlaceCallSetup extends CarrierDeps {
  /** Also serve the Voice REST API on 127.0.0.1 (apps that update or modify the call need it). */
  api?: boolean;
}

/** Runs `place` on a carrier of its own, waits for the call to end and closes the carrier. */
async function once(setup: PlaceCallSetup, place: (c: Carrier) => Promise<CallResult>): Promise<CallResult> {
  const { api, ...deps } = setup;
  const carrier = new Carrier(deps);
  try {
    if (api) await carrier.listen();
    return await place(carrier);
  } finally {
    await carrier.close();
  }
}

/** An inbound call (`initiate`); the result holds the call's timeline, BXML and streams. */
export function placeCall(opts: PlaceCallOptions, setup: PlaceCallSetup = {}): Promise<CallResult> {
  return once(setup, (c) => c.placeCall(opts).done);
}

/** An outbound call as REST createCall places it (`answer` to `opts.first`); the result as placeCall's. */
export function placeOutboundCall(opts: OutboundCallOptions, setup: PlaceCallSetup = {}): Promise<CallResult> {
  return once(setup, (c) => c.placeOutbound(opts).done);
}
