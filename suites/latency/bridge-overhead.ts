import type { ConformanceCase } from "../types.js";
import { fail, pass } from "../observe.js";
import { callLatencies, fmt, metrics, summary, withheld } from "./observe.js";

export default {
  id: "latency.bridge-overhead",
  level: "MUST",
  title: "What the bridge adds to each turn",
  expectation: "turn latency minus the stub's own think time: p95 ≤ 50 ms (configurable)",
  // openai-realtime.md §12.3.3 (B = L − K)
  docs: ["https://platform.openai.com/docs/guides/realtime-vad"],
  outcomes: "p95 of B(n) ≤ the budget; reported with p50/p95/p99",
  scenarios: ["basic", "bargein", "key-order-natural"],
  requires: ["stub"],
  check(_c, ctx) {
    const invalid = callLatencies(ctx).filter((c) => c.stub.present && !c.stub.valid);
    const s = summary(ctx).bridgeOverhead;
    const unmeasured = callLatencies(ctx).flatMap((c) => c.turns.filter((t) => t.unmeasured));
    if (!s.n) {
      const why = invalid.length ? `stub and carrier turns did not match: ${invalid[0].stub.reason}` : unmeasured.length ? `no turn could be measured: ${unmeasured[0].unmeasured}` : `no turn could be measured (${s.failures} failed)`;
      return fail("measured turns", why);
    }
    // A figure only from sound measurement points: a calibrated run, every turn causally possible.
    const why = withheld(ctx);
    if (why) return { verdict: "error", message: why };
    const m = metrics("bridgeOverhead", s);
    m.budgetMs = ctx.settings.overheadP95Ms;
    if (s.p95 !== undefined && s.p95 > ctx.settings.overheadP95Ms) return { ...fail(`p95 ≤ ${ctx.settings.overheadP95Ms} ms`, fmt(s)), metrics: m };
    return pass(fmt(s), m);
  },
} satisfies ConformanceCase;
