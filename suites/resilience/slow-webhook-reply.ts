import type { ConformanceCase } from "../types.js";
import { events, info } from "../observe.js";

export default {
  id: "resilience.slow-webhook-reply",
  level: "INFO",
  title: "The bridge's own REST calls",
  expectation: "how the bridge behaves when its own REST calls to the emulator are slow",
  // bandwidth.md §7, §7.10
  docs: ["https://dev.bandwidth.com/apis/voice/"],
  outcomes: "recorded: the REST calls the bridge made and their latency",
  scenarios: ["basic"],
  check(c) {
    const api = events(c.call, "http.exchange").filter((e) => e.data.role === "rest-api");
    if (!api.length) return info("the bridge made no Voice API requests during the call", { apiRequests: 0 });
    const worst = Math.max(...api.map((e) => e.data.durationUs)) / 1000;
    return info(`${api.length} Voice API request(s), slowest ${worst.toFixed(1)} ms`, { apiRequests: api.length, slowestMs: worst }, api.slice(0, 5));
  },
} satisfies ConformanceCase;
