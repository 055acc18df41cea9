import type { ConformanceCase } from "../types.js";
import { events, fail, ms, pass, pick, stepMissed } from "../observe.js";

export default {
  id: "resilience.upstream-drop",
  level: "SHOULD",
  title: "Losing the model ends the stream cleanly",
  expectation: "the model's socket closing mid-call ends the carrier stream (close or StopStream) instead of a silent open call",
  // pitfall (a silent open call is billed and confuses the caller)
  docs: [],
  outcomes: "the bridge closes the media socket (any code) or ends the call within 5 s of the model going away",
  scenarios: ["upstream-drop"],
  requires: ["bidirectional", "session"],
  check(c) {
    const s = c.sessions[0];
    if (s.closedUs === undefined || s.closedBy !== "stub") return stepMissed(c, "the model's socket closing");
    const close = events(c.call, "ws.close").find((e) => e.t >= s.closedUs! && e.data.by === "app");
    const api = events(c.call, "http.exchange").find((e) => e.t >= s.closedUs! && e.data.role === "rest-api");
    const end = close ?? api;
    if (!end || end.t - s.closedUs > 5_000_000) return fail("the stream or call ends within 5 s", end ? `after ${ms(end.t - s.closedUs)} ms` : "the call stayed open and silent", pick(end));
    return pass(`${close ? `socket closed (${close.data.code})` : "call ended through the API"} ${ms(end.t - s.closedUs)} ms after the model left`);
  },
} satisfies ConformanceCase;
