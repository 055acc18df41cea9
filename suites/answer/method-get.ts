import type { ConformanceCase } from "../types.js";
import { events, fail, firstWebhook, pass, pick } from "../observe.js";

export default {
  id: "answer.method.get",
  level: "SHOULD",
  title: "The BXML endpoint answers GET callbacks",
  expectation: "with CallInitiatedMethod GET (answerMethod GET on an outbound call; fields as query parameters) the endpoint still returns BXML",
  // bandwidth.md §6.1, §6.3 (`CallInitiatedMethod`)
  docs: ["https://dev.bandwidth.com/docs/voice/webhooks/initiate", "https://dev.bandwidth.com/docs/voice/webhooks"],
  outcomes: "2xx with a BXML body the carrier accepts",
  scenarios: ["initiate-get"],
  check(c) {
    const { eventType, exchange: ex } = firstWebhook(c.call);
    const doc = events(c.call, "bxml.received")[0];
    if (ex?.data.method !== "GET") return fail(`a GET ${eventType}`, `the carrier sent ${ex?.data.method ?? "nothing"}`, pick(ex));
    if (!doc?.data.accepted) return fail("BXML in reply to GET", ex?.data.status !== undefined ? `HTTP ${ex.data.status}` : `no reply: ${ex?.data.error}`, pick(ex, doc));
    return pass(`HTTP ${ex.data.status}`);
  },
} satisfies ConformanceCase;
