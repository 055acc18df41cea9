// ED-6c: enumeration values have a documented case (lower case for tracks, mode, fileFormat…, upper
// case for methods). The emulator accepts other cases; Bandwidth's behaviour is not documented, and
// the Java SDK emitted `tracks="INBOUND"`. Booleans (`true`/`false`) are judged the same way.
import { pitfallRule, walkSpecs } from "./util.js";

/** The canonical values of an attribute type, or undefined when the type is free-form. */
function canonical(type: string, values: readonly string[] | undefined): readonly string[] | undefined {
  if (type === "ENUM") return values;
  if (type === "METHOD") return ["GET", "POST"];
  if (type === "BOOL") return ["true", "false"];
  return undefined;
}

export default pitfallRule({
  id: "bxml/enum-case",
  level: "warning",
  // bandwidth.md §1.7, ED-6c
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "An enumeration, method or boolean value in a case other than the documented one.",
  find(root, emit) {
    walkSpecs(root, (_el, _spec, attrs) => {
      for (const { a, as } of attrs) {
        if (!as) continue;
        const values = canonical(as.type, as.values);
        if (!values) continue;
        const v = a.value.trim();
        if (values.includes(v)) continue;
        const match = values.find((c) => c.toLowerCase() === v.toLowerCase());
        if (match) {
          emit(a.valuePos, `${a.name}="${a.value}" is not in the documented case: write ${a.name}="${match}". The emulator accepts any case; Bandwidth documents only "${match}".`);
        }
      }
    });
  },
});
