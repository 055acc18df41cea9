import type { ConformanceCase } from "../types.js";
import { events, fail, frames, pass } from "../observe.js";
import { MAX_MEDIA_MESSAGE_BYTES as MAX } from "../../emulator/stream/media-stream.js";

export default {
  id: "audio.down.message-size",
  level: "SHOULD",
  title: "No oversized messages",
  expectation: "no single message exceeds 1 MiB",
  // bandwidth.md OPEN-10; pitfall (common WebSocket frame limits)
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "every message ≤ 1 MiB",
  scenarios: ["basic"],
  requires: ["bidirectional"],
  check(c) {
    const all = frames(c.call, "in");
    const big = all.filter((f) => f.data.bytes > MAX);
    const max = all.reduce((m, f) => Math.max(m, f.data.bytes), 0);
    // The carrier refuses a bigger message at its header (close 1009): it is never a frame, only a finding.
    const refused = events(c.call, "finding").filter((f) => f.data.code === "stream.app.message-too-big");
    if (big.length || refused.length) {
      const observed = [big.length ? `${big.length} larger, up to ${max} bytes` : "", ...refused.map((f) => f.data.message)].filter(Boolean).join("; ");
      return fail("≤ 1 MiB per message", observed, [...big.slice(0, 3), ...refused]);
    }
    return pass(`largest ${max} bytes`, { maxBytes: max });
  },
} satisfies ConformanceCase;
