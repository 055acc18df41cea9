// At most 4 tracks per call across running StartTranscriptions (`both` counts 2); one more is rejected
// (realTimeTranscriptionRejected, cause `track-limit`). StopTranscriptions in between free their tracks.
import { trackLimitRule } from "./session-rules.js";
import { TRANSCRIPTIONS } from "./sessions.js";

// bandwidth.md §2.23, §3.4
export default trackLimitRule(TRANSCRIPTIONS, ["https://dev.bandwidth.com/docs/voice/bxml/startTranscription", "https://dev.bandwidth.com/docs/voice/bxml/startStream"]);
