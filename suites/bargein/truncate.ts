import type { ConformanceCase } from "../types.js";
import { fail, pass, pick } from "../observe.js";
import { bargeIn } from "./observe.js";

export default {
  id: "bargein.truncate",
  level: "SHOULD",
  title: "The model is told how much of its reply was heard",
  expectation: "conversation.item.truncate for the playing item with audio_end_ms within ±100 ms of what the carrier played",
  // openai-realtime.md §8.3 (over WebSocket only the client's truncate aligns the transcript)
  docs: ["https://platform.openai.com/docs/api-reference/realtime-client-events/conversation/item/truncate", "https://platform.openai.com/docs/guides/realtime-conversations"],
  outcomes: "one truncate after the barge-in, |audio_end_ms − played ms| ≤ 100",
  scenarios: ["bargein"],
  requires: ["bidirectional", "session"],
  check(c) {
    const b = bargeIn(c);
    if (!b?.replyStart || !b.clear) return fail("a barge-in with clear", "no clear to measure against", pick(b?.onset));
    const truncate = c.sessions.flatMap((s) => s.truncates).find((t) => t.t >= b.onset.t - 50_000);
    if (!truncate) return fail("conversation.item.truncate", "none sent: the model believes the caller heard the whole reply", pick(b.clear));
    const played = (b.clear.t - b.replyStart.t) / 1000;
    const diff = truncate.audioEndMs - played;
    if (Math.abs(diff) > 100) return fail("audio_end_ms within ±100 ms of the audio played", `audio_end_ms ${truncate.audioEndMs}, played ≈ ${Math.round(played)} ms`, pick(b.replyStart, b.clear));
    return pass(`audio_end_ms ${truncate.audioEndMs} vs ≈ ${Math.round(played)} ms played`, { errorMs: Math.round(diff) });
  },
} satisfies ConformanceCase;
