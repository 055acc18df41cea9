import type { ConformanceCase } from "../types.js";
import { fail, firstWebhook, pass, pick } from "../observe.js";

export default {
  id: "answer.http.content-type",
  level: "SHOULD",
  title: "BXML is served as application/xml",
  expectation: "the reply to initiate (answer on an outbound call) has Content-Type application/xml",
  // bandwidth.md §6.1 (expected reply `application/xml; charset=utf-8`), ED-8
  docs: ["https://dev.bandwidth.com/docs/voice/webhooks/initiate"],
  outcomes: "application/xml (text/xml also accepted); text/html that parses is accepted by the carrier but is non-strict",
  scenarios: ["basic"],
  check(c) {
    const ex = firstWebhook(c.call).exchange;
    const ct = ex?.data.responseHeaders?.["content-type"];
    if (!ex || ex.data.status === undefined) return fail("a reply with Content-Type application/xml", "no reply", pick(ex));
    if (ct && /^(application|text)\/xml\b/i.test(ct)) return pass(ct);
    return fail("Content-Type: application/xml", ct ? `Content-Type: ${ct}` : "no Content-Type header", pick(ex));
  },
} satisfies ConformanceCase;
