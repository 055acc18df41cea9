// Webhook payloads the carrier sends (bandwidth.md §5, §6.4, §6.5), built once from a call snapshot.
// Field order follows the docs' examples (§5.4–5.6, §6.8); optional fields are absent, never empty.

export type Direction = "inbound" | "outbound";

/** What a webhook needs to know about its call at the moment the event happens. */
export interface CallSnapshot {
  accountId: string;
  applicationId: string;
  callId: string;
  callUrl: string;
  direction: Direction;
  from: string;
  to: string;
  /** ISO times (§6.7). */
  startTime: string;
  answerTime?: string;
  enqueuedTime?: string;
  endTime?: string;
  tag?: string;
  /** B-leg fields (§6.4: redirect, gather, dtmf, recordComplete on a Transfer B-leg). */
  parentCallId?: string;
  transferCallerId?: string;
  transferTo?: string;
  sipCallId?: string;
  privacy?: boolean;
  callerDisplayName?: string;
}

export type Payload = Record<string, unknown>;

/** Which optional §6.4 fields an event carries. */
interface CommonShape {
  answerTime: "always" | "optional" | "never";
  tag: boolean;
  bLeg: boolean;
  enqueued: boolean;
  sipCallId: boolean;
}

function common(eventType: string, eventTime: string, c: CallSnapshot, s: CommonShape): Payload {
  const p: Payload = {
    eventType,
    eventTime,
    accountId: c.accountId,
    applicationId: c.applicationId,
    from: c.from,
    to: c.to,
    direction: c.direction,
    callId: c.callId,
    callUrl: c.callUrl,
  };
  if (s.bLeg && c.parentCallId) p.parentCallId = c.parentCallId;
  if (s.enqueued && c.enqueuedTime) p.enqueuedTime = c.enqueuedTime;
  p.startTime = c.startTime;
  if (s.answerTime === "always") p.answerTime = c.answerTime ?? c.startTime;
  else if (s.answerTime === "optional" && c.answerTime) p.answerTime = c.answerTime;
  if (s.tag && c.tag !== undefined) p.tag = c.tag;
  if (s.bLeg && c.transferCallerId) p.transferCallerId = c.transferCallerId;
  if (s.bLeg && c.transferTo) p.transferTo = c.transferTo;
  if (s.sipCallId && c.sipCallId) p.sipCallId = c.sipCallId;
  return p;
}

const CALL: CommonShape = { answerTime: "optional", tag: true, bLeg: true, enqueued: true, sipCallId: false };

export interface InitiateExtras {
  diversion?: Record<string, string>;
  stirShaken?: { verstat?: string; attestationIndicator?: string; originatingId?: string };
  uui?: string;
  sipHeaders?: Record<string, string>;
}

/** §6.5 initiate: never `tag`, never `answerTime`. */
export function initiatePayload(c: CallSnapshot, eventTime: string, x: InitiateExtras = {}): Payload {
  const p = common("initiate", eventTime, c, { answerTime: "never", tag: false, bLeg: false, enqueued: false, sipCallId: true });
  if (c.privacy !== undefined) p.privacy = c.privacy;
  if (c.callerDisplayName) p.callerDisplayName = c.callerDisplayName;
  if (x.diversion) p.diversion = x.diversion;
  if (x.stirShaken) p.stirShaken = x.stirShaken;
  if (x.uui) p.uui = x.uui;
  if (x.sipHeaders) p.sipHeaders = x.sipHeaders;
  return p;
}

export function answerPayload(c: CallSnapshot, eventTime: string, machineDetectionResult?: { value: string; duration: string }): Payload {
  const p = common("answer", eventTime, c, { answerTime: "always", tag: true, bLeg: false, enqueued: true, sipCallId: true });
  if (machineDetectionResult) p.machineDetectionResult = machineDetectionResult;
  return p;
}

export function redirectPayload(c: CallSnapshot, eventTime: string): Payload {
  return common("redirect", eventTime, c, CALL);
}

