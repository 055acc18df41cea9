// A StartTranscription whose name is already in use on the call is rejected (realTimeTranscriptionRejected, cause `duplicate`).
// A StopTranscription of that name in between frees it (OPEN-12: a stopped name may be reused).
import { duplicateNameRule } from "./session-rules.js";
import { TRANSCRIPTIONS } from "./sessions.js";

// bandwidth.md §2.23, §3.4
export default duplicateNameRule(TRANSCRIPTIONS, ["https://dev.bandwidth.com/docs/voice/bxml/startTranscription", "https://dev.bandwidth.com/docs/voice/bxml/startStream"]);
