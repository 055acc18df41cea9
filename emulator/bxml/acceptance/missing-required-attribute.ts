// OPEN-3: a required attribute that is absent (or empty) makes the document invalid. Includes the
// conditional requirement of SSML say-as (`format` with interpret-as="date", §2.17).
import { attributesFor } from "../catalogue/index.js";
import { attr, type Diagnostic } from "../model.js";
import type { PlatformRule } from "./types.js";
import { report, walkKnown } from "./walk.js";

const rule: PlatformRule = {
  id: "bxml/missing-required-attribute",
  level: "error",
  source: "bandwidth.md §2 (Req column), §8 row 6, OPEN-3",
  description: "A required attribute is missing or empty (e.g. StartStream destination, Redirect redirectUrl, StopStream name).",
  check(root) {
    const out: Diagnostic[] = [];
    walkKnown(root, ({ el, parent, spec }) => {
      if (!spec || !parent) return;
      for (const [name, as] of Object.entries(attributesFor(spec, parent.name))) {
        let required = as.required === true;
        let condition = "";
        if (!required && as.requiredWhen) {
          const other = attr(el, as.requiredWhen.attribute)?.value.trim().toLowerCase();
          required = other === as.requiredWhen.equals.toLowerCase();
          condition = ` when ${as.requiredWhen.attribute}="${as.requiredWhen.equals}"`;
        }
        if (!required) continue;
        const a = attr(el, name);
        const what = as.note ? ` (${as.note})` : "";
        if (!a) {
          out.push(report(this, el.pos, `<${el.name}> requires \`${name}\`${what}${condition}: add ${name}="…". Without it Bandwidth rejects the document (invalid-bxml).`));
        } else if (a.value.trim() === "") {
          out.push(report(this, a.pos, `\`${name}\` on <${el.name}> is empty but required${what}${condition}: give it a value.`));
        }
      }
    });
    return out;
  },
};
export default rule;
