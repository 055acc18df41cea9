// Splitting a conformance run over CI jobs (`bwemu test --shard i/n`). Pure: every shard computes
// the same plan from the same case selection, with no coordination between jobs.
//
// The rule:
// 1. Scenarios are grouped by case dependency: two scenarios are in one group when some selected
//    case reads both (union-find over each case's `scenarios`). A case with no scenario is a group
//    of its own. So each group holds every scenario its cases read, and each case lies in one group.
//    With `--direction both` a case is judged once per direction, on that direction's calls: the
//    planned ids are `case` and `case@outbound`, the scenarios `basic` and `basic@outbound`. The
//    cases that need the latency calibration are one group, so it runs once, as in one run.
// 2. Each group has a cost: the seconds its scenarios take when run alone (shared scenarios run
//    together, so the longest of them; exclusive ones one after the other; one direction after the
//    other), plus the latency calibration when one of its cases needs it.
// 3. Groups are dealt out longest first (ties: the group whose first scenario comes first in the
//    selection), each to the shard that would end soonest with it (ties: the shard with fewer
//    scenarios, then the lowest shard number).
// Every scenario runs in exactly one shard, every case is judged in exactly one shard (the one
// that ran all its scenarios), and the calibration runs only in the shard that judges the cases
// that need it. A shard may get nothing (more shards than groups): it runs no call and passes.

import { scenarios, type ScenarioId } from "../../suites/scenarios.js";
import { splitDirected } from "../../suites/direction.js";
import { UsageError } from "../exit.js";

/** Cases whose figures rest on the measurement points the latency calibration checks. */
export const CALIBRATED_CASES: ReadonlySet<string> = new Set(["latency.bridge-overhead", "latency.turn"]);

/** One shard of a run: `index` of `total`, counted from 1 (as the CLI writes it). */
export interface ShardSpec {
  index: number;
  total: number;
}

/** Parse `i/n` (1 ≤ i ≤ n). */
export function parseShard(text: string, flag = "--shard"): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UsageError(`${flag}: expected i/n (this job's shard number and the number of shards, e.g. 2/3), got ${JSON.stringify(text)}`);
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || total > 1000) throw new UsageError(`${flag} ${text}: the number of shards must be 1 to 1000`);
  if (index < 1 || index > total) throw new UsageError(`${flag} ${text}: the shard number must be 1 to ${total}`);
  return { index, total };
}

export const shardLabel = (s: ShardSpec): string => `${s.index}/${s.total}`;

/**
 * Estimated seconds per scenario on an idle machine (measured against the reference bridge: a
 * two-turn conversation ~15 s, one utterance ~9 s, calls the carrier caps sooner take their cap).
 * Only the balance between shards depends on these; a scenario missing here costs DEFAULT_COST_S.
 */
export const SCENARIO_COST_S: Partial<Record<ScenarioId, number>> = {
  basic: 15,
  bargein: 12,
  "initiate-no-auth": 3,
  "initiate-get": 4,
  "stream-no-auth": 3,
  "key-order-natural": 9,
  "unknown-event": 9,
  "malformed-frame": 9,
  "socket-drop": 9,
  "stream-rejected": 1,
  "rest-redirect": 15,
  "upstream-error": 9,
  "upstream-drop": 8,
  "burst-media": 15,
  concurrent: 12,
};
const DEFAULT_COST_S = 10;
/** The latency calibration call (direct mode) runs before the scenarios of its shard. */
export const CALIBRATION_COST_S = 12;

/** What planning needs of a case: its id (or a verdict id, `case@outbound`) and the scenarios it reads (or their directed keys). */
export interface PlannedCase {
  id: string;
  scenarios: readonly (ScenarioId | string)[];
}

export interface ShardPart {
  index: number;
  /** Case ids judged in this shard, in selection order. */
  cases: string[];
  /** Scenarios placed in this shard (directed keys with both directions), in selection order. */
  scenarios: string[];
  /** Whether this shard runs the latency calibration. */
  calibration: boolean;
  /** Estimated seconds (for the plan's printout and the balance, not a promise). */
  estimateS: number;
}

export interface PlanOptions {
  /** Cases whose figures need the latency calibration (default: CALIBRATED_CASES). */
  calibrated?: (caseId: string) => boolean;
  costs?: Partial<Record<string, number>>;
  /** Whether a scenario runs alone (default: the scenario catalogue's `exclusive`). */
  exclusive?: (id: string) => boolean;
}

interface Group {
  order: number;
  scenarios: string[];
  cases: string[];
  calibration: boolean;
}

