// Call directions of a conformance run, as data (pure). `bwemu test --direction inbound|outbound|both`
// places the scenarios' calls inbound (`initiate`), outbound (`answer`, as REST createCall), or both
// ways. Each (case, direction) is one verdict: with one direction it carries the case id as it always
// did; with both, the inbound verdict keeps the case id and the outbound one is `<case id>@outbound`,
// so every report, the baseline, the shard plan and the merge key verdicts by one string.

import type { ScenarioId } from "./scenarios.js";
import { CALL_DIRECTIONS, type CallDirection, type ConformanceCase } from "./types.js";

/** `--direction`: one direction, or both. */
export const DIRECTION_SETTINGS = ["inbound", "outbound", "both"] as const;
export type DirectionSetting = (typeof DIRECTION_SETTINGS)[number];

/** The directions a setting runs, inbound first (no setting: inbound, as before directions existed). */
export function directionsOf(setting: DirectionSetting | undefined): CallDirection[] {
  return setting === "both" ? [...CALL_DIRECTIONS] : [setting === "outbound" ? "outbound" : "inbound"];
}

/** Between a case or scenario id and the direction it was judged or placed on (`@` is in no id). */
const SEPARATOR = "@";

/** `id` for the inbound direction or a one-direction run, `id@outbound` for outbound in a run of both. */
export function directedId(id: string, direction: CallDirection, directions: readonly CallDirection[]): string {
  return directions.length > 1 && direction !== "inbound" ? `${id}${SEPARATOR}${direction}` : id;
}

/** The case (or scenario) id and the direction a directed id names (none for a plain id). */
export function splitDirected(id: string): { id: string; direction?: CallDirection } {
  const at = id.lastIndexOf(SEPARATOR);
  const dir = at < 0 ? undefined : (CALL_DIRECTIONS as readonly string[]).find((d) => d === id.slice(at + 1));
  return dir ? { id: id.slice(0, at), direction: dir as CallDirection } : { id };
}

/** Why a case is not judged on a direction; undefined when it applies. */
export function directionSkip(c: Pick<ConformanceCase, "directions">, direction: CallDirection): string | undefined {
  if (!c.directions || c.directions.includes(direction)) return undefined;
  const on = c.directions.map((d) => `${d} calls`).join(" and ");
  return `applies to ${on} only; not judged on ${direction} calls (--direction)`;
}

/** One verdict of a run: a case on one direction, with the scenario keys it reads there. */
export interface DirectedCase<C extends Pick<ConformanceCase, "id" | "scenarios" | "directions"> = ConformanceCase> {
  /** The verdict's id (`directedId`). */
  id: string;
  case: C;
  direction: CallDirection;
  /** Scenarios placed for it on this direction (none when the case does not apply there). */
  reads: ScenarioId[];
  /** The same as directed keys, unique across directions (what the shard plan groups). */
  scenarios: string[];
}

/** Every (case, direction) of a selection, case by case (each case's inbound verdict, then its outbound one). */
export function directedCases<C extends Pick<ConformanceCase, "id" | "scenarios" | "directions">>(cases: readonly C[], directions: readonly CallDirection[]): DirectedCase<C>[] {
  return cases.flatMap((c) =>
    directions.map((d) => {
      const reads = directionSkip(c, d) === undefined ? [...c.scenarios] : [];
      return { id: directedId(c.id, d, directions), case: c, direction: d, reads, scenarios: reads.map((s) => directedId(s, d, directions)) };
    }),
  );
}
