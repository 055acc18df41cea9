// The docs/ folder as data: one Markdown page per conformance case and per lint rule, plus the index,
// rendered from the case and rule files themselves (ids, levels, titles, descriptions, public pages),
// so the pages cannot drift from the code. `npm run docs` writes them; a test compares the committed
// files with this output. Pages are relative-linked so they read the same on GitHub and in the package.
import { existsSync, readFileSync } from "node:fs";
import { CASE_GROUPS, loadCases } from "../../suites/runner.js";
import { scenarios } from "../../suites/scenarios.js";
import { REQUIREMENTS } from "../../suites/preconditions.js";
import type { ConformanceCase } from "../../suites/types.js";
import { groupOf } from "../../suites/types.js";
import { PUBLIC_PAGES } from "../../emulator/references.js";
import { DECISIONS, DECISIONS_PAGE, type CarrierDecision } from "../../emulator/decisions.js";
import { CARRIER_CONFIG_KEYS } from "../config.js";
import { casePage, rulePage } from "../../reports/help.js";
import { INTERNAL_ERROR, lintBxml, lintRules, type LintOptions, type LintRuleInfo } from "../lint.js";

/** docs/ files this generator owns (relative paths → content). Hand-written pages (ci.md) are not in it. */
export type DocsTree = Map<string, string>;

const GROUPS: Record<(typeof CASE_GROUPS)[number], string> = {
  answer: "The answer webhook: HTTP, BXML, the stream it starts",
  stream: "The media WebSocket: upgrade, start / media / stop frames, teardown",
  audio: "Audio both ways: format, integrity, message shape",
  bargein: "Barge-in: clear and truncate when the caller talks over the agent",
  events: "Stream event webhooks: acknowledged in time",
  lifecycle: "The call's life: Voice API updates, redirects",
  latency: "Latency measured at the carrier, as a caller hears it",
  resilience: "Faults: upstream errors and drops, bursts, slow replies, concurrent calls",
};

const LEVELS: Record<ConformanceCase["level"], string> = {
  MUST: "MUST: a failure is `fail` and fails the run (exit 1).",
  SHOULD: "SHOULD: a failure is `non-strict`; it fails the run only with `--strict`.",
  INFO: "INFO: always `info`; the observation and its metrics are reported, never judged.",
};

const KINDS: Record<LintRuleInfo["kind"], string> = {
  platform: "platform rule: Bandwidth rejects the document (the call fails with an invalid-BXML error); `bwemu test` fails `answer.bxml.valid`.",
  pitfall: "pitfall rule: Bandwidth accepts the document, but it does not do what its author meant.",
};

/** Markdown text with `<`, `>` and `&` escaped outside code spans (BXML element names would vanish as HTML). */
export function mdText(s: string): string {
  return s
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|")))
    .join("");
}

const NO_PAGE = "No public page covers this: it is a pitfall bwemu checks from experience with real bridges.";

function docsList(urls: readonly string[], none = NO_PAGE): string[] {
  if (urls.length === 0) return [none];
  return urls.map((u) => `- [${mdText(PUBLIC_PAGES.get(u) ?? u)}](${u})`);
}

/** From `dir/page.md` back to the docs root. */
function up(path: string): string {
  return "../".repeat(path.split("/").length - 1);
}

function casePageText(c: ConformanceCase): string {
  const path = casePage(c.id);
  const lines = [
    `# ${c.id}`,
    "",
    `**${mdText(c.title)}**`,
    "",
    `| Level | Group | Scenarios |`,
    `| --- | --- | --- |`,
    `| ${c.level} | ${groupOf(c.id)} | ${c.scenarios.map((s) => `\`${s}\``).join(", ")} |`,
    "",
    "## What a conformant bridge does",
    "",
    `${mdText(c.expectation[0].toUpperCase() + c.expectation.slice(1))}.`,
    "",
    "## Acceptable outcomes",
    "",
    `${mdText(c.outcomes)}.`,
    "",
    "## Verdict",
    "",
    LEVELS[c.level],
    "",
    ...(c.requires?.length ? ["## Before it judges", "", ...c.requires.map((r) => `- ${REQUIREMENTS[r].needs}.`), ""] : []),
    ...(c.directions ? ["## Call directions", "", `Judged on ${c.directions.join(" and ")} calls only; \`skipped\` on the other (\`--direction\`).`, ""] : []),
    "## Calls it reads",
    "",
    ...c.scenarios.map((s) => `- \`${s}\`: ${mdText(scenarios[s].description)}.`),
    "",
    "## Public documentation",
    "",
    ...docsList(c.docs),
    "",
    "## Run only this case",
    "",
    "```sh",
    `npx bwemu test --app https://your-bridge.example/answer --cases '${c.id}'`,
    "```",
    "",
    `[All cases](${up(path)}README.md#conformance-cases)`,
    "",
  ];
  return lines.join("\n");
}

