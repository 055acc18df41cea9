// ED-6b: Bandwidth ignores attributes it does not know, so a misspelt one is silently lost (Ruby's
// `destination_username` sends no credentials; Python's `recordCompleteFallback_url` sets no
// fallback). Suggest the documented spelling: the catalogue's known misspellings, snake case
// folded to camel case, or the nearest name. Exceptions handled elsewhere: `name` on Conference
// (conference/name-attribute). Namespace declarations (`xmlns`, `xmlns:*`) are XML, not BXML.
import { attributesFor, getSpec, pitfallRule, walk } from "./util.js";
import { nearest } from "../../emulator/bxml/catalogue/index.js";
import type { BxmlAttribute, BxmlElement, ElementSpec } from "./util.js";

/** Consequences worth spelling out for specific misspellings. */
const CONSEQUENCE: Record<string, string> = {
  destinationUsername: "no Basic credentials are sent on the WebSocket upgrade",
  destinationPassword: "no Basic credentials are sent on the WebSocket upgrade",
  streamEventUrl: "no stream webhooks (mediaStreamStarted/Stopped/Rejected) are sent",
};

const camel = (s: string) => s.replace(/[_-]+([a-zA-Z])/g, (_, c: string) => c.toUpperCase());

/** The documented attribute the user most likely meant, if any. */
export function suggestAttribute(name: string, known: readonly string[], misspellings: Readonly<Record<string, string>> = {}): string | undefined {
  const direct = misspellings[name];
  if (direct && known.includes(direct)) return direct;
  const folded = camel(name).toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === folded);
  if (exact) return exact;
  if (name.length < 4) return undefined;
  return nearest(name, known, 3);
}

function message(el: BxmlElement, a: BxmlAttribute, known: readonly string[], spec: ElementSpec): string {
  const head = `unknown attribute ${a.name} on <${el.name}>: Bandwidth ignores it`;
  const ignored = spec.ignoredAttributes && Object.hasOwn(spec.ignoredAttributes, a.name) ? spec.ignoredAttributes[a.name] : undefined;
  if (ignored) return `${head} (${ignored}). Remove ${a.name}="${a.value}".`;
  const s = suggestAttribute(a.name, known, spec.misspellings);
  if (s) {
    const why = CONSEQUENCE[s] ? ` (so ${CONSEQUENCE[s]})` : "";
    return `${head}${why}. Did you mean ${s}? Write ${s}="${a.value}".`;
  }
  const list = known.length > 0 ? ` Documented attributes of <${el.name}>: ${known.join(", ")}.` : ` <${el.name}> takes no attributes.`;
  return `${head}.${list}`;
}

export default pitfallRule({
  id: "bxml/unknown-attribute",
  level: "warning",
  // bandwidth.md §1.7, ED-6b
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "An attribute the verb does not document (misspelling, snake case): ignored by Bandwidth.",
  find(root, emit) {
    walk(root, (el, parent) => {
      const isRoot = parent === undefined;
      const spec = isRoot ? undefined : getSpec(el.name);
      if (!isRoot && !spec) return; // unknown element or SSML markup: not ours to judge
      // attributesFor: SipUri inside Refer takes no attributes (§2.13).
      const known = spec ? Object.keys(attributesFor(spec, parent?.name)) : [];
      for (const a of el.attrs) {
        if (known.includes(a.name)) continue;
        if (a.name === "xmlns" || a.name.startsWith("xmlns:")) continue;
        if (el.name === "Conference" && a.name === "name") continue;
        if (el.name === "SipUri" && parent?.name === "Refer" && spec && Object.hasOwn(spec.attributes, a.name)) {
          emit(a.pos, `<SipUri> inside <Refer> takes no attributes, so ${a.name} is ignored. Remove it (transfer attributes apply to a SipUri inside <Transfer> only).`);
          continue;
        }
        emit(a.pos, !spec ? `attribute ${a.name} on the root <${el.name}> is ignored: the root has no attributes. Remove it.` : message(el, a, known, spec));
      }
    });
  },
});
