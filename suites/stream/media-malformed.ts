import type { ConformanceCase } from "../types.js";
import { events, fail, frames, pass, pick, stepMissed } from "../observe.js";

const CLEAN = [1000, 1008, 1011];

export default {
  id: "stream.media.malformed",
  level: "SHOULD",
  title: "A non-JSON frame does not crash the bridge",
  expectation: "the stream continues, or is closed cleanly (1000/1008/1011); other calls are unaffected",
  // bandwidth.md §4.1, OPEN-9
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "stream continues; or a close with 1000, 1008 or 1011; and a concurrent call completes",
  scenarios: ["malformed-frame", "basic"],
  requires: ["stream"],
  check(c, ctx) {
    const injected = frames(c.call, "out").find((e) => e.data.eventType === undefined && !e.data.binary);
    if (!injected) return stepMissed(c, "the malformed frame");
    const close = events(c.call, "ws.close").find((e) => e.t >= injected.t && e.data.by !== "carrier");
    if (close && !CLEAN.includes(close.data.code)) return fail("stream continues or closes with 1000/1008/1011", `${close.data.by} close ${close.data.code} (unclean)`, pick(injected, close));
    const other = ctx.run("basic")?.calls[0];
    if (other && other.call.disconnectCause !== "hangup") return fail("other calls unaffected", `the concurrent call ended with ${other.call.disconnectCause}`);
    return pass(close ? `closed cleanly (${close.data.code})` : "ignored");
  },
} satisfies ConformanceCase;
