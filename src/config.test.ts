import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CARRIER_CONFIG_KEYS, carrierConfigSettings, loadConfigFile, resolveConfig, upstreamMode } from "./config.js";
import { DEFAULT_SETTINGS } from "../emulator/call/settings.js";
import { DECISIONS } from "../emulator/decisions.js";
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
  it("names the bridge's upstream: stub, live (or its URL), opaque", () => {
    expect(upstreamMode(resolveConfig({}, {}, {}).realtime)).toBe("stub");
    expect(upstreamMode(resolveConfig({}, { realtime: "opaque" }, {}).realtime)).toBe("opaque");
    expect(upstreamMode(resolveConfig({ realtime: "live" }, {}, {}).realtime)).toBe("live");
    expect(upstreamMode(resolveConfig({}, { realtime: "wss://api.openai.com/v1/realtime" }, {}).realtime)).toBe("live");
    expect(() => resolveConfig({}, { realtime: "twilio" }, {})).toThrow(/stub, live, opaque or a ws\(s\):\/\/ URL, got twilio/);
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

describe("config file keys and types", () => {
  const load = async (body: string) => {
    const dir = mkdtempSync(join(tmpdir(), "bwemu-cfg-"));
    writeFileSync(join(dir, "c.mjs"), `export default ${body};\n`);
    return loadConfigFile("c.mjs", dir).then(
      (v) => v,
      (e: Error) => e,
    );
  };
  it("an unknown key names the nearest valid one, at any depth", async () => {
    expect(String(await load("{ cases: ['a.*'], exlude: ['b.*'] }"))).toMatch(/c\.mjs: unknown key "exlude" \(did you mean "exclude"\?\); valid keys: app, realtime/);
    expect(String(await load("{ Strict: true }"))).toMatch(/unknown key "Strict" \(did you mean "strict"\?\)/);
    expect(String(await load("{ budgets: { overheadP95Ms: 40 } }"))).toMatch(/unknown key "budgets\.overheadP95Ms"; valid keys in budgets: bridgeOverheadP95Ms, turnExtraP95Ms/);
    expect(String(await load("{ timeout: {} }"))).toMatch(/unknown key "timeout" \(did you mean "timeouts"\?\)/);
    expect(await load("{ zzzzzzzz: 1 }")).toBeInstanceOf(UsageError);
  });
  it("a value of the wrong type names its path", async () => {
    expect(String(await load("{ cases: 'answer.*' }"))).toMatch(/cases: expected an array of strings, got "answer\.\*"/);
    expect(String(await load("{ timeouts: { callMs: '5s' } }"))).toMatch(/timeouts\.callMs: expected a number, got "5s"/);
    expect(String(await load("{ strict: 'yes' }"))).toMatch(/strict: expected true or false/);
    expect(String(await load("{ budgets: 5 }"))).toMatch(/budgets: expected an object, got 5/);
  });
  it("accepts every documented key", async () => {
    const ok = {
      app: "http://127.0.0.1:3000/voice",
      exclude: ["latency.*"],
      budgets: { bridgeOverheadP95Ms: 50, turnExtraP95Ms: 150 },
      timeouts: { callbackMs: 15_000, callMs: 30_000, runMs: 300_000 },
      verbose: true,
      direction: "both",
      answerUrl: "http://127.0.0.1:3000/answer",
      disconnectUrl: "http://127.0.0.1:3000/status",
    };
    expect(await load(JSON.stringify(ok))).toEqual(ok);
  });
});

describe("the carrier section (the carrier's choices where Bandwidth's pages are silent)", () => {
  it("becomes carrier settings, and is absent from a run that does not set it", () => {
    const c = resolveConfig({ carrier: { cleanCloseCodes: [1000, 4000], allowInsecureWs: false, sequenceScope: "stream", strictUnknownElements: false, streamConnectTimeoutMs: 2500, bxmlRequestCap: 7 } }, {}, {});
    expect(c.carrier).toEqual({ cleanCloseCodes: [1000, 4000], allowInsecureWs: false, sequenceScope: "stream", strictUnknownElements: false, streamConnectTimeoutMs: 2500, bxmlRequestCap: 7 });
    expect(resolveConfig({}, {}, {}).carrier).toEqual({});
  });
  it("refuses a value out of range with its key", () => {
    expect(() => carrierConfigSettings({ cleanCloseCodes: [1000, 999] })).toThrow(/carrier\.cleanCloseCodes: 999 is not a WebSocket close code/);
    expect(() => carrierConfigSettings({ sequenceScope: "call" })).toThrow(/carrier\.sequenceScope: expected one of track, stream, got "call"/);
    expect(() => carrierConfigSettings({ bxmlRequestCap: 2.5 })).toThrow(/carrier\.bxmlRequestCap: expected a positive whole number/);
    expect(() => carrierConfigSettings({ streamConnectTimeoutMs: 0 })).toThrow(UsageError);
  });
  it("is checked like the rest of the file: types, and a typo names the nearest key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bwemu-cfg-"));
    let n = 0;
    const load = (body: string) => {
      const file = `c${n++}.mjs`; // a new file each time: the module cache keeps an imported one
      writeFileSync(join(dir, file), `export default ${body};\n`);
      return loadConfigFile(file, dir).then((v) => v, (e: Error) => String(e));
    };
    expect(await load("{ carrier: { cleanCloseCodes: ['1000'] } }")).toMatch(/carrier\.cleanCloseCodes: expected an array of numbers/);
    expect(await load("{ carrier: { allowInsecureWS: false } }")).toMatch(/unknown key "carrier\.allowInsecureWS" \(did you mean "carrier\.allowInsecureWs"\?\)/);
    expect(await load("{ carrier: { cleanCloseCodes: [1000] } }")).toEqual({ carrier: { cleanCloseCodes: [1000] } });
  });
  it("every key is a carrier setting that a documented decision names", () => {
    const decided = new Set(Object.values(DECISIONS).map((d) => ("setting" in d ? d.setting : undefined)));
    for (const k of CARRIER_CONFIG_KEYS) {
      expect(Object.hasOwn(DEFAULT_SETTINGS, k), k).toBe(true);
      expect(decided.has(k), k).toBe(true);
    }
  });
});
