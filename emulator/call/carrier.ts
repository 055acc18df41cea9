// The Carrier: places calls to apps, owns the shared pieces (settings, timeline, webhook client,
// recordings, conferences) and the Voice REST API server (bandwidth.md §6, §7).

import { realClock, VirtualClock, type Clock } from "../clock.js";
import { IdFactory, seededRandom } from "../ids.js";
import { Timeline } from "../timeline.js";
import { WebhookClient, type WebhookTarget } from "../webhooks/client.js";
import { ApiServer } from "../api/server.js";
import type { ApiCarrier } from "../api/carrier.js";
import { Call, type CallInit } from "./call.js";
import { Conferences } from "./conference.js";
import type { CarrierContext, FarEnd } from "./context.js";
import { RecordingStore } from "./recordings.js";
import { resolveSettings } from "./settings.js";
import type { CallHandle, CallResult, CarrierDeps, CarrierSettings, PlaceCallOptions } from "./types.js";

/** What `startOutbound` takes: a call the carrier places as REST createCall would (§7.3), `answer` to `first`. */
export type OutboundCallOptions = Omit<CallInit, "direction">;

export const DEFAULT_FROM = "+15557770100";
export const DEFAULT_TO = "+15557770199";

export class Carrier implements ApiCarrier {
  readonly settings: CarrierSettings;
  readonly timeline: Timeline;
  readonly clock: Clock;
  readonly calls = new Map<string, Call>();
  readonly recordings = new RecordingStore();
  readonly conferences = new Conferences();
  readonly farEnds: Record<string, FarEnd> = {};
  readonly ids: IdFactory;
  readonly webhooks: WebhookClient;
  private api?: ApiServer;
  private readonly apiBaseExplicit: boolean;

  constructor(deps: CarrierDeps = {}) {
    this.settings = resolveSettings(deps.settings);
    this.clock = deps.clock ?? (this.settings.virtualTime ? new VirtualClock() : realClock);
    this.timeline = deps.timeline ?? new Timeline(this.clock);
    this.apiBaseExplicit = deps.settings?.apiBaseUrl !== undefined;
    this.ids = new IdFactory(deps.seed !== undefined ? seededRandom(deps.seed) : undefined);
    this.webhooks = new WebhookClient({
      timeline: this.timeline,
      clock: this.clock,
      timeoutMs: this.settings.callbackTimeoutMs,
      maxResponseBytes: this.settings.maxResponseBytes,
      connectionRetries: this.settings.callbackConnectionRetries,
      strictContentType: this.settings.strictContentType,
    });
  }

  get context(): CarrierContext {
    return {
      settings: this.settings,
      timeline: this.timeline,
      clock: this.clock,
      ids: this.ids,
      webhooks: this.webhooks,
      calls: this.calls,
      recordings: this.recordings,
      conferences: this.conferences,
      farEnds: this.farEnds,
    };
  }

  /** An inbound call to the app: `initiate` to `opts.appUrl` (§6.3), then whatever the BXML says. */
  placeCall(opts: PlaceCallOptions): CallHandle {
    const s = { ...this.settings, ...opts.settings };
    const creds = opts.omitCallbackCreds ? undefined : s.callbackCreds;
    const primary: WebhookTarget = { url: opts.appUrl, method: s.initiateMethod, credentials: creds };
    const fallback: WebhookTarget | undefined = s.initiateFallbackUrl
      ? { url: s.initiateFallbackUrl, method: s.initiateFallbackMethod ?? "POST", credentials: opts.omitCallbackCreds ? undefined : s.initiateFallbackCreds }
      : undefined;
    const disconnectTarget: WebhookTarget | undefined = s.statusCallbackUrl
      ? { url: s.statusCallbackUrl, method: s.statusCallbackMethod ?? "POST", credentials: creds }
      : undefined;
    const call = this.start({
      direction: "inbound",
      from: opts.from ?? DEFAULT_FROM,
      to: opts.to ?? DEFAULT_TO,
      first: { eventType: "initiate", primary, fallback },
      disconnectTarget,
      caller: opts.caller ?? { silence: true },
      options: opts,
      initiateExtras: opts.initiate,
    });
    return this.handle(call);
  }

  /** Outbound calls (REST createCall, §7.3). */
  startOutbound(init: OutboundCallOptions): Call {
    return this.start({ ...init, direction: "outbound" });
  }

  /** An outbound call as a handle, like `placeCall`'s: `done` holds the call's own timeline slice. */
  placeOutbound(init: OutboundCallOptions): CallHandle {
    return this.handle(this.startOutbound(init));
  }

  private start(init: CallInit): Call {
    const call = new Call(this.context, init);
    this.calls.set(call.id, call);
    this.timeline.append(
      "call.created",
      { callId: call.id, direction: init.direction, from: init.from, to: init.to, appUrl: init.first?.primary.url ?? "" },
      { callId: call.id },
    );
    this.timeline.append("call.state", { state: "initiated" }, { callId: call.id });
    void call.run();
    return call;
  }

  /** The handle of a call this carrier started (placeCall's, startOutbound's, REST createCall's): its result is the call's own slice. */
  handle(call: Call): CallHandle {
    return {
      callId: call.id,
      timeline: this.timeline,
      done: call.done.then((r) => this.slice(r)),
      hangup: () => call.hangup(call.direction === "outbound" ? "the called party hung up" : "caller hang-up"),
    };
  }

  /** The call's own events as a Timeline of their own (seqs and drop counts kept, so evidence stays valid). */
  slice(r: CallResult): CallResult {
    // The result's own texts (error message, documents) lose the secrets the timeline learnt.
    return { ...this.timeline.secrets.scrub({ ...r, timeline: undefined }), timeline: this.timeline.slice(r.callId) };
  }

  /** Start the Voice REST API (§7) on 127.0.0.1; `apiBaseUrl` (and every callUrl after it) points here. */
  async listen(port = 0, host = "127.0.0.1"): Promise<{ apiBaseUrl: string }> {
    if (!this.api) this.api = new ApiServer(this);
    const base = await this.api.listen(port, host);
    if (!this.apiBaseExplicit) this.settings.apiBaseUrl = base;
    return { apiBaseUrl: base };
  }

  /** End every call (caller hang-up) and stop the API server. */
  async close(): Promise<void> {
    const live = [...this.calls.values()].filter((c) => !c.ended);
    for (const c of live) c.hangup("carrier shutting down", "carrier");
    await Promise.allSettled([...this.calls.values()].map((c) => c.done));
    await this.api?.close();
    this.api = undefined;
  }
}
