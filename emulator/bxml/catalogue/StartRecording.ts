import type { ElementSpec } from "../spec.js";
import { ALL_CONTEXTS, bool, credentials, enumOf, method, ROOT, tag, url } from "./common.js";

/** Records the call (both sides) or the conference while other verbs run. */
const StartRecording: ElementSpec = {
  name: "StartRecording",
  kind: "verb",
  parents: ROOT,
  contexts: ALL_CONTEXTS,
  text: null,
  attributes: {
    recordingAvailableUrl: url("receives recordingAvailable (conferenceRecordingAvailable in a conference)"),
    recordingAvailableMethod: method,
    transcribe: bool("false", "ignored on conference recordings"),
    detectLanguage: bool("false"),
    transcriptionAvailableUrl: url("ignored on conference recordings"),
    transcriptionAvailableMethod: method,
    ...credentials,
    tag,
    fileFormat: enumOf(["wav", "mp3"], "wav"),
    multiChannel: bool("false", "2 channels: the party and the played audio; ignored on conferences"),
  },
  children: { allowed: [] },
  execution: "immediate",
  bxmlWebhooks: [],
  notificationWebhooks: ["recordingAvailable", "conferenceRecordingAvailable", "transcriptionAvailable"],
  // bandwidth.md §2.19
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startRecording"],
};
export default StartRecording;
