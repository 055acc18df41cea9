import type { ConformanceCase } from "../types.js";
import { info } from "../observe.js";
import { callLatencies } from "./observe.js";

export default {
  id: "latency.jitter-down",
  level: "INFO",
  title: "Gaps in the agent's audio",
  expectation: "spacing of downstream audio: gaps longer than the buffered audio allows (underruns a caller would hear)",
  // openai-realtime.md §12.3 (downstream gaps)
  docs: ["https://platform.openai.com/docs/guides/realtime-vad"],
  outcomes: "measured",
  scenarios: ["basic", "bargein", "key-order-natural"],
  check(_c, ctx) {
    const j = callLatencies(ctx).map((c) => c.jitterDown);
    const count = j.reduce((n, x) => n + x.count, 0);
    const max = Math.max(0, ...j.map((x) => x.maxMs));
    const total = j.reduce((n, x) => n + x.totalMs, 0);
    return info(count ? `${count} underrun(s), longest ${max.toFixed(0)} ms, ${total.toFixed(0)} ms of silence in all` : "no underruns", { underruns: count, maxGapMs: max, totalGapMs: total });
  },
} satisfies ConformanceCase;
