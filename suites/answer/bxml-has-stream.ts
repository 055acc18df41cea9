import type { ConformanceCase } from "../types.js";
import { firstDocument, pass, unimplemented, verbs } from "../observe.js";

export default {
  id: "answer.bxml.has-stream",
  level: "MUST",
  title: "The answer starts a media stream",
  expectation: "the BXML contains a <StartStream>",
  // bandwidth.md §2.20, §3
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  outcomes: "a <StartStream> verb; a bridge without one is `unimplemented` for the stream groups",
  scenarios: ["basic"],
  requires: ["bxml"],
  check(c) {
    const n = verbs(firstDocument(c.call)?.root, "StartStream").length;
    return n ? pass(`${n} StartStream`) : unimplemented("no <StartStream> in the answer");
  },
} satisfies ConformanceCase;