export function gatherPayload(c: CallSnapshot, eventTime: string, digits: string, terminatingDigit: string): Payload {
  const p = common("gather", eventTime, c, { ...CALL, answerTime: "always" });
  p.digits = digits;
  p.terminatingDigit = terminatingDigit;
  return p;
}

export interface EndInfo {
  cause: string;
  errorMessage?: string;
  errorId?: string;
  sipResponseCode?: number;
}

export function disconnectPayload(c: CallSnapshot, eventTime: string, end: EndInfo): Payload {
  const p = common("disconnect", eventTime, c, { answerTime: "optional", tag: true, bLeg: false, enqueued: true, sipCallId: true });
  p.endTime = c.endTime ?? eventTime;
  p.cause = end.cause;
  if (end.errorMessage !== undefined) p.errorMessage = end.errorMessage;
  if (end.errorId !== undefined) p.errorId = end.errorId;
  if (end.sipResponseCode !== undefined) p.sipResponseCode = end.sipResponseCode;
  return p;
}

export function dtmfPayload(c: CallSnapshot, eventTime: string, digit: string): Payload {
  const p = common("dtmf", eventTime, c, CALL);
  p.digit = digit;
  return p;
}

export interface RecordingInfo {
  recordingId: string;
  mediaUrl: string;
  startTime: string;
  endTime: string;
  /** ISO 8601 duration. */
  duration: string;
  fileFormat: "wav" | "mp3";
  channels: number;
  status?: "complete" | "partial" | "error";
  transcription?: { id: string; url: string; status: string; completedTime: string };
}

/** The recording's fields, in wire order; a call's payload carries its own startTime, a conference's the recording's. */
function recordingFields(p: Payload, r: RecordingInfo, withStartTime = false): Payload {
  p.recordingId = r.recordingId;
  p.mediaUrl = r.mediaUrl;
  if (withStartTime) p.startTime = r.startTime;
  p.endTime = r.endTime;
  p.duration = r.duration;
  p.fileFormat = r.fileFormat;
  p.channels = r.channels;
  return p;
}

export function recordCompletePayload(c: CallSnapshot, eventTime: string, r: RecordingInfo): Payload {
  return recordingFields(common("recordComplete", eventTime, c, { ...CALL, answerTime: "always" }), r);
}

export function recordingAvailablePayload(c: CallSnapshot, eventTime: string, r: RecordingInfo): Payload {
  const p = recordingFields(common("recordingAvailable", eventTime, c, { ...CALL, answerTime: "always" }), r);
  p.status = r.status ?? "complete";
  return p;
}

export function transcriptionAvailablePayload(c: CallSnapshot, eventTime: string, r: RecordingInfo): Payload {
  const p = recordingFields(common("transcriptionAvailable", eventTime, c, { ...CALL, answerTime: "always" }), r);
  if (r.transcription) p.transcription = r.transcription;
  return p;
}

/** §6.5 transferAnswer: sent for the B-leg (callId = B-leg, direction outbound, parentCallId). */
export function transferAnswerPayload(bLeg: CallSnapshot, eventTime: string): Payload {
  return common("transferAnswer", eventTime, bLeg, { answerTime: "always", tag: true, bLeg: true, enqueued: false, sipCallId: false });
}

export interface TransferInfo {
  transferCallerId: string;
  transferTo: string;
}

export function transferCompletePayload(aLeg: CallSnapshot, eventTime: string, t: TransferInfo, end: EndInfo): Payload {
  const p = common("transferComplete", eventTime, aLeg, { ...CALL, bLeg: false });
  p.transferCallerId = t.transferCallerId;
  p.transferTo = t.transferTo;
  p.cause = end.cause;
  if (end.errorMessage !== undefined) p.errorMessage = end.errorMessage;
  if (end.errorId !== undefined) p.errorId = end.errorId;
  return p;
}

