// Bad input is the normal case: seeded mutations of valid client events never raise an internal
// error, never close the session, and each bad frame gets at most one `error` (spec §9.1).
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../clock.js";
import { prng } from "../../media/synth.js";
import { RealtimeSession } from "../session.js";
import { loadScript } from "../script.js";
import { DEFAULT_VAD } from "../vad.js";
import { GA_PCMU_UPDATE, mulawUtterance } from "./helpers.js";

const VALID: Record<string, unknown>[] = [
  GA_PCMU_UPDATE,
  { type: "input_audio_buffer.append", audio: Buffer.from(mulawUtterance(0, 60, 0)).toString("base64") },
  { type: "input_audio_buffer.commit" },
  { type: "input_audio_buffer.clear" },
  { type: "conversation.item.create", previous_item_id: "root", item: { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] } },
  { type: "conversation.item.truncate", item_id: "item_x", content_index: 0, audio_end_ms: 10 },
  { type: "conversation.item.retrieve", item_id: "item_x" },
  { type: "conversation.item.delete", item_id: "item_x" },
  { type: "response.create", response: { metadata: { a: "b" }, output_modalities: ["text"] } },
  { type: "response.cancel" },
];

const JUNK: unknown[] = [null, 0, -1, 1e309, "", "x".repeat(300), [], {}, [1], { nested: { deep: [null] } }, true, "root", 4097, 1.5];

function mutate(ev: unknown, rnd: () => number, depth = 0): unknown {
  if (typeof ev !== "object" || ev === null || depth > 4) return rnd() < 0.3 ? JUNK[Math.floor(rnd() * JUNK.length)] : ev;
  if (Array.isArray(ev)) return ev.map((x) => mutate(x, rnd, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ev)) {
    const r = rnd();
    if (r < 0.1) continue; // drop the field
    out[r < 0.15 ? `${k}_x` : k] = r < 0.35 && k !== "type" ? JUNK[Math.floor(rnd() * JUNK.length)] : mutate(v, rnd, depth + 1);
  }
  return out;
}

describe("fuzz", () => {
  it("2000 mutated events: no internal errors, session stays open", async () => {
    const clock = new ManualClock();
    const out: any[] = [];
    const closes: number[] = [];
    const s = new RealtimeSession({
      dialect: "ga", model: "m", clock, script: await loadScript({ turns: [{ audio: { synth: 100 }, pacing: "realtime" }] }), vad: DEFAULT_VAD,
      send: (f) => out.push(JSON.parse(f)), close: (c) => closes.push(c),
    });
    s.start();
    const rnd = prng(7);
    for (let i = 0; i < 2000; i++) {
      const base = VALID[Math.floor(rnd() * VALID.length)];
      const ev = rnd() < 0.2 ? base : mutate(base, rnd);
      const text = rnd() < 0.03 ? JSON.stringify(ev).slice(0, 7) : JSON.stringify(ev) ?? "null";
      const before = out.filter((e) => e.type === "error").length;
      s.receive(text, text.length);
      expect(out.filter((e) => e.type === "error").length - before).toBeLessThanOrEqual(1);
      if (i % 50 === 0) await clock.advanceUs(20_000);
    }
    await clock.advanceUs(5_000_000);
    expect(closes).toEqual([]);
    expect(out.filter((e) => e.type === "error" && String(e.error.message).includes("internal error"))).toEqual([]);
    expect(out.filter((e) => e.type === "error").length).toBeGreaterThan(100);
    expect(out.some((e) => e.type === "response.done")).toBe(true);
  });
});
