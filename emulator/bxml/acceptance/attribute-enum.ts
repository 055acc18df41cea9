// OPEN-3: an enumerated attribute (mode, tracks, fileFormat, gender, diversionTreatment,
// diversionReason, SSML values…) whose value is in none of the documented values, compared
// case-insensitively: a value in the wrong case is accepted (ED-6c; the pitfall rule warns). Open
// lists (SpeakSentence voice and locale) are not judged here (OPEN-4: the default voice is used).
import { attributesFor } from "../catalogue/index.js";
import type { Diagnostic } from "../model.js";
import type { PlatformRule } from "./types.js";
import { report, walkKnown } from "./walk.js";

const rule: PlatformRule = {
  id: "bxml/attribute-enum",
  level: "error",
  source: "bandwidth.md §1.7, §2 (attribute tables), §8 row 6, OPEN-3, ED-6c",
  description: "An enumerated attribute whose value is not one of the documented values (in any case).",
  check(root) {
    const out: Diagnostic[] = [];
    walkKnown(root, ({ el, parent, spec }) => {
      if (!spec || !parent) return;
      const attrs = attributesFor(spec, parent.name);
      for (const a of el.attrs) {
        if (!Object.hasOwn(attrs, a.name)) continue;
        const as = attrs[a.name];
        if (as.type !== "ENUM" || !as.values || as.open) continue;
        if (as.required && a.value.trim() === "") continue; // reported as missing
        const v = a.value.trim().toLowerCase();
        if (as.values.some((x) => x.toLowerCase() === v)) continue;
        out.push(report(this, a.valuePos, `${a.name}="${a.value}" on <${el.name}> is not a documented value: use one of ${as.values.join(", ")}.`));
      }
    });
    return out;
  },
};
export default rule;
