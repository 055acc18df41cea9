import type { ConformanceCase } from "../types.js";
import { info } from "../observe.js";
import { aggregate, callLatencies, fmt, metrics } from "./observe.js";

export default {
  id: "latency.greeting",
  level: "INFO",
  title: "Greeting latency",
  expectation: "stream start → first playAudio",
  // openai-realtime.md §12.3.3 (G = C_play(0) − C_start)
  docs: ["https://platform.openai.com/docs/guides/realtime-vad"],
  outcomes: "measured; n/a for bridges that do not greet",
  scenarios: ["basic", "bargein", "key-order-natural"],
  check(_c, ctx) {
    const g = callLatencies(ctx).map((c) => c.greetingMs).filter((v): v is number => v !== undefined);
    if (!g.length) return info("the bridge does not greet (no playAudio before the caller's first utterance)");
    const p = aggregate(g);
    return info(fmt(p), metrics("greeting", p));
  },
} satisfies ConformanceCase;
