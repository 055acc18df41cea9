import type { ConformanceCase } from "../types.js";
import { fail, info, pass } from "../observe.js";
import { callLatencies, fmt, metrics, summary, withheld } from "./observe.js";

export default {
  id: "latency.turn",
  level: "SHOULD",
  title: "Turn latency at the carrier",
  expectation: "end of caller speech → first playAudio of the reply, p95 within the stub's think time + 150 ms",
  // openai-realtime.md §12.3.3 (L = C_play − C_end), §12.3.5
  docs: ["https://platform.openai.com/docs/guides/realtime-vad"],
  outcomes: "p95 ≤ K* + budget (default 150 ms); against live only measured",
  scenarios: ["basic", "bargein", "key-order-natural"],
  check(_c, ctx) {
    const s = summary(ctx).turn;
    if (!s.n) return fail("replies to the caller's turns", `no turn got a reply (${s.failures} missing)`);
    const m = metrics("turn", s);
    if (ctx.settings.realtime !== "stub") return info(fmt(s), m);
    const why = withheld(ctx, false);
    if (why) return { verdict: "error", message: why };
    const think = Math.max(0, ...callLatencies(ctx).flatMap((c) => c.turns.map((t) => t.configuredThinkMs ?? 0)));
    const budget = think + ctx.settings.turnExtraP95Ms;
    m.budgetMs = budget;
    if (s.p95 !== undefined && s.p95 > budget) return { ...fail(`p95 ≤ ${budget} ms (think time ${think} + ${ctx.settings.turnExtraP95Ms})`, fmt(s)), metrics: m };
    return pass(fmt(s), m);
  },
} satisfies ConformanceCase;
