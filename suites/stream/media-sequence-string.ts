import type { ConformanceCase } from "../types.js";
import { events, fail, frames, pass, pick } from "../observe.js";

export default {
  id: "stream.media.sequence-string",
  level: "MUST",
  title: "String sequence numbers are accepted",
  expectation: "media frames with sequenceNumber as a string (\"1\", \"2\", …) are accepted",
  // bandwidth.md §4.3, ED-1 (live wire: a decimal string from "1")
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "the bridge keeps the stream and relays audio (upstream appends), no error close",
  scenarios: ["basic"],
  requires: ["stream"],
  check(c, ctx) {
    const media = frames(c.call, "out", "media");
    if (!media.length) return fail("media frames sent", "none");
    const close = events(c.call, "ws.close").find((e) => e.data.by !== "carrier");
    if (close && close.data.code !== 1000 && close.data.code !== 1001 && close.t < media[Math.min(media.length - 1, 50)].t)
      return fail("the stream continues after the first media frames", `closed ${close.data.code} "${close.data.reason}"`, pick(media[0], close));
    if (ctx.settings.realtime === "stub" && c.sessions.length && c.sessions[0].appendCount === 0)
      return fail("audio relayed upstream", "the bridge appended no audio", pick(media[0]));
    return pass(`${media.length} media frames, sequence "${media[0].data.sequenceNumber}"…`);
  },
} satisfies ConformanceCase;
