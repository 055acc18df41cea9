// Debian's Chromium through playwright-core, launched the same way for every browser test, and the
// screenshot check they share: pixelmatch against a committed baseline (written on first run or with
// UPDATE_BASELINE=1; a missing baseline fails in CI), the actual image and the diff saved on mismatch.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import pixelmatch from "pixelmatch";
import { chromium, type Browser, type Page } from "playwright-core";
import { PNG } from "pngjs";

export const CHROMIUM = "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** pixelmatch per-pixel colour threshold (0..1) and the share of pixels allowed to differ. */
export const PIXEL_THRESHOLD = 0.1;
export const MAX_DIFF_RATIO = 0.002;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--font-render-hinting=none", "--force-color-profile=srgb"],
    timeout: 30_000,
  });
}

/** Console errors and warnings, page errors and dialogs (dismissed) of a page: what a hostile payload would cause. */
export function watchPage(page: Page): { problems: string[]; dialogs: () => number } {
  const problems: string[] = [];
  let dialogs = 0;
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  return { problems, dialogs: () => dialogs };
}

export interface ScreenshotCheck {
  /** "W×H" of the screenshot and of the baseline (compare them first). */
  size: { actual: string; expected: string };
  differing: number;
  ratio: number;
}

/** Compare a PNG screenshot with the baseline; `output` receives actual.png (and diff.png) when they differ. */
export function checkScreenshot(shot: Buffer, baseline: string, output: string): ScreenshotCheck {
  if (process.env.UPDATE_BASELINE === "1" || !existsSync(baseline)) {
    if (!existsSync(baseline) && process.env.CI) throw new Error(`missing baseline ${baseline}; run the test with UPDATE_BASELINE=1`);
    mkdirSync(dirname(baseline), { recursive: true });
    writeFileSync(baseline, shot);
    console.warn(`baseline written: ${baseline}`);
  }
  const expected = PNG.sync.read(readFileSync(baseline));
  const actual = PNG.sync.read(shot);
  const size = { actual: `${actual.width}×${actual.height}`, expected: `${expected.width}×${expected.height}` };
  if (size.actual !== size.expected) {
    mkdirSync(output, { recursive: true });
    writeFileSync(join(output, "actual.png"), shot);
    return { size, differing: Infinity, ratio: Infinity };
  }
  const diff = new PNG({ width: expected.width, height: expected.height });
  const differing = pixelmatch(expected.data, actual.data, diff.data, expected.width, expected.height, { threshold: PIXEL_THRESHOLD });
  const ratio = differing / (expected.width * expected.height);
  if (ratio > 0) {
    mkdirSync(output, { recursive: true });
    writeFileSync(join(output, "actual.png"), shot);
    writeFileSync(join(output, "diff.png"), PNG.sync.write(diff));
  }
  return { size, differing, ratio };
}
