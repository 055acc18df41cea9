// The duplicate-name and track-limit rules, once for both session families (streams §3.1 steps 2–3,
// transcriptions §2.23): each rule file is one line that names its family and its public docs.
import type { PitfallRule } from "./types.js";
import { replay, type Family } from "./sessions.js";
import { attr, pitfallRule, where } from "./util.js";

/** A start whose name is already in use on the call is rejected, cause `duplicate`. */
export function duplicateNameRule(f: Family, docs: readonly string[]): PitfallRule {
  return pitfallRule({
    id: `${f.prefix}/duplicate-name`,
    level: "warning",
    docs,
    description: `Two ${f.start} verbs with the same name while the first is still running.`,
    find(root, emit) {
      for (const o of replay(root, f)) {
        if (o.kind !== "duplicate") continue;
        const a = attr(o.session.el, "name")!;
        emit(a.valuePos, `a ${f.noun} named "${a.value}" is already started by the ${where(o.original.el)}: Bandwidth rejects this one (${f.rejected}, cause duplicate). Give each ${f.start} its own name, or <${f.stop} name="${a.value}"/> the first before starting it again.`);
      }
    },
  });
}

/** At most 4 tracks per call across running starts (`both` counts 2); one more is rejected, cause `track-limit`. */
export function trackLimitRule(f: Family, docs: readonly string[]): PitfallRule {
  return pitfallRule({
    id: `${f.prefix}/track-limit`,
    level: "warning",
    docs,
    description: `More than 4 concurrent tracks across ${f.start} verbs (tracks="both" counts 2).`,
    find(root, emit) {
      for (const o of replay(root, f)) {
        if (o.kind !== "track-limit") continue;
        emit(o.session.el.pos, `this ${f.start} would bring the call to ${o.activeTracks + o.session.weight} tracks (${o.activeTracks} already running; tracks="both" counts 2), over Bandwidth's limit of 4: it is rejected (${f.rejected}, cause track-limit). ${f.fewer}, or stop an earlier one with <${f.stop} name="…"/> first.`);
      }
    },
  });
}
