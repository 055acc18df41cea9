// <StartRecording>, <PauseRecording>, <ResumeRecording>, <StopRecording> (bandwidth.md §2.9,
// §2.19, §7.8): one background recording per call, both sides; paused time left out; ends at
// StopRecording or call end with `recordingAvailable`.

import { bool, enumOf } from "../attrs.js";
import { NEXT, type VerbExecutor } from "../executor.js";
import { activeRecording, beginRecording, setRecordingState, stopBackgroundRecording } from "../recorder.js";

export const StartRecording: VerbExecutor = async ({ call, el, baseUrl }) => {
  if (activeRecording(call)) {
    call.record("note", { message: "StartRecording ignored: a recording is already active" });
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
