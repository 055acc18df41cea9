// Reply scripts: validation with located errors, defaults, cycling, files (issue 4 "Replies come from a script").
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeWav } from "../../media/wav.js";
import { DEFAULT_SCRIPT, loadScript, loadScriptFile, pickTurn, ScriptError, validateScript } from "../script.js";
import { tone } from "./helpers.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "bwemu-script-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("validateScript", () => {
  const bad: [unknown, string][] = [
    [null, "script: expected an object"],
    [{ turns: [] }, "script.turns: expected a non-empty array"],
    [{ turns: [{ audio: 5 }] }, "script.turns[0].audio"],
    [{ turns: [{ audio: { echo: false } }] }, "script.turns[0].audio"],
    [{ turns: [{}, { pacing: { realtime: 0 } }] }, "script.turns[1].pacing"],
    [{ turns: [{ deltaMs: 0 }] }, "script.turns[0].deltaMs"],
    [{ turns: [{ responseDelayMs: -1 }] }, "script.turns[0].responseDelayMs"],
    [{ turns: [{ functionCall: { name: "x", arguments: "{nope" } }] }, "script.turns[0].functionCall.arguments"],
    [{ turns: [{ colour: "red" }] }, "script.turns[0].colour: unknown field"],
    [{ turns: [{}], after: "loop" }, "script.after"],
    [{ turns: [{}], defaults: { pacing: "slow" } }, "script.defaults.pacing"],
    [{ turns: [{}], greeting: { transcript: 3 } }, "script.greeting.transcript"],
  ];
  it.each(bad)("rejects %j", (raw, msg) => {
    expect(() => validateScript(raw)).toThrow(ScriptError);
    expect(() => validateScript(raw)).toThrow(msg);
  });

  it("accepts the built-in script", () => {
    expect(validateScript(DEFAULT_SCRIPT)).toBe(DEFAULT_SCRIPT);
  });
});

describe("loading", () => {
  it("defaults, realtime pacing, cycle vs repeat-last", async () => {
    const s = await loadScript({ turns: [{ transcript: "a", pacing: "realtime" }, { transcript: "b" }], defaults: { responseDelayMs: 120, deltaMs: 40 } });
    expect(s.turns[0]).toMatchObject({ transcript: "a", pacing: { realtime: 1 }, responseDelayMs: 120, deltaMs: 40 });
    expect(s.turns[1].pacing).toBe("burst");
    expect([0, 1, 2, 3].map((n) => pickTurn(s, n).transcript)).toEqual(["a", "b", "b", "b"]);
    const c = await loadScript({ turns: [{ transcript: "a" }, { transcript: "b" }], after: "cycle" });
    expect([0, 1, 2, 3].map((n) => pickTurn(c, n).transcript)).toEqual(["a", "b", "a", "b"]);
  });

  it("the built-in script has a greeting and audio", async () => {
    const s = await loadScript(undefined);
    expect(s.source).toBe("built-in");
    expect(s.greeting?.audio.kind).toBe("pcm");
    expect(s.turns.length).toBeGreaterThan(1);
    // The first reply is the recorded fixture when the media fixtures are present.
    const t0 = s.turns[0];
    expect(t0.transcript).toBe("Sure, let me check on that.");
    expect(t0.audio.kind === "pcm" && t0.audio.pcm.length > 0).toBe(true);
  });

  it("JSON and YAML files; WAV paths relative to the script; located file errors", async () => {
    await writeFile(path.join(dir, "r.wav"), writeWav(tone(250, 8000), 8000, { encoding: "mulaw" }));
    await writeFile(path.join(dir, "s.json"), JSON.stringify({ turns: [{ audio: "r.wav", functionCall: { name: "f", arguments: { a: 1 } } }] }));
    const j = await loadScriptFile(path.join(dir, "s.json"));
    const t = j.turns[0];
    expect(t.audio.kind === "pcm" && t.audio.rate === 8000 && t.audio.pcm.length === 2000).toBe(true);
    expect(t.functionCall).toEqual({ name: "f", arguments: "{\"a\":1}", callId: undefined });
    await writeFile(path.join(dir, "s.yaml"), "turns:\n  - audio: missing.wav\n");
    await expect(loadScriptFile(path.join(dir, "s.yaml"))).rejects.toThrow(/turns\[0\]\.audio: cannot read .*missing\.wav/);
    await writeFile(path.join(dir, "broken.yaml"), "turns: [\n");
    await expect(loadScriptFile(path.join(dir, "broken.yaml"))).rejects.toThrow(/not valid JSON\/YAML/);
    await expect(loadScriptFile(path.join(dir, "none.yaml"))).rejects.toThrow(/cannot read/);
  });
});
