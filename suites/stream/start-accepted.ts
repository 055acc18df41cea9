import type { ConformanceCase } from "../types.js";
import { events, fail, ms, pass, pick, streamMode } from "../observe.js";

export default {
  id: "stream.start.accepted",
  level: "MUST",
  title: "The bridge accepts the start message",
  expectation: "after start the socket stays open and (bidirectional) the upstream session starts",
  // bandwidth.md §4.2; openai-realtime.md §8.4
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming", "https://platform.openai.com/docs/guides/realtime"],
  outcomes: "socket open ≥ 1 s after start (or until the carrier ends it); a Realtime session opened for bidirectional bridges",
  scenarios: ["basic"],
  requires: ["stream"],
  check(c, ctx) {
    const start = events(c.call, "ws.frame").find((e) => e.data.eventType === "start");
    const close = events(c.call, "ws.close")[0];
    // The bridge closed the socket before the carrier could send start: the close is the evidence.
    if (!start)
      return fail("a start frame, then the socket open ≥ 1 s", close ? `closed by ${close.data.by} (${close.data.code}) before start was sent` : "no start frame was sent", pick(events(c.call, "stream.connect")[0], close));
    if (close && close.data.by !== "carrier" && close.t - start.t < 1_000_000)
      return fail("socket open after start", `closed by ${close.data.by} (${close.data.code}) after ${ms(close.t - start.t)} ms`, pick(start, close));
    if (streamMode(c.call) === "bidirectional" && ctx.settings.realtime === "stub" && c.sessions.length === 0)
      return fail("an upstream Realtime session", "the bridge opened none", pick(start));
    return pass(c.sessions.length ? `upstream opened ${ms(c.sessions[0].openedUs - start.t)} ms after start` : "socket stayed open");
  },
} satisfies ConformanceCase;
