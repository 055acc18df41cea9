import type { ConformanceCase } from "../types.js";
import { events, fail, frames, ms, pass, pick } from "../observe.js";

export default {
  id: "stream.stop.upstream-closed",
  level: "MUST",
  title: "The upstream session ends with the stream",
  expectation: "after stop, the bridge closes its Realtime session within 2 s (no leaked sessions)",
  // pitfall (leaked Realtime sessions keep billing and hold capacity)
  docs: ["https://platform.openai.com/docs/guides/realtime"],
  outcomes: "every Realtime session of the call closed within 2 s of stop (or of the socket closing)",
  scenarios: ["basic"],
  requires: ["stream", "session"],
  check(c) {
    const end = frames(c.call, "out", "stop")[0] ?? events(c.call, "ws.close")[0];
    if (!end) return fail("the stream ended", "it never ended");
    const late = c.sessions.filter((s) => s.closedUs === undefined || s.closedUs - end.t > 2_000_000);
    if (late.length) return fail("upstream closed within 2 s", late.map((s) => (s.closedUs === undefined ? `session ${s.id} still open` : `session ${s.id} closed after ${ms(s.closedUs - end.t)} ms`)).join("; "), pick(end));
    return pass(`closed ${ms(Math.max(...c.sessions.map((s) => s.closedUs! - end.t)))} ms after stop`);
  },
} satisfies ConformanceCase;
