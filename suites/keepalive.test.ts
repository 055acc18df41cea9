// "Something keeps the call open after StartStream" is one function (emulator/bxml/keepalive.ts):
// the lint rule stream/no-keepalive and the case answer.bxml.keepalive give the same answer on the
// same document, including the two that once disagreed (Forward, Connect).
import { describe, expect, it } from "vitest";
import { lintBxml } from "../src/lint.js";
import keepalive from "./answer/bxml-keepalive.js";
import { judge } from "./runner.js";
import { recordedContext } from "./recorded.js";

const WS = 'destination="wss://b.example.com/ws"';
const doc = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n${body}\n</Response>\n`;

function lintSays(body: string): "holds" | "ends" {
  return lintBxml(doc(body)).some((d) => d.ruleId === "stream/no-keepalive" && d.level === "error") ? "ends" : "holds";
}

function caseSays(body: string): "holds" | "ends" {
  const v = judge(keepalive, recordedContext({ runs: { basic: [{ documents: [doc(body)] }] } })).verdict;
  expect(["pass", "fail"]).toContain(v);
  return v === "pass" ? "holds" : "ends";
}

describe("keep-alive: lint and suite agree", () => {
  it.each([
    ["Forward ends the answered call (OPEN-1, OPEN-16)", `<StartStream ${WS}/><Forward to="+15555550100"/>`, "ends"],
    ["Connect holds the call (the platform connects it)", `<StartStream ${WS}/><Connect><Endpoint>e-1</Endpoint></Connect>`, "holds"],
    ["StartStream last", `<StartStream ${WS}/>`, "ends"],
    ["Hangup", `<StartStream ${WS}/><Hangup/><Pause duration="5"/>`, "ends"],
    ["StopStream wait", `<StartStream name="a" ${WS}/><StopStream name="a" wait="true"/>`, "holds"],
    ["a long Pause", `<StartStream ${WS} mode="bidirectional"/><Pause duration="86400"/>`, "holds"],
    ["Redirect", `<StartStream ${WS}/><Redirect redirectUrl="https://a.example.com/next"/>`, "holds"],
    ["a blocking verb after immediate ones", `<StartStream ${WS}/><Tag>x</Tag><SpeakSentence>Hi</SpeakSentence>`, "holds"],
  ] as const)("%s", (_, body, expected) => {
    expect(lintSays(body)).toBe(expected);
    expect(caseSays(body)).toBe(expected);
  });
});
