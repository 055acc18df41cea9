import type { ConformanceCase } from "../types.js";
import { fail, firstCall, frames, needsBidirectional, pass } from "../observe.js";

const MAX = 1024 * 1024;

export default {
  id: "audio.down.message-size",
  level: "SHOULD",
  title: "No oversized messages",
  expectation: "no single message exceeds 1 MiB",
  // bandwidth.md OPEN-10; pitfall (common WebSocket frame limits)
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "every message ≤ 1 MiB",
  scenarios: ["basic"],
  check(ctx) {
    const c = firstCall(ctx, "basic");
    if ("verdict" in c) return c;
    const no = needsBidirectional(c);
    if (no) return no;
    const all = frames(c.call, "in");
    const big = all.filter((f) => f.data.bytes > MAX);
    const max = all.reduce((m, f) => Math.max(m, f.data.bytes), 0);
    return big.length ? fail("≤ 1 MiB per message", `${big.length} larger, up to ${max} bytes`, big.slice(0, 3)) : pass(`largest ${max} bytes`, { maxBytes: max });
  },
} satisfies ConformanceCase;
