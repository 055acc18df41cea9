import type { ConformanceCase } from "../types.js";
import { events, fail, frames, pass, pick, webhookResults, stepMissed } from "../observe.js";

export default {
  id: "lifecycle.redirect.stream-survives",
  level: "SHOULD",
  title: "A REST redirect does not restart the stream",
  expectation: "after updateCall with redirectUrl, the new BXML starts no duplicate stream and the existing stream keeps flowing",
  // bandwidth.md §3.7, §7.6, ED-5 (streams survive a redirect; their names stay taken)
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream", "https://dev.bandwidth.com/apis/voice/#operation/updateCall"],
  outcomes: "no mediaStreamRejected duplicate; media keeps flowing for ≥ 1 s after the redirect",
  scenarios: ["rest-redirect"],
  requires: ["stream"],
  check(c) {
    const redirect = webhookResults(c.call, "redirect")[0];
    if (!redirect) return stepMissed(c, "the REST redirect");
    if (!redirect.data.ok) return fail("BXML in reply to redirect", `${redirect.data.status ?? redirect.data.error}`, pick(redirect));
    const dup = webhookResults(c.call, "mediaStreamRejected").find((e) => e.t > redirect.t);
    const dupConnect = events(c.call, "stream.connect").filter((e) => e.t > redirect.t);
    if (dup || dupConnect.length) return fail("no second StartStream of the same stream", dup ? "mediaStreamRejected (duplicate)" : `a second stream was opened (${dupConnect[0].data.name})`, pick(redirect, dup, dupConnect[0]));
    const after = frames(c.call, "out", "media").filter((e) => e.t > redirect.t + 1_000_000);
    if (!after.length) return fail("media flows after the redirect", "the stream stopped", pick(redirect, events(c.call, "ws.close")[0]));
    return pass("stream kept flowing");
  },
} satisfies ConformanceCase;
