// Lint throughput over the fixture corpus beside the raw fast-xml-parser parse rate of the same
// documents (goal: lint within 3× of parsing alone), and the time lintBxml takes on each bad input
// of the issue (goal: < 100 ms each).
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { XMLParser } from "fast-xml-parser";
import { lintBxml } from "../src/lint.js";
import type { BenchReport } from "./types.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../fixtures/bxml");

function corpus(dirs: string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    for (const f of readdirSync(join(fixtures, dir)).filter((n) => n.endsWith(".xml")).sort()) {
      out.push(readFileSync(join(fixtures, dir, f), "utf8"));
    }
  }
  return out;
}

/** Documents per second of `fn` over `docs` in one round of at least `ms`. */
function round(docs: string[], fn: (doc: string) => unknown, ms: number): number {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (const d of docs) fn(d);
    n += docs.length;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (n / elapsed) * 1000;
}

/**
 * Best rate of each function over interleaved rounds: the machine is shared, so alternating the
 * two and keeping each one's best round compares them under the same conditions.
 */
function rates(docs: string[], fns: ((doc: string) => unknown)[], rounds = 6, ms = 250): number[] {
  for (const fn of fns) round(docs, fn, 100); // warm-up
  const best = fns.map(() => 0);
  for (let r = 0; r < rounds; r++) fns.forEach((fn, i) => (best[i] = Math.max(best[i], round(docs, fn, ms))));
  return best;
}

function badInputs(): [string, string | Uint8Array][] {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const bomb =
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' +
    Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">\n`).join("") +
    "]>\n<Response><SpeakSentence>&lol9;</SpeakSentence></Response>\n";
  return [
    ["empty", ""],
    ["not XML (JSON)", '{"verbs": []}'],
    ["binary", Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)],
    ["invalid UTF-8", Buffer.from("<Response><SpeakSentence>Caf\xe9</SpeakSentence></Response>", "latin1")],
    ["BOM", Buffer.concat([bom, Buffer.from('<Response><SpeakSentence>Hi</SpeakSentence></Response>')])],
    ["DOCTYPE entity bomb", bomb],
    ["10 000-deep nesting", "<Response>" + "<a>".repeat(10_000)],
    ["10 000-deep, closed (170 KB)", "<Response>" + "<Gather>".repeat(10_000) + "</Gather>".repeat(10_000) + "</Response>"],
    ["20 MB document", "<Response>\n" + "  <SpeakSentence>a sentence that pads the document to twenty megabytes</SpeakSentence>\n".repeat(260_000) + "</Response>\n"],
  ];
}

/** Median wall time of lintBxml on one input, in ms. */
function timeOne(input: string | Uint8Array, runs = 7): number {
  lintBxml(input);
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    lintBxml(input);
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(t.length / 2)];
}

function compare(label: string, docs: string[], lines: string[], metrics: Record<string, number>, key: string): number {
  const parser = new XMLParser({ ignoreAttributes: false });
  const parse = (d: string) => {
    try {
      return parser.parse(d);
    } catch {
      return undefined; // some invalid fixtures are not XML at all
    }
  };
  const [parseRate, lintRate] = rates(docs, [parse, (d) => lintBxml(d)]);
  const ratio = parseRate / lintRate;
  lines.push(
    `${label}: ${docs.length} documents`,
    `   fast-xml-parser parse: ${parseRate.toFixed(0)} docs/s; lintBxml (parse + platform + pitfall rules): ${lintRate.toFixed(0)} docs/s`,
    `   lint cost: ${ratio.toFixed(2)}× parsing alone (goal ≤ 3×)`,
  );
  Object.assign(metrics, { [`${key}Docs`]: docs.length, [`${key}ParseDocsPerSec`]: parseRate, [`${key}LintDocsPerSec`]: lintRate, [`${key}LintToParseRatio`]: ratio });
  return ratio;
}

export default async function bench(): Promise<BenchReport> {
  const lines: string[] = [];
  const metrics: Record<string, number> = {};
  // The valid corpus is the honest comparison: every document is well-formed, so every rule runs;
  // in the invalid corpus lint often stops at the first input problem while the parser reads on.
  const validRatio = compare("valid corpus (fixtures/bxml/valid)", corpus(["valid"]), lines, metrics, "valid");
  const allRatio = compare("whole corpus (valid + invalid)", corpus(["valid", "invalid"]), lines, metrics, "all");
  const ratio = Math.max(validRatio, allRatio);
  let worst = 0;
  for (const [name, input] of badInputs()) {
    const ms = timeOne(input, input.length > 1_000_000 ? 3 : 7);
    worst = Math.max(worst, ms);
    metrics[`badInputMs:${name}`] = ms;
    lines.push(`bad input "${name}": ${ms.toFixed(2)} ms → ${lintBxml(input)[0]?.ruleId ?? "clean"}`);
  }
  metrics.worstBadInputMs = worst;
  const met = ratio <= 3 && worst < 100;
  lines.push(`ratio goal ${ratio <= 3 ? "met" : "NOT met"}; bad-input goal (< 100 ms each, worst ${worst.toFixed(1)} ms) ${worst < 100 ? "met" : "NOT met"}`);
  return { name: "lint", lines, metrics, goal: { description: "lint within 3× of fast-xml-parser parsing over the corpus, and every bad input < 100 ms", met } };
}