export function transferDisconnectPayload(bLeg: CallSnapshot, eventTime: string, end: EndInfo): Payload {
  const p = common("transferDisconnect", eventTime, bLeg, { answerTime: "optional", tag: true, bLeg: false, enqueued: false, sipCallId: false });
  if (bLeg.parentCallId) p.parentCallId = bLeg.parentCallId;
  p.endTime = bLeg.endTime ?? eventTime;
  if (bLeg.transferCallerId) p.transferCallerId = bLeg.transferCallerId;
  if (bLeg.transferTo) p.transferTo = bLeg.transferTo;
  p.cause = end.cause;
  if (end.errorMessage !== undefined) p.errorMessage = end.errorMessage;
  if (end.errorId !== undefined) p.errorId = end.errorId;
  return p;
}

export function bridgeCompletePayload(c: CallSnapshot, eventTime: string, end?: EndInfo): Payload {
  const p = common("bridgeComplete", eventTime, c, CALL);
  if (end) {
    p.cause = end.cause;
    if (end.errorMessage !== undefined) p.errorMessage = end.errorMessage;
    if (end.errorId !== undefined) p.errorId = end.errorId;
  }
  return p;
}

export function bridgeTargetCompletePayload(target: CallSnapshot, eventTime: string): Payload {
  return common("bridgeTargetComplete", eventTime, target, CALL);
}

export interface ReferResult {
  referCallStatus: "success" | "failure";
  referSipResponseCode?: number;
  notifySipResponseCode?: number;
}

export function referCompletePayload(c: CallSnapshot, eventTime: string, r: ReferResult): Payload {
  const p = common("referComplete", eventTime, c, CALL);
  p.referCallStatus = r.referCallStatus;
  if (r.referSipResponseCode !== undefined) p.referSipResponseCode = r.referSipResponseCode;
  if (r.notifySipResponseCode !== undefined) p.notifySipResponseCode = r.notifySipResponseCode;
  return p;
}

export interface ConferenceInfo {
  accountId: string;
  conferenceId: string;
  name: string;
  /** The creator's tag (§1.6). */
  tag?: string;
}

/** conferenceCreated / conferenceRedirect / conferenceCompleted (§6.5). */
export function conferencePayload(
  eventType: "conferenceCreated" | "conferenceRedirect" | "conferenceCompleted",
  conf: ConferenceInfo,
  eventTime: string,
): Payload {
  const p: Payload = { eventType, eventTime, accountId: conf.accountId, conferenceId: conf.conferenceId, name: conf.name };
  if (conf.tag !== undefined) p.tag = conf.tag;
  return p;
}

export function conferenceMemberPayload(
  eventType: "conferenceMemberJoin" | "conferenceMemberExit",
  conf: ConferenceInfo,
  member: { callId: string; from: string; to: string },
  eventTime: string,
): Payload {
  const p: Payload = {
    eventType,
    eventTime,
    accountId: conf.accountId,
    conferenceId: conf.conferenceId,
    name: conf.name,
    from: member.from,
    to: member.to,
    callId: member.callId,
  };
  if (conf.tag !== undefined) p.tag = conf.tag;
  return p;
}

export function conferenceRecordingAvailablePayload(conf: ConferenceInfo, eventTime: string, r: RecordingInfo): Payload {
  const p = recordingFields(conferencePayload("conferenceCompleted", conf, eventTime), r, true);
  p.eventType = "conferenceRecordingAvailable";
  p.channels = 1;
  p.status = r.status ?? "complete";
  return p;
}

// ---- §5 stream events ----

export interface MediaStreamInfo {
  id: string;
  name: string;
  destination: string;
  startTime: string;
  tracks: ("inbound" | "outbound")[];
  /** Stopped only. */
  duration?: string;
}

function mediaStreamObject(m: MediaStreamInfo, withDuration: boolean): Payload {
  const o: Payload = { id: m.id, name: m.name, destination: m.destination };
  if (withDuration && m.duration !== undefined) o.duration = m.duration;
  o.startTime = m.startTime;
  o.tracks = m.tracks;
  o.type = "WebSocket";
  return o;
}

