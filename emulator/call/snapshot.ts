// What a call says about itself: the snapshot every webhook payload and callState start from
// (bandwidth.md §6.7), and the result a finished call hands back.

import { isoTime } from "../clock.js";
import type { CallSnapshot, Direction } from "../protocol/webhooks.js";
import type { Timeline } from "../timeline.js";
import type { CallResult, CarrierSettings, EndedBy, PlaceCallOptions, StreamRecord } from "./types.js";

/** The CNAM `initiate` carries when the call does not set one (≤ 15 characters, as CNAM is). */
const DEFAULT_CALLER_DISPLAY_NAME = "BWEMU CALLER";

/** The facts of a call a snapshot reads. */
export interface SnapshotFacts {
  readonly settings: Pick<CarrierSettings, "accountId" | "applicationId">;
  readonly id: string;
  readonly callUrl: string;
  readonly direction: Direction;
  readonly from: string;
  readonly to: string;
  readonly tag?: string;
  readonly parentCallId?: string;
  readonly transferCallerId?: string;
  readonly transferTo?: string;
  readonly startWall: Date;
  readonly enqueuedWall?: Date;
  readonly answerWall?: Date;
  readonly endWall?: Date;
  readonly options: Pick<PlaceCallOptions, "privacy" | "callerDisplayName">;
}

export function callSnapshot(c: SnapshotFacts): CallSnapshot {
  return {
    accountId: c.settings.accountId,
    applicationId: c.settings.applicationId,
    callId: c.id,
    callUrl: c.callUrl,
    direction: c.direction,
    from: c.from,
    to: c.to,
    startTime: isoTime(c.startWall),
    answerTime: c.answerWall ? isoTime(c.answerWall) : undefined,
    enqueuedTime: c.enqueuedWall ? isoTime(c.enqueuedWall) : undefined,
    endTime: c.endWall ? isoTime(c.endWall) : undefined,
    tag: c.tag,
    parentCallId: c.parentCallId,
    transferCallerId: c.transferCallerId,
    transferTo: c.transferTo,
    ...sipFields(c),
  };
}

/** §6.4: the SIP dialog's Call-ID (inbound: from the INVITE; outbound: once the far end answers), and
 * the caller's presentation on inbound calls, as live `initiate` captures carry them. */
function sipFields(c: SnapshotFacts): Pick<CallSnapshot, "sipCallId" | "privacy" | "callerDisplayName"> {
  const sipCallId = `${c.id.replace(/-/g, "")}@sbc.bandwidth.com`; // §6.7 example shape
  if (c.direction === "outbound") return c.answerWall ? { sipCallId } : {};
  const o = c.options;
  return { sipCallId, privacy: o.privacy ?? false, callerDisplayName: o.callerDisplayName ?? DEFAULT_CALLER_DISPLAY_NAME };
}

/** The facts of a call its result reads. */
export interface ResultFacts {
  readonly id: string;
  readonly label?: string;
  readonly timeline: Timeline;
  readonly end?: { cause: string; errorMessage?: string; by?: EndedBy };
  readonly documents: CallResult["documents"];
  readonly streamRecords: StreamRecord[];
  readonly startedUs: number;
  readonly endedUs: number;
}

export function callResult(c: ResultFacts): CallResult {
  return {
    callId: c.id,
    label: c.label,
    timeline: c.timeline,
    disconnectCause: c.end?.cause ?? "unknown",
    errorMessage: c.end?.errorMessage,
    endedBy: c.end?.by,
    documents: c.documents,
    streams: c.streamRecords,
    startedUs: c.startedUs,
    endedUs: c.endedUs,
  };
}
