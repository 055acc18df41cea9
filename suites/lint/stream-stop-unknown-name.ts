// §3.8 / §8 #25: StopStream with a name that matches no active stream does nothing, even with
// wait="true". Warn when no earlier StartStream in this document uses the name and it is not a
// generated stream id (`s-…`, as delivered in mediaStreamStarted).
import { boolAttr } from "../../emulator/bxml/values.js";
import { attr, nameOf, pitfallRule, verbs } from "./util.js";

export default pitfallRule({
  id: "stream/stop-unknown-name",
  level: "warning",
  // bandwidth.md §2.22, §3.8, §8 #25
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/stopStream", "https://dev.bandwidth.com/docs/voice/bxml"],
  description: "StopStream naming a stream no earlier StartStream in the document starts (and not an s-… id).",
  find(root, emit) {
    const started = new Set<string>();
    for (const el of verbs(root)) {
      if (el.name === "StartStream") {
        const n = nameOf(el);
        if (n) started.add(n);
      } else if (el.name === "StopStream") {
        const a = attr(el, "name");
        if (!a || a.value === "" || started.has(a.value) || a.value.startsWith("s-")) continue;
        const names = [...started];
        const known = names.length > 0 ? ` Streams started above: ${names.map((n) => `"${n}"`).join(", ")}.` : " No StartStream above has a name.";
        emit(a.valuePos, `no StartStream before this one starts a stream named "${a.value}", so this StopStream does nothing${boolAttr(el, "wait") === true ? " and does not wait" : ""}. Use the StartStream's name (or the s-… id from mediaStreamStarted); ignore this if an earlier document started it.${known}`);
      }
    }
  },
});
