// A StartTranscription whose name is already in use on the call is rejected (realTimeTranscriptionRejected, cause `duplicate`).
// A StopTranscription of that name in between frees it (OPEN-12: a stopped name may be reused).
import type { PitfallRule } from "./types.js";
import { TRANSCRIPTIONS, replay } from "./sessions.js";
import { attr, report, where } from "./util.js";
import type { Diagnostic } from "./util.js";

const rule: PitfallRule = {
  id: "transcription/duplicate-name",
  level: "warning",
  // bandwidth.md §2.23, §3.4
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startTranscription", "https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  description: "Two StartTranscription verbs with the same name while the first is still running.",
  check(root) {
    const out: Diagnostic[] = [];
    for (const o of replay(root, TRANSCRIPTIONS)) {
      if (o.kind !== "duplicate") continue;
      const a = attr(o.session.el, "name")!;
      out.push(report(this, a.valuePos, `a transcription named "${a.value}" is already started by the ${where(o.original.el)}: Bandwidth rejects this one (realTimeTranscriptionRejected, cause duplicate). Give each StartTranscription its own name, or <StopTranscription name="${a.value}"/> the first before starting it again.`));
    }
    return out;
  },
};
export default rule;
