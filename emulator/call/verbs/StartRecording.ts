// <StartRecording>, <PauseRecording>, <ResumeRecording>, <StopRecording> (bandwidth.md §2.9,
// §2.19, §7.8): one background recording per call, both sides; paused time left out; ends at
// StopRecording or call end with `recordingAvailable`.

import type { BxmlElement } from "../../bxml/model.js";
import { bool, enumOf } from "../attrs.js";
import type { VerbHost } from "../host.js";
import { NEXT, type VerbExecutor } from "../executor.js";
import { beginRecording, endRecording, pauseRecording, resumeRecording, type ActiveRecording } from "../recorder.js";
import { recordingNotifications } from "./Record.js";

interface Background {
  rec: ActiveRecording;
  el: BxmlElement;
  baseUrl?: string;
  paused: boolean;
}

declare module "../host.js" {
  interface VerbState {
    /** The call's one background recording (§2.19). */
    startRecording?: Background;
  }
}

export function activeRecording(call: VerbHost): Background | undefined {
  return call.verbState.startRecording;
}

export function setRecordingState(call: VerbHost, state: "paused" | "recording"): boolean {
  const b = activeRecording(call);
  if (!b) return false;
  if (state === "paused" && !b.paused) {
    pauseRecording(call, b.rec);
    b.paused = true;
  } else if (state === "recording" && b.paused) {
    resumeRecording(call, b.rec);
    b.paused = false;
  }
  return true;
}

export function stopBackgroundRecording(call: VerbHost): void {
  const b = activeRecording(call);
  if (!b) return;
  call.verbState.startRecording = undefined;
  const info = endRecording(call, b.rec);
  recordingNotifications(call, b.el, b.baseUrl, info);
}

export const StartRecording: VerbExecutor = async ({ call, el, baseUrl }) => {
  if (activeRecording(call)) {
    call.record("note", { message: "StartRecording ignored: a recording is already active (§2.19)" });
    return NEXT;
  }
  const rec = await beginRecording(call, {
    channels: bool(el, "multiChannel", false) ? 2 : 1,
    bothSides: true,
    fileFormat: enumOf(el, "fileFormat", ["wav", "mp3"] as const, "wav"),
  });
  call.verbState.startRecording = { rec, el, baseUrl, paused: false };
  call.teardownHooks.push(() => stopBackgroundRecording(call));
  return NEXT;
};

export const PauseRecording: VerbExecutor = async ({ call }) => {
  setRecordingState(call, "paused");
  return NEXT;
};

export const ResumeRecording: VerbExecutor = async ({ call }) => {
  setRecordingState(call, "recording");
  return NEXT;
};

export const StopRecording: VerbExecutor = async ({ call }) => {
  stopBackgroundRecording(call);
  return NEXT;
};