/** A failing example for a rule, from fixtures/bxml/invalid (`area.name.xml`), with what lint says about it. */
function example(rule: LintRuleInfo, fixturesDir: URL): string[] {
  const base = new URL(`${rule.id.replace("/", ".")}`, fixturesDir);
  const xml = new URL(`${base.href}.xml`);
  if (!existsSync(xml)) return [];
  const bytes = readFileSync(xml);
  if (bytes.length > 2048) return [];
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return [];
  }
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) return [];
  const optionsFile = new URL(`${base.href}.options.json`);
  const options: LintOptions = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, "utf8")) as LintOptions) : {};
  const found = lintBxml(text, { ...options, file: "answer.xml" }).filter((d) => d.ruleId === rule.id);
  if (found.length === 0) return [];
  const fence = text.includes("```") ? "~~~~" : "```";
  return [
    "## Example",
    "",
    ...(options.context ? [`A document served as \`${options.context}\` BXML:`, ""] : []),
    `${fence}xml`,
    text.trimEnd(),
    fence,
    "",
    "`bwemu lint answer.xml` reports:",
    "",
    "```text",
    ...found.map((d) => `answer.xml:${d.line}:${d.col}  ${d.level}  ${d.ruleId}  ${d.message}`),
    "```",
    "",
  ];
}

function rulePageText(rule: LintRuleInfo, fixturesDir: URL): string {
  const path = rulePage(rule.id);
  const lines = [
    `# ${rule.id}`,
    "",
    `| Level | Kind |`,
    `| --- | --- |`,
    `| ${rule.level} | ${rule.kind} |`,
    "",
    mdText(rule.description),
    "",
    ...(rule === INTERNAL ? [] : [`This is a ${KINDS[rule.kind]}`, ""]),
    ...example(rule, fixturesDir),
    "## Public documentation",
    "",
    ...docsList(rule.docs, rule === INTERNAL ? "None: this is bwemu's own error. Please report it with the document that caused it." : NO_PAGE),
    "",
    `[All lint rules](${up(path)}README.md#lint-rules)`,
    "",
  ];
  return lines.join("\n");
}

function indexText(cases: ConformanceCase[], rules: readonly LintRuleInfo[]): string {
  const lines = [
    "# bwemu documentation",
    "",
    "<!-- Generated by `npm run docs` from the case and rule files; edit those, not this page. -->",
    "",
    "bwemu checks a Bandwidth voice bridge the way the carrier would call it. Every verdict `bwemu test` gives and every",
    "finding `bwemu lint` reports links one of the pages below; each page links Bandwidth's or OpenAI's public documentation",
    "where one exists.",
    "",
    "- [Running bwemu in CI](ci.md): a GitHub Actions workflow, the composite action, annotations and SARIF.",
    `- [Carrier decisions](${DECISIONS_PAGE}): what bwemu's carrier does where Bandwidth's public documentation is silent, and how to change it.`,
    "",
    "## Verdicts",
    "",
    "| Verdict | Meaning |",
    "| --- | --- |",
    "| `pass` | The bridge did what the case requires. |",
    "| `fail` | A MUST case failed: the run fails (exit 1). |",
    "| `non-strict` | A SHOULD case failed: reported; the run fails only with `--strict`. |",
    "| `info` | An INFO case's observation (metrics), never judged. |",
    "| `unimplemented` | The bridge does not offer the feature the case needs (for example no bidirectional stream). |",
    "| `skipped` | The case did not apply to this run (excluded, or a precondition is missing). |",
    "| `error` | bwemu itself could not judge the case (exit 3); never blamed on the bridge. |",
    "",
    "## Conformance cases",
    "",
    `${cases.length} cases in ${CASE_GROUPS.length} groups. Select some with \`--cases\` / \`--exclude\` (globs on the ids).`,
    "",
    "The scenarios' calls are inbound (`initiate` to the app) by default; `--direction outbound` places them as REST createCall " +
      "would (`answer` to the answerUrl), and `--direction both` judges every case on each direction: the outbound verdict's id is " +
      "`<case id>@outbound`. A case that exists on one direction only says so on its page and is `skipped` on the other.",
    "",
  ];
  for (const g of CASE_GROUPS) {
    const inGroup = cases.filter((c) => groupOf(c.id) === g);
    if (inGroup.length === 0) continue;
    lines.push(`### ${g}`, "", `${GROUPS[g]}.`, "", "| Case | Level | Title |", "| --- | --- | --- |");
    for (const c of inGroup) lines.push(`| [${c.id}](${casePage(c.id)}) | ${c.level} | ${mdText(c.title)} |`);
    lines.push("");
  }
  lines.push(
    "## Lint rules",
    "",
    `${rules.length} rules. Platform rules are what Bandwidth rejects; pitfall rules are what it accepts but does not do what was meant.`,
    "`bwemu lint --list-rules` prints the same list.",
    "",
    "| Rule | Level | Kind | What it finds |",
    "| --- | --- | --- | --- |",
  );
  for (const r of rules) lines.push(`| [${r.id}](${rulePage(r.id)}) | ${r.level} | ${r.kind} | ${mdText(r.description)} |`);
  lines.push("");
  return lines.join("\n");
}

