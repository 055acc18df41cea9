import type { ConformanceCase } from "../types.js";
import { events, fail, frames, ms, pass, pick, stepMissed } from "../observe.js";

export default {
  id: "stream.media.unknown-event",
  level: "SHOULD",
  title: "Unknown eventTypes are ignored",
  expectation: "a frame with an unknown eventType is ignored and the socket stays open",
  // bandwidth.md §4.1 (apps should ignore what they do not know)
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "the socket stays open and audio keeps flowing after the frame",
  scenarios: ["unknown-event"],
  requires: ["stream"],
  check(c) {
    const injected = frames(c.call, "out").find((e) => e.data.eventType !== undefined && !["start", "media", "stop"].includes(e.data.eventType));
    if (!injected) return stepMissed(c, "the unknown frame");
    const close = events(c.call, "ws.close").find((e) => e.t >= injected.t && e.data.by !== "carrier");
    if (close && close.t - injected.t < 2_000_000)
      return fail("the socket stays open", `closed by ${close.data.by} with ${close.data.code} ${ms(close.t - injected.t)} ms after the frame`, pick(injected, close));
    return pass("ignored");
  },
} satisfies ConformanceCase;
