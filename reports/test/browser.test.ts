// The HTML report in a real browser: Debian's chromium driven by playwright-core, the report opened
// from disk (file://) exactly as a user would. Skips (with the reason) when /usr/bin/chromium is
// missing; CI installs it (.ci/run).
//
// Screenshot baseline: `reports/test/__baseline__/report.png`, the report of
// fixtures/reports/run-full.json at 1280×900 CSS px (full page), light scheme, reduced motion,
// animations disabled, fonts pinned to DejaVu Sans / DejaVu Sans Mono. Compared with pixelmatch:
// per-pixel threshold 0.1 (YIQ distance, pixelmatch's default) and at most 0.2 % differing pixels.
// Two consecutive runs on the same machine differed by 0 pixels; the budget absorbs anti-aliasing
// drift between Chromium builds, while any real layout change (a moved section, a changed colour)
// differs by far more. Update after a deliberate change:
//   UPDATE_BASELINE=1 npx vitest run reports/test/browser.test.ts

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYLOADS } from "../../fixtures/reports/make-fixtures.js";
import { renderHtml } from "../html/render.js";
import type { RunResult } from "../model.js";
import { parseRunResult } from "../validate.js";
import { inlineAudio } from "../write.js";
import { DOCS_BASE, ruleHelpUrl } from "../help.js";
import { PUBLIC_PAGES } from "../../emulator/references.js";
import { lintRules } from "../../src/lint.js";
import { closeAfterEach } from "../../test/support/cleanup.js";
import { CHROMIUM, HAVE_CHROMIUM, MAX_DIFF_RATIO, checkScreenshot, launchChromium, watchPage } from "../../test/support/chromium.js";

if (!HAVE_CHROMIUM) console.warn(`reports/test/browser.test.ts: SKIPPED, ${CHROMIUM} not found (apt-get install -y chromium)`);

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "../../fixtures/reports");
const BASELINE = join(here, "__baseline__", "report.png");
const DOCS = join(here, "../../docs");
const OUTPUT = join(here, "../../out/report-screenshot");

const load = (name: string): RunResult => parseRunResult(readFileSync(join(fixtures, `run-${name}.json`), "utf8"), name);

