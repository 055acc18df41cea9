import type { ConformanceCase } from "../types.js";
import { events, info } from "../observe.js";

export default {
  id: "lifecycle.hangup-via-api",
  level: "INFO",
  title: "The bridge ends calls through the Voice API",
  expectation: "when the conversation ends, the bridge ends the call with updateCall state=completed",
  // bandwidth.md §7.6
  docs: ["https://dev.bandwidth.com/apis/voice/#operation/updateCall"],
  outcomes: "recorded",
  scenarios: ["basic"],
  check(c) {
    const api = events(c.call, "http.exchange").filter((e) => e.data.role === "rest-api");
    const hangup = api.find((e) => /"state"\s*:\s*"completed"/.test(e.data.requestBody ?? ""));
    return info(hangup ? `updateCall state=completed (HTTP ${hangup.data.status})` : `no hang-up through the API (${api.length} API request(s))`, { apiRequests: api.length }, hangup ? [hangup] : []);
  },
} satisfies ConformanceCase;
