import type { ConformanceCase } from "../types.js";
import { fail, firstWebhook, ms, pass, pick } from "../observe.js";

export default {
  id: "answer.http.status",
  level: "MUST",
  title: "The BXML endpoint replies 200 in time",
  expectation: "initiate (answer on an outbound call) gets a 200 within the callback timeout (15 s default)",
  // https://dev.bandwidth.com/docs/voice/webhooks/ (bandwidth.md §6.1, ED-8)
  docs: ["https://dev.bandwidth.com/docs/voice/webhooks", "https://dev.bandwidth.com/docs/voice/webhooks/initiate"],
  outcomes: "HTTP 200 (any 2xx is accepted by the carrier) within the timeout",
  scenarios: ["basic"],
  check(c, ctx) {
    const { eventType, exchange: ex, result } = firstWebhook(c.call);
    if (!ex) return fail(`a reply to ${eventType}`, "no HTTP exchange was recorded", pick(result));
    const { status, error, durationUs } = ex.data;
    if (status === undefined) return fail(`HTTP 200 within ${ctx.settings.callbackTimeoutMs} ms`, `no reply: ${error ?? "unknown error"}`, pick(ex, result));
    if (status < 200 || status > 299) return fail("HTTP 200", `HTTP ${status}`, pick(ex, result));
    if (durationUs / 1000 > ctx.settings.callbackTimeoutMs) return fail(`reply within ${ctx.settings.callbackTimeoutMs} ms`, `${ms(durationUs)} ms`, pick(ex));
    return pass(`HTTP ${status} in ${ms(durationUs)} ms`, { replyMs: ms(durationUs) });
  },
} satisfies ConformanceCase;
