import type { ConformanceCase } from "../types.js";
import { attrValue, childElements } from "../../emulator/bxml/model.js";
import { getSpec } from "../../emulator/bxml/catalogue/index.js";
import { events, fail, firstCall, firstDocument, ms, pass, pick, unimplemented } from "../observe.js";

/** Verbs after StartStream that hold the call open (bandwidth.md §3.3). */
function keepsOpen(after: ReturnType<typeof childElements>, streamName: string | undefined): string | undefined {
  for (const v of after) {
    if (v.name === "StopStream" && attrValue(v, "wait")?.toLowerCase() === "true" && (streamName === undefined || attrValue(v, "name") === streamName)) return "StopStream wait=true";
    if (v.name === "StopStream") continue;
    if (v.name === "Pause") return `Pause ${attrValue(v, "duration") ?? "1"} s`;
    const spec = getSpec(v.name);
    if (spec && (spec.execution === "blocking" || spec.execution === "terminal" || spec.execution === "document-terminal") && v.name !== "Hangup") return v.name;
  }
  return undefined;
}

export default {
  id: "answer.bxml.keepalive",
  level: "MUST",
  title: "Something keeps the call open after StartStream",
  expectation: "StartStream is followed by StopStream wait=\"true\" on that stream, a long Pause, or another blocking verb",
  // https://dev.bandwidth.com/docs/voice/programmable-voice/bxml/startStream/ (bandwidth.md §3.2, §3.3)
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  outcomes: "a keep-alive verb after StartStream, and the call stays up after the stream starts",
  scenarios: ["basic"],
  check(ctx) {
    const c = firstCall(ctx, "basic");
    if ("verdict" in c) return c;
    const root = firstDocument(c.call)?.root;
    if (!root) return fail("a BXML document", "no parsable document");
    const all = childElements(root);
    const i = all.findIndex((v) => v.name === "StartStream");
    if (i < 0) return unimplemented("no <StartStream>");
    const how = keepsOpen(all.slice(i + 1), attrValue(all[i], "name"));
    const start = events(c.call, "ws.frame").find((e) => e.data.eventType === "start");
    const end = events(c.call, "call.state").find((e) => e.data.state === "disconnected");
    const livedUs = start && end ? end.t - start.t : undefined;
    if (!how) return fail("a verb that holds the call open after StartStream", `nothing after line ${all[i].pos.line}: the call hangs up at once${livedUs !== undefined ? ` (it lasted ${ms(livedUs)} ms after start)` : ""}`, pick(start, end));
    return pass(how);
  },
} satisfies ConformanceCase;
