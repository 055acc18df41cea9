import type { ConformanceCase } from "../types.js";
import { fail, frames, needsStream, pass, pick, streamMode } from "../observe.js";
import type { CallObservation } from "../types.js";

/** The stream did real work: audio went upstream, or (unidirectional) the socket stayed up. */
function worked(o: CallObservation): boolean {
  if (o.sessions.some((s) => s.appendCount > 0)) return true;
  if (streamMode(o.call) === "bidirectional") return frames(o.call, "in", "playAudio").length > 0;
  return frames(o.call, "out", "media").length > 25;
}

export default {
  id: "stream.start.key-order",
  level: "MUST",
  title: "JSON key order does not matter",
  expectation: "a start whose eventType comes last (as live Bandwidth sends it) is handled like one where it comes first",
  // bandwidth.md §4.1 (JSON key order not significant; live frames put eventType last)
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "the stream works with both key orders",
  scenarios: ["basic", "key-order-natural"],
  requires: ["stream"],
  against: "key-order-natural",
  check(last, _ctx, natural) {
    const first = natural!;
    const no = needsStream(first);
    if (no) return no;
    const a = worked(last), b = worked(first);
    if (a && b) return pass("both orders handled");
    return fail("the stream works with eventType last and first", `eventType last: ${a ? "worked" : "no audio relayed"}; eventType first: ${b ? "worked" : "no audio relayed"}`,
      pick(frames(a ? first.call : last.call, "out", "start")[0]));
  },
} satisfies ConformanceCase;
