import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigFile, resolveConfig } from "./config.js";
import { UsageError } from "./exit.js";

describe("resolveConfig", () => {
  it("fills the documented defaults", () => {
    const c = resolveConfig({}, { app: "http://127.0.0.1:3000/voice" }, {});
    expect(c).toMatchObject({ realtime: "stub", stubPort: 4020, strict: false, repeat: 1, overheadP95Ms: 50, turnExtraP95Ms: 150, concurrentCalls: 10, callbackMs: 15000, reporters: ["html", "json", "junit"] });
  });
  it("lets flags win over the file", () => {
    expect(resolveConfig({ strict: false, repeat: 2 }, { strict: true }, {})).toMatchObject({ strict: true, repeat: 2 });
  });
  it("refuses bad values with the option's name", () => {
    expect(() => resolveConfig({}, { repeat: 0 }, {})).toThrow(/--repeat/);
    expect(() => resolveConfig({}, { app: "ftp://x" }, {})).toThrow(UsageError);
    expect(() => resolveConfig({}, { reporters: ["pdf" as never] }, {})).toThrow(/unknown reporter "pdf"/);
    expect(() => resolveConfig({}, { realtime: "https://api.openai.com/v1/realtime" }, {})).toThrow(/ws\(s\):\/\//);
    expect(() => resolveConfig({}, { callbackUser: "bw" }, {})).toThrow(/BWEMU_CALLBACK_PASSWORD/);
  });
  it("takes secrets from the environment only", () => {
    const c = resolveConfig({}, { callbackUser: "bw" }, { BWEMU_CALLBACK_PASSWORD: "s3cret" });
    expect(c.callbackCreds).toEqual({ username: "bw", password: "s3cret" });
  });
});

describe("loadConfigFile", () => {
  it("loads defineConfig from bwemu.config.ts and reports a broken file with its path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bwemu-cfg-"));
    writeFileSync(join(dir, "bwemu.config.mjs"), "export default { strict: true, cases: ['stream.*'] };\n");
    expect(await loadConfigFile(undefined, dir)).toEqual({ strict: true, cases: ["stream.*"] });
    writeFileSync(join(dir, "broken.mjs"), "export default 42;\n");
    await expect(loadConfigFile("broken.mjs", dir)).rejects.toThrow(/broken\.mjs.*defineConfig/);
    await expect(loadConfigFile("missing.ts", dir)).rejects.toThrow(/not found/);
  });
});
