import type { ConformanceCase } from "../types.js";
import { events, fail, pass, pick } from "../observe.js";

export default {
  id: "stream.connect.upgrade",
  level: "MUST",
  title: "The destination accepts the WebSocket upgrade",
  expectation: "101 Switching Protocols within 5 s",
  // bandwidth.md §3.1 step 4, §4.1
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream", "https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "the upgrade succeeds within 5 s (otherwise the carrier sends mediaStreamRejected connection-error)",
  scenarios: ["basic"],
  requires: ["startStream"],
  check(c) {
    const connect = events(c.call, "stream.connect")[0];
    if (!connect) return fail("an upgrade to destination", "the carrier never connected", []);
    if (!connect.data.ok) return fail("101 within 5 s", connect.data.status ? `HTTP ${connect.data.status}` : connect.data.error ?? "failed", pick(connect));
    const upgrade = events(c.call, "http.exchange").find((e) => e.data.role === "ws-upgrade");
    if (upgrade && upgrade.data.durationUs > 5_000_000) return fail("101 within 5 s", `${Math.round(upgrade.data.durationUs / 1000)} ms`, pick(upgrade));
    return pass(connect.data.destination);
  },
} satisfies ConformanceCase;
