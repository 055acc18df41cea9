import type { ConformanceCase } from "../types.js";
import { fail, pass, pick, skipped, webhookResults } from "../observe.js";

export default {
  id: "events.disconnect.accepted",
  level: "MUST",
  title: "disconnect is acknowledged",
  expectation: "the disconnect webhook gets a 2xx",
  // bandwidth.md §6.3, §6.5
  docs: ["https://dev.bandwidth.com/docs/voice/webhooks/disconnect"],
  outcomes: "any 2xx; skipped when no status callback URL is configured",
  scenarios: ["basic"],
  check(c) {
    const hook = webhookResults(c.call, "disconnect")[0];
    if (!hook) return skipped("no status callback URL configured (--status-url)");
    if (!hook.data.ok) return fail("2xx", hook.data.status !== undefined ? `HTTP ${hook.data.status}` : `${hook.data.error}`, pick(hook));
    return pass(`HTTP ${hook.data.status}`);
  },
} satisfies ConformanceCase;
