// At most 4 tracks per call across running StartStreams (`both` counts 2); one more is rejected
// (mediaStreamRejected, cause `track-limit`). StopStreams in between free their tracks.
import { trackLimitRule } from "./session-rules.js";
import { STREAMS } from "./sessions.js";

// bandwidth.md §3.1 step 3, §3.4, §8 #18
export default trackLimitRule(STREAMS, ["https://dev.bandwidth.com/docs/voice/bxml/startStream", "https://dev.bandwidth.com/docs/voice/bxml"]);