/** Estimated seconds of a set of scenarios in one run (a directed key costs what its scenario does). */
function estimate(ids: readonly string[], calibration: boolean, o: PlanOptions): number {
  const base = (id: string) => splitDirected(id).id as ScenarioId;
  const cost = (id: string) => o.costs?.[id] ?? o.costs?.[base(id)] ?? SCENARIO_COST_S[base(id)] ?? DEFAULT_COST_S;
  const exclusive = o.exclusive ?? ((id: string) => !!scenarios[base(id)]?.exclusive);
  // The directions run one after the other.
  const byDirection = new Map<string, string[]>();
  for (const id of ids) {
    const d = splitDirected(id).direction ?? "inbound";
    byDirection.set(d, [...(byDirection.get(d) ?? []), id]);
  }
  let total = calibration ? CALIBRATION_COST_S : 0;
  for (const dir of byDirection.values()) {
    const shared = dir.filter((id) => !exclusive(id)).map(cost);
    total += (shared.length ? Math.max(...shared) : 0) + dir.filter(exclusive).reduce((a, id) => a + cost(id), 0);
  }
  return total;
}

/** The groups of step 1, in selection order. */
export function groupScenarios(cases: readonly PlannedCase[], o: PlanOptions = {}): Group[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const keyOf = (c: PlannedCase) => (c.scenarios.length ? `s:${c.scenarios[0]}` : `c:${c.id}`);
  for (const c of cases) {
    const keys = c.scenarios.length ? c.scenarios.map((s) => `s:${s}`) : [keyOf(c)];
    // Every case the calibration vouches for joins one group (the calibration runs once).
    if (c.scenarios.length && o.calibrated?.(c.id)) keys.push("calibration");
    for (const k of keys) if (!parent.has(k)) parent.set(k, k);
    for (const k of keys.slice(1)) {
      const a = find(keys[0]);
      const b = find(k);
      if (a !== b) parent.set(b, a);
    }
  }
  const groups = new Map<string, Group>();
  const scenarioOrder = [...new Set(cases.flatMap((c) => c.scenarios))];
  const groupOf = (key: string) => {
    const root = find(key);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { order: groups.size, scenarios: [], cases: [], calibration: false }));
    return g;
  };
  // Groups are numbered in the order their first scenario (or scenario-less case) appears.
  for (const c of cases) groupOf(keyOf(c));
  for (const s of scenarioOrder) groupOf(`s:${s}`).scenarios.push(s);
  for (const c of cases) {
    const g = groupOf(keyOf(c));
    g.cases.push(c.id);
    if (c.scenarios.length && o.calibrated?.(c.id)) g.calibration = true;
  }
  return [...groups.values()].sort((a, b) => a.order - b.order);
}

/** Steps 2 and 3: the part of every shard, shard 1 first. */
export function planShards(cases: readonly PlannedCase[], total: number, opts: PlanOptions = {}): ShardPart[] {
  const o: PlanOptions = { calibrated: (id) => CALIBRATED_CASES.has(splitDirected(id).id), ...opts };
  const groups = groupScenarios(cases, o);
  const parts: (ShardPart & { groups: Group[] })[] = Array.from({ length: total }, (_, i) => ({ index: i + 1, cases: [], scenarios: [], calibration: false, estimateS: 0, groups: [] }));
  const cost = (g: Group) => estimate(g.scenarios, g.calibration, o);
  const byCost = [...groups].sort((a, b) => cost(b) - cost(a) || a.order - b.order);
  for (const g of byCost) {
    // The shard that ends soonest with the group added; on a tie the one with fewer scenarios (less
    // load at once), then the lowest number.
    let best = parts[0];
    let bestS = Infinity;
    for (const p of parts) {
      const s = estimate([...p.scenarios, ...g.scenarios], p.calibration || g.calibration, o);
      if (s < bestS || (s === bestS && p.scenarios.length < best.scenarios.length)) [best, bestS] = [p, s];
    }
    best.groups.push(g);
    best.scenarios.push(...g.scenarios);
    best.calibration ||= g.calibration;
    best.estimateS = bestS;
  }
  // Within a shard, cases and scenarios keep the selection's order.
  const caseOrder = new Map(cases.map((c, i) => [c.id, i]));
  const scenarioOrder = new Map([...new Set(cases.flatMap((c) => c.scenarios))].map((s, i) => [s, i]));
  return parts.map(({ groups: gs, ...p }) => ({
    ...p,
    cases: gs.flatMap((g) => g.cases).sort((a, b) => caseOrder.get(a)! - caseOrder.get(b)!),
    scenarios: [...p.scenarios].sort((a, b) => scenarioOrder.get(a)! - scenarioOrder.get(b)!),
  }));
}
