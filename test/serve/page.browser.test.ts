// The live page of `bwemu serve` in Debian's Chromium (playwright-core): a call started from the page
// shows its events as they arrive, a hostile app's markup in BXML and headers never runs, the buttons
// reach the control API, the saved report opens from disk, and the page's look is pinned by a
// screenshot baseline (pixelmatch). Skips with the reason when /usr/bin/chromium is missing.
//
// Baseline: test/serve/__baseline__/call-page.png, the call page of fixed data (events replayed by the
// page's own script from a fixed event stream) at 1000×760 CSS px, light scheme, DejaVu fonts.
// Update after a deliberate change: UPDATE_BASELINE=1 npx vitest run -c vitest.e2e.config.ts test/serve/page.browser.test.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServe, type Serve } from "../../src/serve/server.js";
import { LiveSequence } from "../../reports/live/sequence.js";
import { FAULT_BUTTONS } from "../../src/serve/live.js";
import { PAGE_HEADERS, renderCallPage, documentsSection, exchangesTable, latencySection } from "../../reports/live/page.js";
import type { RecordedEvent } from "../../reports/model.js";
import { startTestApp, type TestApp } from "./helpers.js";
import { closeAfterEach } from "../support/cleanup.js";
import { CHROMIUM, HAVE_CHROMIUM, MAX_DIFF_RATIO, checkScreenshot, launchChromium, watchPage } from "../support/chromium.js";

if (!HAVE_CHROMIUM) console.warn(`test/serve/page.browser.test.ts: SKIPPED, ${CHROMIUM} not found (apt-get install -y chromium)`);
const here = dirname(fileURLToPath(import.meta.url));
const BASELINE = join(here, "__baseline__", "call-page.png");
const OUTPUT = join(here, "../../out/serve-screenshot");

const HOSTILE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;
const XML_HOSTILE = HOSTILE.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

