// A StartStream whose name is already in use on the call is rejected (mediaStreamRejected, cause `duplicate`).
// A StopStream of that name in between frees it (OPEN-12: a stopped name may be reused).
import { duplicateNameRule } from "./session-rules.js";
import { STREAMS } from "./sessions.js";

// bandwidth.md §3.1 step 2, §3.4, §8 #17
export default duplicateNameRule(STREAMS, ["https://dev.bandwidth.com/docs/voice/bxml/startStream", "https://dev.bandwidth.com/docs/voice/bxml"]);
