// Exact field sets of every webhook payload (bandwidth.md §5, §6.4, §6.5): present, absent, order.
import { describe, expect, it } from "vitest";
import * as P from "../../protocol/webhooks.js";

const call: P.CallSnapshot = {
  accountId: "5550001",
  applicationId: "3f2a9c1e-6b7d-4e21-9a55-0c8d2b7e4f10",
  callId: "c-4d1e7a90-8b2f0c3d-5e6a-4b7c-9d8e-1f2a3b4c5d6e",
  callUrl: "https://voice.bandwidth.com/api/v2/accounts/5550001/calls/c-4d1e7a90-8b2f0c3d-5e6a-4b7c-9d8e-1f2a3b4c5d6e",
  direction: "inbound",
  from: "+15557770100",
  to: "+15557770199",
  startTime: "2025-03-04T14:00:00.120Z",
};
const answered = { ...call, answerTime: "2025-03-04T14:00:02.480Z" };
const T = "2025-03-04T14:00:05.000Z";
const COMMON = ["eventType", "eventTime", "accountId", "applicationId", "from", "to", "direction", "callId", "callUrl", "startTime"];
const keys = (p: P.Payload) => Object.keys(p);

describe("call webhooks (§6.4, §6.5)", () => {
  it("initiate: exactly the §6.8 example's fields; never tag nor answerTime", () => {
    const p = P.initiatePayload({ ...call, tag: "x", answerTime: "2025-03-04T14:00:01.000Z" }, T);
    expect(keys(p)).toEqual(COMMON);
    expect(p).toMatchObject({ eventType: "initiate", direction: "inbound" });
  });

  it("initiate extras are added only when present", () => {
    const p = P.initiatePayload({ ...call, privacy: true, callerDisplayName: "Jo" }, T, { diversion: { origTo: "+1" }, uui: "abc;encoding=base64" });
    expect(keys(p)).toEqual([...COMMON, "privacy", "callerDisplayName", "diversion", "uui"]);
  });

  it("answer: answerTime always, tag and enqueuedTime when set", () => {
    expect(keys(P.answerPayload({ ...answered, direction: "outbound" }, T))).toEqual([...COMMON, "answerTime"]);
    const p = P.answerPayload({ ...answered, direction: "outbound", tag: "t", enqueuedTime: T }, T);
    expect(keys(p)).toEqual([...COMMON.slice(0, 9), "enqueuedTime", "startTime", "answerTime", "tag"]);
  });

  it("redirect: answerTime optional; B-leg fields only on B-legs", () => {
    expect(keys(P.redirectPayload(call, T))).toEqual(COMMON);
    const b = P.redirectPayload({ ...answered, parentCallId: "c-a", transferCallerId: "+1", transferTo: "+2" }, T);
    expect(keys(b)).toEqual([...COMMON.slice(0, 9), "parentCallId", "startTime", "answerTime", "transferCallerId", "transferTo"]);
  });

  it("gather: digits and terminatingDigit always", () => {
    expect(keys(P.gatherPayload(answered, T, "", ""))).toEqual([...COMMON, "answerTime", "digits", "terminatingDigit"]);
  });

  it("disconnect: endTime, cause; errorMessage/errorId only on errors", () => {
    expect(keys(P.disconnectPayload({ ...answered, tag: "menu", endTime: T }, T, { cause: "hangup" }))).toEqual([...COMMON, "answerTime", "tag", "endTime", "cause"]);
    const e = P.disconnectPayload(call, T, { cause: "callback-error", errorMessage: "m", errorId: "4642074b-7b58-478b-96e4-3a60955c6765" });
    expect(keys(e)).toEqual([...COMMON, "endTime", "cause", "errorMessage", "errorId"]);
  });

  it("dtmf, transfer*, bridge*, refer, recordings", () => {
    expect(P.dtmfPayload(answered, T, "5").digit).toBe("5");
    const b = { ...answered, direction: "outbound" as const, callId: "c-b", parentCallId: call.callId, transferCallerId: "+1", transferTo: "+2" };
    expect(keys(P.transferAnswerPayload(b, T))).toEqual([...COMMON.slice(0, 9), "parentCallId", "startTime", "answerTime", "transferCallerId", "transferTo"]);
    expect(keys(P.transferCompletePayload(answered, T, { transferCallerId: "+1", transferTo: "+2" }, { cause: "busy", errorMessage: "Callee is busy", errorId: "x" }))).toEqual([
      ...COMMON,
      "answerTime",
      "transferCallerId",
      "transferTo",
      "cause",
      "errorMessage",
      "errorId",
    ]);
    expect(keys(P.transferDisconnectPayload({ ...b, endTime: T }, T, { cause: "hangup" }))).toEqual([
      ...COMMON,
      "answerTime",
      "parentCallId",
      "endTime",
      "transferCallerId",
      "transferTo",
      "cause",
    ]);
    expect(keys(P.bridgeCompletePayload(answered, T))).toEqual([...COMMON, "answerTime"]);
    expect(keys(P.bridgeCompletePayload(answered, T, { cause: "busy", errorMessage: "m", errorId: "i" }))).toEqual([...COMMON, "answerTime", "cause", "errorMessage", "errorId"]);
    expect(P.bridgeTargetCompletePayload(answered, T).eventType).toBe("bridgeTargetComplete");
    expect(keys(P.referCompletePayload(answered, T, { referCallStatus: "failure" }))).toEqual([...COMMON, "answerTime", "referCallStatus"]);
    const rec: P.RecordingInfo = { recordingId: "r-1", mediaUrl: "u", startTime: T, endTime: T, duration: "PT1S", fileFormat: "wav", channels: 1 };
    expect(keys(P.recordCompletePayload(answered, T, rec))).toEqual([...COMMON, "answerTime", "recordingId", "mediaUrl", "endTime", "duration", "fileFormat", "channels"]);
    expect(P.recordingAvailablePayload(answered, T, rec).status).toBe("complete");
  });

  it("conference events carry conferenceId, name and the creator's tag when set", () => {
    const conf = { accountId: "5550001", conferenceId: "conf-1", name: "room" };
    expect(keys(P.conferencePayload("conferenceCreated", conf, T))).toEqual(["eventType", "eventTime", "accountId", "conferenceId", "name"]);
    expect(keys(P.conferenceMemberPayload("conferenceMemberJoin", { ...conf, tag: "t" }, { callId: "c", from: "+1", to: "+2" }, T))).toEqual([
      "eventType",
      "eventTime",
      "accountId",
      "conferenceId",
      "name",
      "from",
      "to",
      "callId",
      "tag",
    ]);
  });
});

