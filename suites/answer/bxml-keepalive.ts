import type { ConformanceCase } from "../types.js";
import { attrValue } from "../../emulator/bxml/model.js";
import { firstStreamKeepAlive } from "../../emulator/bxml/keepalive.js";
import { events, fail, firstDocument, ms, pass, pick, unimplemented } from "../observe.js";

export default {
  id: "answer.bxml.keepalive",
  level: "MUST",
  title: "Something keeps the call open after StartStream",
  expectation: "StartStream is followed by StopStream wait=\"true\" on that stream, a long Pause, or another blocking verb",
  // https://dev.bandwidth.com/docs/voice/programmable-voice/bxml/startStream/ (bandwidth.md §3.2, §3.3)
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  outcomes: "a keep-alive verb after StartStream, and the call stays up after the stream starts",
  scenarios: ["basic"],
  requires: ["bxml"],
  check(c) {
    const k = firstStreamKeepAlive(firstDocument(c.call)!.root!);
    if (!k) return unimplemented("no <StartStream>");
    const start = events(c.call, "ws.frame").find((e) => e.data.eventType === "start");
    const end = events(c.call, "call.state").find((e) => e.data.state === "disconnected");
    const livedUs = start && end ? end.t - start.t : undefined;
    const lived = livedUs !== undefined ? ` (it lasted ${ms(livedUs)} ms after start)` : "";
    const by = k.by;
    if (k.verdict !== "holds" || !by) {
      const why = by ? `<${by.name}> at line ${by.pos.line} ends the ${by.name === "StopStream" ? "stream" : "call"} first` : `nothing after line ${k.stream.pos.line}: the call hangs up at once`;
      return fail("a verb that holds the call open after StartStream", `${why}${lived}`, pick(start, end));
    }
    const how = by.name === "StopStream" ? "StopStream wait=true" : by.name === "Pause" ? `Pause ${attrValue(by, "duration") ?? "1"} s` : by.name;
    return pass(how);
  },
} satisfies ConformanceCase;
