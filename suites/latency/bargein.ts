import type { ConformanceCase } from "../types.js";
import { info } from "../observe.js";
import { fmt, metrics, summary } from "./observe.js";

export default {
  id: "latency.bargein",
  level: "INFO",
  title: "Barge-in latency",
  expectation: "caller speech start → clear",
  // openai-realtime.md §12.3.3 (I = C_clear − C_on)
  docs: ["https://platform.openai.com/docs/guides/realtime-vad"],
  outcomes: "measured",
  scenarios: ["bargein"],
  check(_c, ctx) {
    const s = summary(ctx).bargeIn;
    return info(s.n ? fmt(s) : `no barge-in measured (${s.failures} without clear)`, metrics("bargein", s));
  },
} satisfies ConformanceCase;
