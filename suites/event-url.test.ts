// "The event URL reaches an HTTP endpoint" is one function (emulator/bxml/event-url.ts): the lint
// rules (stream/event-url-distinct, and bxml/attribute-type for a ws/wss URL) and the case
// answer.bxml.event-url-distinct give the same answer on the same document.
import { describe, expect, it } from "vitest";
import { lintBxml } from "../src/lint.js";
import distinct from "./answer/bxml-event-url-distinct.js";
import { judge } from "./runner.js";
import { recordedContext } from "./recorded.js";

const SERVED = "https://b.example.com/voice";
const doc = (attrs: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n<StartStream destination="wss://b.example.com/ws" ${attrs}/>\n<Pause duration="30"/>\n</Response>\n`;

function lintSays(attrs: string): "fine" | "lost" {
  const found = lintBxml(doc(attrs), { baseUrl: SERVED }).filter((d) => d.level === "error" && /streamEventUrl/.test(d.message));
  return found.length ? "lost" : "fine";
}

function caseSays(attrs: string): "fine" | "lost" {
  const v = judge(distinct, recordedContext({ runs: { basic: [{ documents: [{ url: SERVED, text: doc(attrs) }] }] } })).verdict;
  expect(["pass", "fail"]).toContain(v);
  return v === "pass" ? "fine" : "lost";
}

/** The StartStream's event-URL attribute, by the answer both must give. */
const ANSWERS = {
  fine: {
    absent: "",
    "its own https path": 'streamEventUrl="https://b.example.com/stream-events"',
    "a relative path of its own": 'streamEventUrl="/stream-events"',
    "the same path on another port": 'streamEventUrl="https://b.example.com:8443/ws"',
  },
  lost: {
    "the destination itself": 'streamEventUrl="wss://b.example.com/ws"',
    "a ws:// URL elsewhere": 'streamEventUrl="ws://b.example.com/events"',
    "the destination's endpoint over https": 'streamEventUrl="https://b.example.com/ws"',
    "the destination's endpoint, trailing slash and host case aside": 'streamEventUrl="https://B.example.com/ws/"',
    "the destination's endpoint as a relative path": 'streamEventUrl="/ws"',
  },
} as const;

describe("event URL: lint and suite agree", () => {
  for (const [expected, docs] of Object.entries(ANSWERS)) {
    it.each(Object.entries(docs))(`${expected}: %s`, (_, attrs) => {
      expect(lintSays(attrs)).toBe(expected);
      expect(caseSays(attrs)).toBe(expected);
    });
  }
});
