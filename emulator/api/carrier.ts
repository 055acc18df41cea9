// What the Voice REST API needs from the carrier and from a call: the API is written against these
// interfaces, the Carrier and Call classes implement them (so api/ and call/ do not import each other).
import type { Clock } from "../clock.js";
import type { RedirectRequest } from "../protocol/voice-api.js";
import type { Timeline } from "../timeline.js";
import type { FarEnd } from "../call/context.js";
import type { CallInit, CallState } from "../call/host.js";
import type { RecordingStore } from "../call/recordings.js";
import type { CarrierSettings, EndedBy, PlaceCallOptions } from "../call/types.js";
import type { Direction } from "../protocol/webhooks.js";

/** A call as the REST API reads and steers it (§7.4–§7.8). */
export interface ApiCall {
  readonly id: string;
  readonly callUrl: string;
  readonly direction: Direction;
  readonly from: string;
  readonly to: string;
  readonly state: CallState;
  readonly ended: boolean;
  readonly parentCallId?: string;
  readonly startWall: Date;
  readonly enqueuedWall?: Date;
  readonly answerWall?: Date;
  readonly endWall?: Date;
  readonly lastUpdateWall: Date;
  readonly end?: { cause: string; errorMessage?: string; errorId?: string };
  readonly options: PlaceCallOptions;
  readonly settings: Pick<CarrierSettings, "accountId" | "applicationId">;
  hangup(reason?: string, by?: EndedBy): void;
  restRedirect(body: RedirectRequest): { ok: true } | { ok: false; message: string };
  restReplaceBxml(text: string): void;
  /** Pause or resume the background recording (§7.8); false when none is running. */
  setRecordingState(state: "paused" | "recording"): boolean;
}

/** The carrier as the REST API uses it. */
export interface ApiCarrier {
  readonly settings: CarrierSettings;
  readonly timeline: Timeline;
  readonly clock: Clock;
  readonly farEnds: Record<string, FarEnd>;
  readonly recordings: RecordingStore;
  readonly calls: ReadonlyMap<string, ApiCall>;
  /** Outbound calls (REST createCall, §7.3). */
  startOutbound(init: Omit<CallInit, "direction">): ApiCall;
}