function streamCommon(eventType: string, eventTime: string, c: CallSnapshot): Payload {
  const p: Payload = {
    eventType,
    eventTime,
    accountId: c.accountId,
    applicationId: c.applicationId,
    callId: c.callId,
    callUrl: c.callUrl,
    direction: c.direction,
    from: c.from,
    to: c.to,
    startTime: c.startTime,
    // §5.2: always present in the docs; an unanswered call reports its start time.
    answerTime: c.answerTime ?? c.startTime,
  };
  if (c.enqueuedTime) p.enqueuedTime = c.enqueuedTime;
  if (c.tag !== undefined) p.tag = c.tag;
  if (c.privacy !== undefined) p.privacy = c.privacy;
  if (c.callerDisplayName) p.callerDisplayName = c.callerDisplayName;
  return p;
}

export function mediaStreamStartedPayload(c: CallSnapshot, eventTime: string, m: MediaStreamInfo): Payload {
  const p = streamCommon("mediaStreamStarted", eventTime, c);
  p.mediaStream = mediaStreamObject(m, false);
  return p;
}

export function mediaStreamRejectedPayload(
  c: CallSnapshot,
  eventTime: string,
  m: MediaStreamInfo,
  cause: "connection-error" | "duplicate" | "error" | "track-limit",
  errorMessage: string,
  original?: MediaStreamInfo,
): Payload {
  const p = streamCommon("mediaStreamRejected", eventTime, c);
  p.cause = cause;
  p.errorMessage = errorMessage;
  p.mediaStream = mediaStreamObject(m, false);
  if (cause === "duplicate" && original) p.originalMediaStream = mediaStreamObject(original, false);
  return p;
}

export function mediaStreamStoppedPayload(
  c: CallSnapshot,
  eventTime: string,
  m: MediaStreamInfo,
  cause: "closed" | "connection-error" | "error",
  errorMessage?: string,
): Payload {
  const p = streamCommon("mediaStreamStopped", eventTime, c);
  p.cause = cause;
  if (cause !== "closed" && errorMessage !== undefined) p.errorMessage = errorMessage;
  p.mediaStream = mediaStreamObject(m, true);
  return p;
}

// ---- §2.23 real-time transcription events ----

export interface RealTimeTranscriptionInfo {
  id: string;
  name: string;
  startTime: string;
  tracks: ("inbound" | "outbound")[];
  destination?: string;
  stabilized?: boolean;
  duration?: string;
  status?: "available" | "failed";
  url?: string;
  completedTime?: string;
}

export function realTimeTranscriptionPayload(
  eventType: "realTimeTranscriptionStarted" | "realTimeTranscriptionRejected" | "realTimeTranscriptionStopped" | "realTimeTranscriptionAvailable",
  c: CallSnapshot,
  eventTime: string,
  t: RealTimeTranscriptionInfo,
  extra: { cause?: string; errorMessage?: string; originalTranscription?: RealTimeTranscriptionInfo } = {},
): Payload {
  const p = streamCommon(eventType, eventTime, c);
  if (extra.cause !== undefined) p.cause = extra.cause;
  if (extra.errorMessage !== undefined) p.errorMessage = extra.errorMessage;
  const o: Payload = { id: t.id, name: t.name, startTime: t.startTime, tracks: t.tracks };
  if (t.destination !== undefined) o.destination = t.destination;
  if (t.stabilized !== undefined) o.stabilized = t.stabilized;
  if (eventType === "realTimeTranscriptionStopped" && t.duration !== undefined) o.duration = t.duration;
  if (eventType === "realTimeTranscriptionAvailable") {
    o.status = t.status ?? "available";
    if (t.url !== undefined) o.url = t.url;
    if (t.completedTime !== undefined) o.completedTime = t.completedTime;
  }
  p.realTimeTranscription = o;
  if (extra.originalTranscription) p.originalTranscription = { ...extra.originalTranscription };
  return p;
}