describe.skipIf(!HAVE_CHROMIUM)("bwemu serve's live page in Chromium", () => {
  let browser: Browser;
  let serve: Serve;
  let app: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bwemu-serve-page-"));
    // The hostile app: markup in BXML text and attributes, in a response header, in its URL's query.
    app = await startTestApp({
      "/voice": `<?xml version="1.0"?><!-- <script>window.__pwned=3</script> --><Response><Tag>${XML_HOSTILE}</Tag><SpeakSentence>${XML_HOSTILE}</SpeakSentence><StartGather dtmfUrl="/dtmf?x=${encodeURIComponent(HOSTILE)}"/><Pause duration="60"/></Response>`,
      "/dtmf": undefined,
    }, { "x-hostile": "<script>window.__pwned=4</script>" });
    serve = await startServe({ port: 0 });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const closing = closeAfterEach();

  /** A page with traps: any payload that runs sets window.__pwned (or opens a dialog); console errors are kept. Its context closes after the test. */
  async function open(): Promise<{ page: Page; context: BrowserContext; problems: string[]; trapped: () => Promise<unknown[]>; dialogs: () => number }> {
    const context = closing(await browser.newContext({ viewport: { width: 1000, height: 760 }, deviceScaleFactor: 1, colorScheme: "light", reducedMotion: "reduce", acceptDownloads: true }));
    await context.addInitScript(() => {
      const w = window as unknown as { __trap: unknown[] };
      w.__trap = [];
      Object.defineProperty(window, "__pwned", { configurable: true, set: (v) => w.__trap.push(v), get: () => undefined });
    });
    const page = await context.newPage();
    const { problems, dialogs } = watchPage(page);
    return { page, context, problems, trapped: () => page.evaluate(() => (window as unknown as { __trap: unknown[] }).__trap), dialogs };
  }

  it("a call started from the page shows its events live; DTMF and hang-up work; hostile markup stays text", async () => {
    const { page, context, problems, trapped, dialogs } = await open();
    await page.goto(`${serve.url}/`, { waitUntil: "load" });
    await page.locator('input[name="appUrl"]').fill(`${app.url}/voice`);
    await page.locator('select[name="audio"]').selectOption("hello");
    await page.locator('button[data-action="new-call"]').click();
    await page.waitForURL(/\/calls\/c-/, { timeout: 10_000 });
    const seq = page.locator("#seq");
    // Events arrive over the stream: the initiate webhook, the BXML, the verbs.
    await expect.poll(() => seq.innerText(), { timeout: 15_000 }).toMatch(/POST initiate → 200/);
    await expect.poll(() => seq.innerText(), { timeout: 15_000 }).toMatch(/▶ <Pause> line 1/);
    await expect.poll(() => page.locator("#sec-docs").innerText(), { timeout: 10_000 }).toContain("<script>window.__pwned=3</script>");
    expect(await seq.textContent()).toContain('"x-hostile": "<script>window.__pwned=4</script>"');
    await expect.poll(() => page.locator("#sec-exchanges").innerText(), { timeout: 10_000 }).toMatch(/initiate/);
    // The state line follows the events (a busy runner may render it a beat later).
    await expect.poll(() => page.locator("#call-state").innerText(), { timeout: 10_000 }).toBe("answered");

    // DTMF from the page reaches the app, and its webhook (a hostile URL) shows up live.
    await page.locator('#dtmf-form input[name="digits"]').fill("5");
    await page.locator('#dtmf-form button[type="submit"]').click();
    await expect.poll(() => app.hooks.filter((h) => h.path === "/dtmf").length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.locator("#sec-exchanges").innerText(), { timeout: 10_000 }).toMatch(/dtmf/);
    // A row opened by the reader stays open while later rows arrive.
    const firstRow = seq.locator("details.row").first();
    await firstRow.locator("summary").click();

    await page.locator('button[data-action="hangup"]').click();
    await expect.poll(() => page.locator("#call-state").innerText(), { timeout: 10_000 }).toBe("disconnected");
    await expect.poll(() => page.locator("#controls").isHidden(), { timeout: 5_000 }).toBe(true);
    await expect.poll(() => page.locator("#sec-audio audio").count(), { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    expect(await firstRow.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);

    // The saved report: one self-contained file that opens from disk with the same content.
    const download = page.waitForEvent("download");
    await page.locator('a[href$="/report.html"]').click();
    const file = join(dir, "report.html");
    await (await download).saveAs(file);
    const report = await context.newPage();
    await report.goto(pathToFileURL(file).href, { waitUntil: "load" });
    expect(await report.locator("main").innerText()).toContain("<script>window.__pwned=3</script>");
    expect(await report.locator("main").textContent()).toContain("<script>window.__pwned=4</script>");
    expect(await report.locator("audio").count()).toBeGreaterThanOrEqual(1);

    // Nothing the app sent ran, in the live page or the saved report.
    expect(await trapped()).toEqual([]);
    expect(await report.evaluate(() => (window as unknown as { __trap: unknown[] }).__trap)).toEqual([]);
    expect(dialogs()).toBe(0);
    expect(await page.locator("img").count()).toBe(0);
    expect(problems.filter((p) => !/favicon/.test(p))).toEqual([]);
  }, 90_000);

  it("the list page shows new calls as they start (server-sent events)", async () => {
    const { page, problems } = await open();
    await page.goto(`${serve.url}/`, { waitUntil: "load" });
    const before = await page.locator("li.call-item").count();
    const r = await fetch(`${serve.url}/_bwemu/calls`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ appUrl: `${app.url}/voice`, label: "from a script" }) });
    const { callId } = (await r.json()) as { callId: string };
    await expect.poll(() => page.locator("li.call-item").count(), { timeout: 10_000 }).toBe(before + 1);
    await expect.poll(() => page.locator(`[id="li-${callId}"]`).innerText(), { timeout: 10_000 }).toMatch(/answered/);
    await fetch(`${serve.url}/_bwemu/calls/${callId}/hangup`, { method: "POST" });
    await expect.poll(() => page.locator(`[id="li-${callId}"]`).innerText(), { timeout: 10_000 }).toMatch(/disconnected/);
    expect(problems).toEqual([]);
  }, 60_000);

  it("matches the screenshot baseline (fixed data, replayed by the page's own script)", async () => {
    const { page, problems } = await open();
    const { html, stream } = fixedPage();
    await page.route("http://bwemu.localhost/**", (route) => {
      const u = new URL(route.request().url());
      if (u.pathname.endsWith("/events")) return route.fulfill({ status: 200, headers: { "content-type": "text/event-stream" }, body: stream });
      return route.fulfill({ status: 200, headers: PAGE_HEADERS, body: html });
    });
    await page.goto("http://bwemu.localhost/calls/c-fixed", { waitUntil: "load" });
    await expect.poll(() => page.locator("#seq details.row").count(), { timeout: 10_000 }).toBe(9);
    await page.addStyleTag({ content: `:root { --sans: "DejaVu Sans", sans-serif !important; --mono: "DejaVu Sans Mono", monospace !important; } * { caret-color: transparent !important; } #conn { visibility: hidden; }` });
    await page.evaluate(() => document.fonts.ready);
    const shot = await page.screenshot({ animations: "disabled", caret: "hide", scale: "css" });
    const check = checkScreenshot(shot, BASELINE, OUTPUT);
    expect(check.size.actual).toBe(check.size.expected);
    expect(check.ratio, `${check.differing} pixels differ; see ${OUTPUT}/diff.png`).toBeLessThanOrEqual(MAX_DIFF_RATIO);
    expect(problems).toEqual([]);
  }, 60_000);
});