describe("stream webhooks (§5)", () => {
  const m: P.MediaStreamInfo = { id: "s-1", name: "agent", destination: "wss://x/ws", startTime: T, tracks: ["inbound", "outbound"] };
  const S = ["eventType", "eventTime", "accountId", "applicationId", "callId", "callUrl", "direction", "from", "to", "startTime", "answerTime"];
  it("mediaStreamStarted: §5.4 example's field order; mediaStream without duration", () => {
    const p = P.mediaStreamStartedPayload(answered, T, { ...m, duration: "PT1S" });
    expect(keys(p)).toEqual([...S, "mediaStream"]);
    expect(p.mediaStream).toEqual({ id: "s-1", name: "agent", destination: "wss://x/ws", startTime: T, tracks: ["inbound", "outbound"], type: "WebSocket" });
  });
  it("mediaStreamRejected: cause, errorMessage; originalMediaStream only for duplicate", () => {
    expect(keys(P.mediaStreamRejectedPayload(answered, T, m, "duplicate", "dup", m))).toEqual([...S, "cause", "errorMessage", "mediaStream", "originalMediaStream"]);
    expect(keys(P.mediaStreamRejectedPayload(answered, T, m, "track-limit", "x", m))).toEqual([...S, "cause", "errorMessage", "mediaStream"]);
  });
  it("mediaStreamStopped: duration in mediaStream; errorMessage only when not closed; tag when set", () => {
    const p = P.mediaStreamStoppedPayload({ ...answered, tag: "menu" }, T, { ...m, duration: "PT3M38.689S" }, "closed", "ignored");
    expect(keys(p)).toEqual([...S, "tag", "cause", "mediaStream"]);
    expect(keys(p.mediaStream as P.Payload)).toEqual(["id", "name", "destination", "duration", "startTime", "tracks", "type"]);
    expect(keys(P.mediaStreamStoppedPayload(answered, T, m, "connection-error", "closed with 1011"))).toEqual([...S, "cause", "errorMessage", "mediaStream"]);
  });
});
