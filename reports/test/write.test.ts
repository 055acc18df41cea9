import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { XMLValidator } from "fast-xml-parser";
import { afterEach, describe, expect, it } from "vitest";
import type { RunResult } from "../model.js";
import { parseRunResult, RunResultError } from "../validate.js";
import { inlineAudio, REPORT_FILES, writeReports } from "../write.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/reports");
const load = (name: string): RunResult => parseRunResult(readFileSync(join(fixtures, `run-${name}.json`), "utf8"));
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "bwemu-write-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("writeReports", () => {
  it("writes every reporter into one folder, inlining audio given by path", async () => {
    const out = join(tmp(), "nested", "reports");
    const written = await writeReports(load("full"), { outDir: out, reporters: ["html", "json", "junit", "sarif", "markdown"], baseDir: fixtures });
    expect(written.map((w) => w.reporter)).toEqual(["html", "json", "json-index", "junit", "sarif", "markdown"]);
    for (const w of written) expect(existsSync(w.path)).toBe(true);
    expect(written[0].path).toBe(join(out, REPORT_FILES.html));
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html.match(/<audio [^>]*src="data:audio\/wav;base64,/g)?.length).toBe(4);
    // The JSON keeps the path (the model is written as given).
    expect(parseRunResult(readFileSync(join(out, "results.json"), "utf8")).calls[1].audio.caller).toEqual({ path: "audio/stop-after-start-caller.wav", sampleRate: 8000, durationMs: 1200 });
    expect(XMLValidator.validate(readFileSync(join(out, "junit.xml"), "utf8"))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, "results.sarif"), "utf8")).version).toBe("2.1.0");
    expect(readFileSync(join(out, "summary.md"), "utf8")).toMatch(/^## bwemu/);
    expect(JSON.parse(readFileSync(join(out, "index.json"), "utf8")).cases["answer.http.status"].verdict).toBe("pass");
  });

  it("refuses a run that does not match the schema (a harness bug), writing nothing", async () => {
    const out = join(tmp(), "r");
    const bad = { ...load("empty"), summary: { ...load("empty").summary, total: 3 } };
    await expect(writeReports(bad, { outDir: out, reporters: ["json"] })).rejects.toBeInstanceOf(RunResultError);
    expect(existsSync(out)).toBe(false);
    await expect(writeReports(load("empty"), { outDir: out, reporters: ["pdf" as never] })).rejects.toThrow(/unknown reporter\(s\): pdf/);
  });

  it("keeps unreadable audio as a path and says why in the harness warnings", async () => {
    const run = load("full");
    run.calls[1].audio.caller = { path: "audio/missing.wav", sampleRate: 8000, durationMs: 10 };
    const inlined = await inlineAudio(run, fixtures);
    expect(inlined.calls[1].audio.caller).toEqual(run.calls[1].audio.caller);
    expect(inlined.harness.warnings.at(-1)).toMatch(/audio audio\/missing\.wav not embedded: ENOENT/);
    const big = await inlineAudio(load("full"), fixtures, 100);
    expect(big.harness.warnings.at(-1)).toMatch(/over the 100-byte limit/);
    expect(run.harness.warnings.length).toBe(1); // the input is not mutated
  });
});