describe.skipIf(!HAVE_CHROMIUM)("HTML report in Chromium", () => {
  let browser: Browser;
  let dir: string;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bwemu-report-"));
    for (const name of ["full", "hostile", "empty"]) {
      const run = await inlineAudio(load(name), fixtures);
      files[name] = join(dir, `${name}.html`);
      writeFileSync(files[name], renderHtml(run));
    }
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const closing = closeAfterEach();

  /** Open a report with traps for script execution, dialogs, console errors and network; its context closes after the test. */
  async function open(file: string, opts: { colorScheme?: "light" | "dark" } = {}) {
    const context = closing(await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, colorScheme: opts.colorScheme ?? "light", reducedMotion: "reduce" }));
    const page = await context.newPage();
    const { problems, dialogs } = watchPage(page);
    const requests: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url());
    });
    // The trap: any payload that runs sets window.__pwned (or calls alert).
    await page.addInitScript(() => {
      Object.defineProperty(window, "__pwned", { configurable: true, set(v) { (window as unknown as { __trap: unknown[] }).__trap.push(v); }, get() { return undefined; } });
      (window as unknown as { __trap: unknown[] }).__trap = [];
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 30_000 });
    return { page, problems, requests, dialogs };
  }

  async function waitForAudio(page: Page) {
    await page.waitForFunction(() => Array.from(document.querySelectorAll("audio")).every((a) => a.readyState >= 1 && Number.isFinite(a.duration)), null, { timeout: 20_000 });
  }

  it("renders the matrix, expands a case on click, loads audio, and logs nothing", async () => {
    const { page, problems, requests } = await open(files.full);
    const rows = page.locator("table.matrix tbody tr");
    expect(await rows.count()).toBe(8);
    expect(await page.locator("table.matrix a.tile").count()).toBe(26);
    await expect.poll(() => page.locator("header .status").innerText()).toContain("2 failing cases");

    // A passing case starts closed; clicking its summary opens it and shows expected content.
    const kase = page.locator('details.case[data-verdict="pass"]').first();
    expect(await kase.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await kase.locator("summary").click();
    expect(await kase.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await kase.locator(".case-body").isVisible()).toBe(true);

    // A matrix tile opens the case it names (hash navigation).
    await page.locator('a.tile[href="#case-bargein.truncate"]').click();
    await page.waitForFunction(() => (document.getElementById("case-bargein.truncate") as HTMLDetailsElement | null)?.open === true, null, { timeout: 5_000 });

    // Keyboard: Enter on a focused summary toggles it.
    const second = page.locator('details.case[data-verdict="info"]').first();
    await second.locator("summary").focus();
    await page.keyboard.press("Enter");
    expect(await second.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);

    // Verdict filter hides passing cases.
    await page.locator('button[data-filter="pass"]').click();
    expect(await page.locator('details.case[data-verdict="pass"]:visible').count()).toBe(0);
    expect(await page.locator('details.case[data-verdict="fail"]:visible').count()).toBe(3);

    // Audio: every player has decoded metadata (duration from the embedded WAV).
    await waitForAudio(page);
    const audio = await page.locator("audio").evaluateAll((as) => as.map((a) => ({ rs: (a as HTMLAudioElement).readyState, d: (a as HTMLAudioElement).duration })));
    expect(audio.length).toBe(4); // caller, returned, heard of call 1 + caller of call 2 (inlined from its path)
    for (const a of audio) expect(a.d).toBeGreaterThan(1);
    expect(audio[0].d).toBeCloseTo(4.2, 1);

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("links each failed case and each finding to its docs page, which exists and opens", async () => {
    const { page } = await open(files.full);
    const failed = page.locator('details.case[data-verdict="fail"]');
    expect(await failed.count()).toBe(3);
    const docs = await failed.locator("a.docs-link").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    expect(docs).toHaveLength(3);
    const findings = await page.locator(".diag a.docs-link").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    const known = new Set(lintRules.map((r) => ruleHelpUrl(r.id)));
    expect(findings.filter((h) => known.has(h)).length).toBeGreaterThan(0);
    for (const href of [...docs, ...findings.filter((h) => known.has(h))]) {
      expect(href.startsWith(DOCS_BASE), href).toBe(true);
      expect(existsSync(join(DOCS, href.slice(DOCS_BASE.length))), href).toBe(true);
    }
    const sources = await page.locator("a.source-link").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) expect(PUBLIC_PAGES.has(s), s).toBe(true);
    // Follow one: the published URL is served from this checkout's docs/ (no network), and it is the case's page.
    await page.route(`${DOCS_BASE}**`, (route) => route.fulfill({ path: join(DOCS, new URL(route.request().url()).pathname.split("/docs/")[1]), contentType: "text/plain; charset=utf-8" }));
    const link = failed.first().locator("a.docs-link");
    const id = await failed.first().locator("summary .id").innerText();
    await link.scrollIntoViewIfNeeded();
    await Promise.all([page.waitForURL(docs[0]), link.click()]);
    expect(await page.locator("body").innerText()).toMatch(new RegExp(`^# ${id.replace(/\./g, "\\.")}\n`));
  });

  it("never runs a bridge's script payloads, and the CSP would stop one that slipped through", async () => {
    const { page, problems, requests, dialogs } = await open(files.hostile);
    await page.evaluate(() => document.querySelectorAll("details").forEach((d) => ((d as HTMLDetailsElement).open = true)));
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __trap: unknown[] }).__trap)).toEqual([]);
    expect(dialogs()).toBe(0);
    expect(await page.locator("img, iframe, svg[onload], [onerror]").count()).toBe(0);
    expect(await page.locator("script").count()).toBe(1);
    // The payloads are shown as text.
    const text = await page.locator("body").innerText();
    expect(text).toContain(`<script>window.__pwned="script"</script>`);
    expect(text).toContain(`"><img src=x onerror=`);
    // No link goes anywhere but http(s) or a fragment.
    const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    for (const h of hrefs) expect(h).toMatch(/^(#|https?:)/);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(PAYLOADS.length).toBeGreaterThan(5);

    // Belt and braces: inject a script the escaping would never let through; the CSP blocks it.
    const injected = join(dir, "injected.html");
    writeFileSync(injected, readFileSync(files.hostile, "utf8").replace("</main>", `<script>window.__pwned="csp"</script><img src=x onerror="window.__pwned='csp-img'"></main>`));
    const second = await open(injected);
    await second.page.waitForTimeout(300);
    expect(await second.page.evaluate(() => (window as unknown as { __trap: unknown[] }).__trap)).toEqual([]);
    expect(second.problems.join("\n")).toMatch(/Content Security Policy/);
  });

  it("renders an empty run and the dark scheme without errors", async () => {
    for (const [file, scheme] of [[files.empty, "light"], [files.full, "dark"]] as const) {
      const { page, problems } = await open(file, { colorScheme: scheme });
      expect(await page.locator("#summary").isVisible()).toBe(true);
      const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      expect(bg).toBe(scheme === "dark" ? "rgb(15, 18, 22)" : "rgb(246, 247, 249)");
      if (file === files.full) await waitForAudio(page);
      expect(problems).toEqual([]);
    }
  });

  it("prints with every case expanded", async () => {
    const { page } = await open(files.full);
    await page.emulateMedia({ media: "print" });
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    expect(await page.locator("details.case:not([open])").count()).toBe(0);
    expect(await page.locator("nav.sections").isVisible()).toBe(false);
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
    expect(await page.locator("details.case[open]").count()).toBe(3); // back to the failures only
  });

  it("matches the screenshot baseline", async () => {
    const { page } = await open(files.full);
    await page.addStyleTag({ content: `:root { --sans: "DejaVu Sans", sans-serif !important; --mono: "DejaVu Sans Mono", monospace !important; } * { caret-color: transparent !important; }` });
    await waitForAudio(page);
    await page.evaluate(() => document.fonts.ready);
    const shot = await page.screenshot({ fullPage: true, animations: "disabled", caret: "hide", scale: "css" });
    const check = checkScreenshot(shot, BASELINE, OUTPUT);
    expect(check.size.actual, `actual saved to ${OUTPUT}`).toBe(check.size.expected);
    expect(check.ratio, `${check.differing} pixels differ (${(check.ratio * 100).toFixed(3)} %); see ${OUTPUT}/diff.png; if the change is deliberate: UPDATE_BASELINE=1 npx vitest run reports/test/browser.test.ts`).toBeLessThanOrEqual(MAX_DIFF_RATIO);
  }, 90_000); // a full-page screenshot and a pixel diff: slow on a loaded 2-core machine
});

if (!HAVE_CHROMIUM) {
  describe("HTML report in Chromium (unavailable)", () => {
    it.skip(`skipped: ${CHROMIUM} not found; install it with apt-get install -y chromium`, () => {});
  });
}
