// docs/ is generated from the case and rule files: the committed pages must be exactly what the
// generator produces from the code (so an id, level, title or link cannot drift), every page a
// report or a diagnostic links must exist, and nothing user-facing names our private reference files.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generateDocs } from "../../src/docs/generate.js";
import { docsDrift, DOCS_DIR } from "../../src/docs/main.js";
import { loadCases } from "../../suites/runner.js";
import { lintRules, lintBxml } from "../../src/lint.js";
import { casePage, caseHelpUrl, DOCS_BASE, rulePage, ruleHelpUrl } from "../../reports/help.js";
import { PUBLIC_PAGES } from "../../emulator/references.js";
import { catalogue } from "../../emulator/bxml/catalogue/index.js";
import { DECISIONS, DECISIONS_PAGE, decisionUrl, type DecisionKey } from "../../emulator/decisions.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PRIVATE_NAMES = /bandwidth\.md|conformance\.md|openai-realtime\.md|\.\.\/shared|shared\/spec/;

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".md"))
    .map((e) => join(e.parentPath, e.name));
}

describe("docs/", () => {
  it("is exactly what `npm run docs` generates from the cases and rules (run it after changing one)", async () => {
    const tree = await generateDocs();
    const drift = docsDrift(tree);
    expect(drift, "run `npm run docs` and commit docs/").toEqual({ changed: [], stale: [] });
  });

  it("has a page for every case and every rule, which the help URLs point at", async () => {
    for (const c of await loadCases()) {
      expect(existsSync(join(DOCS_DIR, casePage(c.id))), c.id).toBe(true);
      expect(caseHelpUrl(c.id)).toBe(`${DOCS_BASE}${casePage(c.id)}`);
      const page = readFileSync(join(DOCS_DIR, casePage(c.id)), "utf8");
      expect(page).toContain(`| ${c.level} |`);
      for (const u of c.docs) expect(page).toContain(`(${u})`);
    }
    for (const r of [...lintRules.map((x) => x.id), "bxml/internal-error"]) {
      expect(existsSync(join(DOCS_DIR, rulePage(r))), r).toBe(true);
      expect(ruleHelpUrl(r)).toBe(`${DOCS_BASE}${rulePage(r)}`);
    }
  });

  it("has a section for every carrier decision, which decisionUrl points at", () => {
    const page = readFileSync(join(DOCS_DIR, DECISIONS_PAGE), "utf8");
    for (const key of Object.keys(DECISIONS) as DecisionKey[]) {
      expect(page, key).toContain(`\n## ${key}\n`);
      expect(decisionUrl(key)).toBe(`${DOCS_BASE}${DECISIONS_PAGE}#${key}`);
    }
    expect(readFileSync(join(DOCS_DIR, "README.md"), "utf8")).toContain(`](${DECISIONS_PAGE})`);
  });

  it("links only pages that exist (relative links) and known public pages (absolute links)", () => {
    const files = markdownFiles(DOCS_DIR);
    expect(files.length).toBeGreaterThan(90);
    for (const f of files) {
      for (const m of readFileSync(f, "utf8").matchAll(/\]\(([^)\s]+)\)/g)) {
        const href = m[1];
        if (/^https?:/.test(href)) {
          const known = PUBLIC_PAGES.has(href) || href.startsWith("https://github.com/") || href.startsWith("https://docs.github.com/");
          expect(known, `${f}: ${href}`).toBe(true);
        } else expect(existsSync(resolve(dirname(f), href.replace(/#.*$/, ""))), `${f}: ${href}`).toBe(true);
      }
    }
  });

  it("every public page the data cites is https on Bandwidth's, OpenAI's or a standards body's site", () => {
    for (const u of PUBLIC_PAGES.keys()) expect(u).toMatch(/^https:\/\/(dev\.bandwidth\.com|platform\.openai\.com|www\.w3\.org|www\.rfc-editor\.org)\//);
    for (const spec of Object.values(catalogue)) for (const u of spec.docs) expect(PUBLIC_PAGES.has(u), u).toBe(true);
    for (const r of lintRules) for (const u of r.docs) expect(PUBLIC_PAGES.has(u), `${r.id}: ${u}`).toBe(true);
  });
});

describe("nothing a user reads names our private reference files", () => {
  it("not the README, docs/, action.yml, case texts, rule descriptions or diagnostics", async () => {
    for (const f of [join(ROOT, "README.md"), join(ROOT, "action.yml"), ...markdownFiles(DOCS_DIR)]) expect(readFileSync(f, "utf8"), f).not.toMatch(PRIVATE_NAMES);
    for (const c of await loadCases()) expect(JSON.stringify({ ...c, check: undefined }), c.id).not.toMatch(PRIVATE_NAMES);
    for (const r of lintRules) expect(JSON.stringify(r), r.id).not.toMatch(PRIVATE_NAMES);
    // Every diagnostic the invalid corpus produces (messages and sources), as users see them.
    const dir = join(ROOT, "fixtures/bxml/invalid");
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".xml"))) {
      const opts = existsSync(join(dir, f.replace(/\.xml$/, ".options.json"))) ? JSON.parse(readFileSync(join(dir, f.replace(/\.xml$/, ".options.json")), "utf8")) : {};
      for (const d of lintBxml(readFileSync(join(dir, f)), opts)) {
        expect(JSON.stringify(d), f).not.toMatch(PRIVATE_NAMES);
        expect(d.message, f).not.toMatch(/§/);
      }
    }
  });
});
