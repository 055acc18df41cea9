import type { ConformanceCase } from "../types.js";
import { events, fail, frames, ms, pass, pick } from "../observe.js";

export default {
  id: "stream.stop.closes-socket",
  level: "MUST",
  title: "The bridge closes the socket after stop",
  expectation: "after the carrier's stop, the socket is closed within 2 s",
  // bandwidth.md §4.5, §4.8, ED-3
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "close handshake completed within 2 s of stop (or the bridge closed first)",
  scenarios: ["basic"],
  requires: ["stream"],
  check(c) {
    const stop = frames(c.call, "out", "stop")[0];
    const close = events(c.call, "ws.close")[0];
    if (!stop) return close ? pass(`the ${close.data.by} closed first (${close.data.code})`) : fail("a closed socket", "the socket never closed", []);
    if (!close) return fail("closed within 2 s of stop", "never closed", pick(stop));
    const dt = close.t - stop.t;
    if (dt > 2_000_000) return fail("closed within 2 s of stop", `${ms(dt)} ms`, pick(stop, close));
    return pass(`closed ${ms(dt)} ms after stop`, { closeMs: ms(dt) });
  },
} satisfies ConformanceCase;