/** The call page of fixed data, and the event stream that fills it (rows and sections, as the server sends them). */
function fixedPage(): { html: string; stream: string } {
  let seq = 0;
  const e = (t: number, lane: string, kind: string, data: Record<string, unknown>): RecordedEvent => ({ seq: seq++, t: t * 1000, lane, kind, callId: "c-fixed", data }) as RecordedEvent;
  const doc = `<Response>\n  <StartStream destination="ws://127.0.0.1:3000/media" mode="bidirectional"/>\n  <Pause duration="30"/>\n</Response>`;
  const events: RecordedEvent[] = [
    e(0, "carrier", "call.created", { callId: "c-fixed", direction: "inbound", from: "+15557770100", to: "+15557770199", appUrl: "http://127.0.0.1:3000/voice" }),
    e(1, "carrier", "http.exchange", { role: "webhook", eventType: "initiate", method: "POST", url: "http://127.0.0.1:3000/voice", requestHeaders: {}, status: 200, durationUs: 4200, attempt: 1 }),
    e(6, "carrier", "bxml.received", { url: "http://127.0.0.1:3000/voice", text: doc, accepted: true, diagnostics: [{ ruleId: "stream/no-keepalive", level: "warning", line: 3, col: 3, message: "Pause ends the call after 30 s" }] }),
    e(7, "carrier", "verb.start", { verb: "StartStream", line: 2, col: 3, attrs: {} }),
    e(12, "carrier", "stream.connect", { streamId: "s1", name: "s1", destination: "ws://127.0.0.1:3000/media", ok: true, status: 101 }),
    e(13, "carrier", "ws.frame", { streamId: "s1", direction: "out", eventType: "start", bytes: 420 }),
    ...Array.from({ length: 50 }, (_v, i) => e(20 + i * 20, "carrier", "ws.frame", { streamId: "s1", direction: "out", eventType: "media", track: "inbound", bytes: 230, sequenceNumber: String(i + 1) })),
    e(700, "app", "ws.frame", { streamId: "s1", direction: "in", eventType: "playAudio", bytes: 4300 }),
    e(701, "app", "ws.frame", { streamId: "s1", direction: "in", eventType: "playAudio", bytes: 4300 }),
    e(1100, "carrier", "note", { message: "the caller says hello" }),
  ];
  const live = new LiveSequence(0, "r");
  for (const ev of events) live.push(ev);
  const send = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  const exchanges = [{ atMs: 1, role: "webhook", eventType: "initiate", method: "POST", url: "http://127.0.0.1:3000/voice", status: 200, durationMs: 4.2, attempt: 1 }];
  const documents = [{ url: "http://127.0.0.1:3000/voice", text: doc, diagnostics: [{ ruleId: "stream/no-keepalive", level: "warning" as const, line: 3, col: 3, message: "Pause ends the call after 30 s" }] }];
  const stream =
    send("rows", { rows: live.snapshot(), cut: false }) +
    send("section", { id: "sec-exchanges", html: exchangesTable(exchanges).s }) +
    send("section", { id: "sec-docs", html: documentsSection(documents, ["/d/1"]).s }) +
    send("section", { id: "sec-latency", html: latencySection([{ index: 0, kind: "turn", turnMs: 612.4 }, { index: 1, kind: "barge-in", bargeInMs: 180 }], 840).s });
  const call = { callId: "c-fixed", direction: "inbound", state: "answered", from: "+15557770100", to: "+15557770199", appUrl: "http://127.0.0.1:3000/voice", label: "fixed call", startTime: "2026-01-01T00:00:00.000Z" };
  const html = renderCallPage(
    { call, exchanges: [], documents: [], documentLinks: [], audio: [], turns: [], reportUrl: "/r", timelineUrl: "/t", eventsUrl: "/_bwemu/calls/c-fixed/events?format=html" },
    { url: "http://bwemu.localhost", apiBaseUrl: "http://bwemu.localhost/api/v2", accountId: "9900000", realtime: "ws://127.0.0.1:4020/v1/realtime", maxCalls: 200 },
    ["hello", "order"],
    FAULT_BUTTONS,
  );
  return { html, stream };
}

if (!HAVE_CHROMIUM) {
  describe("bwemu serve's live page in Chromium (unavailable)", () => {
    it.skip(`skipped: ${CHROMIUM} not found; install it with apt-get install -y chromium`, () => {});
  });
}
