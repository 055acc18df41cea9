// OPEN-13: the `start` message carries streamParams as a flat map, so of two StreamParams with the
// same name only the last survives. The same holds for CustomParam in StartTranscription.
import { attr, childElements, pitfallRule, walk } from "./util.js";

const PARAM: Record<string, string> = { StartStream: "StreamParam", StartTranscription: "CustomParam" };

export default pitfallRule({
  id: "bxml/duplicate-param",
  level: "warning",
  // bandwidth.md §2.21, §2.25, §3.4, OPEN-13
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/streamParam", "https://dev.bandwidth.com/docs/voice/bxml/startTranscription", "https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  description: "Two StreamParam (or CustomParam) children with the same name: only the last one arrives.",
  find(root, emit) {
    walk(root, (el) => {
      const noun = PARAM[el.name];
      if (!noun) return;
      const seen = new Map<string, number>();
      for (const p of childElements(el)) {
        if (p.name !== noun) continue;
        const n = attr(p, "name");
        if (!n) continue;
        const first = seen.get(n.value);
        if (first === undefined) seen.set(n.value, p.pos.line);
        else emit(n.valuePos, `a ${noun} named "${n.value}" is already given at line ${first}: the start message carries params as a map, so only the last value arrives. Remove one, or give them distinct names.`);
      }
    });
  },
});
