// A StartStream whose name is already in use on the call is rejected (mediaStreamRejected, cause `duplicate`).
// A StopStream of that name in between frees it (OPEN-12: a stopped name may be reused).
import type { PitfallRule } from "./types.js";
import { STREAMS, replay } from "./sessions.js";
import { attr, report, where } from "./util.js";
import type { Diagnostic } from "./util.js";

const rule: PitfallRule = {
  id: "stream/duplicate-name",
  level: "warning",
  // bandwidth.md §3.1 step 2, §3.4, §8 #17
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream", "https://dev.bandwidth.com/docs/voice/bxml"],
  description: "Two StartStream verbs with the same name while the first is still running.",
  check(root) {
    const out: Diagnostic[] = [];
    for (const o of replay(root, STREAMS)) {
      if (o.kind !== "duplicate") continue;
      const a = attr(o.session.el, "name")!;
      out.push(report(this, a.valuePos, `a stream named "${a.value}" is already started by the ${where(o.original.el)}: Bandwidth rejects this one (mediaStreamRejected, cause duplicate). Give each StartStream its own name, or <StopStream name="${a.value}"/> the first before starting it again.`));
    }
    return out;
  },
};
export default rule;
