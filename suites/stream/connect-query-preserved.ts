import type { ConformanceCase } from "../types.js";
import { events, fail, pass, pick } from "../observe.js";

export default {
  id: "stream.connect.query-preserved",
  level: "MUST",
  title: "Path and query of destination reach the bridge",
  expectation: "query string and path tokens of destination arrive unchanged (the bridge accepts the stream)",
  // bandwidth.md §4.1 (destination kept verbatim)
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "the stream is accepted and stays open after start (no 1008 policy close, no 4xx upgrade refusal)",
  scenarios: ["basic"],
  requires: ["startStream"],
  check(c) {
    const connect = events(c.call, "stream.connect")[0];
    if (!connect?.data.ok) return fail("the bridge accepts the exact destination", connect ? `${connect.data.status ?? connect.data.error}` : "no connect", pick(connect));
    const close = events(c.call, "ws.close")[0];
    const start = events(c.call, "ws.frame").find((e) => e.data.eventType === "start");
    if (close && close.data.by === "app" && start && close.t - start.t < 1_000_000 && close.data.code === 1008)
      return fail("the stream stays open", `closed 1008 "${close.data.reason}" right after start`, pick(start, close));
    return pass(connect.data.destination);
  },
} satisfies ConformanceCase;
