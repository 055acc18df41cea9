import type { ConformanceCase } from "../types.js";
import { events, fail, pass, pick } from "../observe.js";

export default {
  id: "answer.bxml.valid",
  level: "MUST",
  title: "Every platform rule holds",
  expectation: "no unknown verbs, missing required attributes, bad types, ranges, child counts or limits",
  // bandwidth.md §2, §8 rows 3–10, ED-6a, ED-7, OPEN-3
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  outcomes: "the carrier accepts the document (no platform error); pitfall warnings do not fail this case",
  scenarios: ["basic"],
  check(c) {
    const docs = events(c.call, "bxml.received");
    if (!docs.length) return fail("a BXML document the carrier accepts", `no document (call ended: ${c.call.disconnectCause})`);
    const rejected = docs.filter((d) => !d.data.accepted);
    if (rejected.length) {
      const d = rejected[0].data.diagnostics.filter((x) => x.level === "error");
      return fail("no platform errors", d.map((x) => `${x.line}:${x.col} ${x.ruleId}: ${x.message}`).join("\n") || "rejected", pick(rejected[0]));
    }
    return pass(`${docs.length} document(s) accepted`);
  },
} satisfies ConformanceCase;
