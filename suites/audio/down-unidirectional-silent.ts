import type { ConformanceCase } from "../types.js";
import { fail, frames, pass, skipped, streamMode } from "../observe.js";

export default {
  id: "audio.down.unidirectional-silent",
  level: "SHOULD",
  title: "A unidirectional stream sends nothing back",
  expectation: "a unidirectional stream receives no playAudio",
  // bandwidth.md §4.6 (bidirectional streams only), OPEN-9
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "no playAudio on a unidirectional stream; skipped for bidirectional streams",
  scenarios: ["basic"],
  requires: ["stream"],
  check(c) {
    if (streamMode(c.call) === "bidirectional") return skipped("bidirectional stream");
    const plays = frames(c.call, "in", "playAudio");
    return plays.length ? fail("no playAudio", `${plays.length} playAudio messages (ignored by the carrier)`, plays.slice(0, 3)) : pass("silent");
  },
} satisfies ConformanceCase;
