import type { ConformanceCase } from "../types.js";
import { events, fail, ms, pass, pick, stepMissed } from "../observe.js";

export default {
  id: "stream.drop.upstream-closed",
  level: "MUST",
  title: "A dropped carrier connection ends the upstream session",
  expectation: "after the carrier drops TCP without a close frame, the upstream session is closed within 5 s",
  // bandwidth.md §4.8 (1006), pitfall
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "every Realtime session of the call closed within 5 s of the drop",
  scenarios: ["socket-drop"],
  requires: ["stream", "session"],
  check(c) {
    const drop = events(c.call, "ws.close").find((e) => e.data.by === "network") ?? events(c.call, "ws.close")[0];
    if (!drop) return stepMissed(c, "the socket drop");
    const late = c.sessions.filter((s) => s.closedUs === undefined || s.closedUs - drop.t > 5_000_000);
    if (late.length) return fail("upstream closed within 5 s of the drop", late.map((s) => (s.closedUs === undefined ? `session ${s.id} never closed` : `closed after ${ms(s.closedUs - drop.t)} ms`)).join("; "), pick(drop));
    return pass("upstream closed");
  },
} satisfies ConformanceCase;
