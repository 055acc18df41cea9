import type { ConformanceCase } from "../types.js";
import { fail, pass, pick, webhookResults } from "../observe.js";

export default {
  id: "stream.rejected.survives",
  level: "SHOULD",
  title: "A rejected stream does not break the bridge",
  expectation: "mediaStreamRejected gets a 2xx and the bridge stays healthy",
  // bandwidth.md §3.5, §5.5
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream", "https://dev.bandwidth.com/docs/voice/webhooks/mediaStreamRejected"],
  outcomes: "2xx to mediaStreamRejected; the bridge serves later calls",
  scenarios: ["stream-rejected", "basic"],
  requires: ["streamEventUrl"],
  check(c, ctx) {
    const hook = webhookResults(c.call, "mediaStreamRejected")[0];
    if (!hook) return fail("a mediaStreamRejected delivery", "none sent", []);
    if (!hook.data.ok) return fail("2xx", `${hook.data.status ?? hook.data.error}`, pick(hook));
    const later = ctx.run("basic")?.calls[0];
    if (later && later.call.documents.length === 0) return fail("the bridge keeps serving calls", "a later call got no BXML", pick(hook));
    return pass(`HTTP ${hook.data.status}`);
  },
} satisfies ConformanceCase;