function decisionsPageText(): string {
  const entries = Object.entries(DECISIONS) as [string, CarrierDecision][];
  const lines = [
    "# Carrier decisions",
    "",
    "<!-- Generated by `npm run docs` from emulator/decisions.ts; edit that, not this page. -->",
    "",
    "Bandwidth's public pages leave some of the carrier's behaviour open. Where they do, bwemu decides the way the live",
    "carrier most plausibly behaves, and the choice is listed here: what bwemu does, and how to change it where it can be",
    "changed. A finding, note or error message that rests on one of these choices links its section.",
    "",
    "A setting is the carrier's: `new Carrier({ settings })`, `placeCall(call, { settings })` and `startBwemu({ settings })` in",
    "`bwemu`'s API take it; where `bwemu.config.ts` has it, its `carrier` section sets it for `bwemu test` and `bwemu serve`.",
    "Flags are named where a command offers one.",
    "",
    "| Decision | The open question |",
    "| --- | --- |",
    ...entries.map(([key, d]) => `| [${key}](#${key}) | ${mdText(d.question)} |`),
    "",
  ];
  for (const [key, d] of entries) {
    lines.push(`## ${key}`, "", `**${mdText(d.question)}**`, "", mdText(d.decision), "");
    const inConfig = d.setting && (CARRIER_CONFIG_KEYS as string[]).includes(d.setting) ? `, \`carrier.${d.setting}\` in \`bwemu.config.ts\`` : "";
    if (d.setting) lines.push(`- Setting: \`${d.setting}\`${inConfig}${d.change ? `; ${mdText(d.change)}` : ""}.`);
    else lines.push("- Not configurable.");
    lines.push(...docsList(d.docs).map((l) => l.replace(/^- /, "- Public page: ")), "");
  }
  return lines.join("\n");
}

/** Not a rule: what a rule's own crash is reported as (it has a page because diagnostics link it). */
const INTERNAL: LintRuleInfo = {
  id: INTERNAL_ERROR,
  level: "error",
  kind: "platform",
  description: "A bwemu rule failed on the document (a bwemu bug, never the document's fault): please report the document.",
  docs: [],
  source: "",
};

/** Every generated page, keyed by its path under docs/. */
export async function generateDocs(fixturesDir = new URL("../../fixtures/bxml/invalid/", import.meta.url)): Promise<DocsTree> {
  const cases = await loadCases();
  const tree: DocsTree = new Map();
  tree.set("README.md", indexText(cases, lintRules));
  tree.set(DECISIONS_PAGE, decisionsPageText());
  for (const c of cases) tree.set(casePage(c.id), casePageText(c));
  for (const r of [...lintRules, INTERNAL]) tree.set(rulePage(r.id), rulePageText(r, fixturesDir));
  return tree;
}

/** The folders under docs/ whose every file the generator owns (stale files there are drift too). */
export const GENERATED_DIRS = ["cases", "rules"] as const;
