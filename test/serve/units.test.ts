// The pure pieces of `bwemu serve`: the JSON locator, request checks, the call cap, the settings'
// precedence, the live sequence and the page's escaping.
import { describe, expect, it } from "vitest";
import { locateJsonError, parseJsonLocated } from "../../src/serve/json.js";
import { checkDtmf, checkFault, checkStartCall, FAULTS } from "../../src/serve/control.js";
import { callsToDrop } from "../../src/serve/store.js";
import { resolveServeConfig } from "../../src/serve/config.js";
import { configProblem } from "../../src/config.js";
import { healthUrl } from "../../src/cli/wait.js";
import { LiveSequence } from "../../reports/live/sequence.js";
import { FAULT_BUTTONS } from "../../src/serve/live.js";
import { callListItem, exchangesTable, renderCallPage, LIVE_CSP } from "../../reports/live/page.js";
import type { RecordedEvent } from "../../reports/model.js";

describe("locateJsonError", () => {
  it("accepts what JSON.parse accepts", () => {
    for (const t of ['{"a":[1,2,{"b":null}],"c":"\\u00e9\\n"}', "[]", " 1 ", '"x"', "[[],{}]", '{"a":-1.5e3}']) {
      expect(locateJsonError(t)).toBeUndefined();
      expect(parseJsonLocated(t)).toEqual({ ok: true, value: JSON.parse(t) });
    }
  });
  it("names line and column of the first error", () => {
    expect(locateJsonError('{"a": 1,}')).toMatchObject({ line: 1, col: 9 });
    expect(locateJsonError('{\n "a" 1}')).toMatchObject({ line: 2, col: 6, message: expect.stringMatching(/expected ':'/) });
    expect(locateJsonError("{'a': 1}")).toMatchObject({ line: 1, col: 2, message: expect.stringMatching(/double quotes/) });
    expect(locateJsonError("[1 2]")).toMatchObject({ col: 4 });
    expect(locateJsonError("")).toMatchObject({ col: 1, message: expect.stringMatching(/end of input/) });
    expect(locateJsonError("{} x")).toMatchObject({ col: 4 });
    expect(locateJsonError('"a\u0001"')).toMatchObject({ col: 1 });
  });
});

describe("control request checks", () => {
  it("start a call: appUrl required and http(s); a bundled utterance or a caller script; bounded numbers", () => {
    expect(checkStartCall({ appUrl: "http://127.0.0.1:3000/voice", audio: "hello", dtmf: "12w#" })).toMatchObject({ ok: true, value: { fixture: "hello", dtmf: "12w#" } });
    expect(checkStartCall({})).toMatchObject({ ok: false, error: { field: "appUrl" } });
    expect(checkStartCall({ appUrl: "javascript:alert(1)" })).toMatchObject({ ok: false, error: { field: "appUrl" } });
    expect(checkStartCall({ appUrl: "http://x/", audio: "hello", caller: { silence: true } })).toMatchObject({ ok: false, error: { field: "audio" } });
    expect(checkStartCall({ appUrl: "http://x/", maxDurationMs: 10 })).toMatchObject({ ok: false, error: { field: "maxDurationMs" } });
    expect(checkStartCall({ appUrl: "http://x/", from: "+1 555\u001b[2J" })).toMatchObject({ ok: false, error: { field: "from" } });
  });
  it("DTMF and faults", () => {
    expect(checkDtmf({ digits: "*#AD" })).toMatchObject({ ok: true });
    expect(checkDtmf({ digits: "" })).toMatchObject({ ok: false, error: { field: "digits" } });
    expect(checkFault({ kind: "slow-next-webhook", ms: 1500 })).toEqual({ ok: true, value: { kind: "slow-next-webhook", ms: 1500 } });
    expect(checkFault({ kind: "reject-next-stream", cause: "account-limit" })).toMatchObject({ ok: false, error: { field: "cause" } });
    expect(checkFault({ kind: "__proto__" })).toMatchObject({ ok: false, error: { field: "kind" } });
  });
});

describe("callsToDrop", () => {
  it("drops the oldest ended calls beyond the cap, never a live one", () => {
    const calls = [
      { id: "a", ended: true },
      { id: "b", ended: false },
      { id: "c", ended: true },
      { id: "d", ended: true },
      { id: "e", ended: false },
    ];
    expect(callsToDrop(calls, 3)).toEqual(["a", "c"]);
    expect(callsToDrop(calls, 5)).toEqual([]);
    expect(callsToDrop(calls, 1)).toEqual(["a", "c", "d"]);
  });
});

describe("serve settings", () => {
  it("flags win over BWEMU_* env, env over the config file; passwords only from env", () => {
    const r = resolveServeConfig(
      { port: 5000, accountId: "111", callbackUser: "file-user", maxCalls: 10, allowedHosts: ["bwemu"] },
      { port: "6000" },
      { BWEMU_SERVE_PORT: "7000", BWEMU_ACCOUNT_ID: "222", BWEMU_CALLBACK_PASSWORD: "pw" },
    );
    expect(r).toMatchObject({ port: 6000, maxCalls: 10, host: "127.0.0.1", realtime: "stub", stubPort: 4020 });
    expect(r.settings).toMatchObject({ accountId: "222", callbackCreds: { username: "file-user", password: "pw" }, apiAllowedHosts: ["bwemu"] });
    expect(resolveServeConfig({}, {}, {}).port).toBe(4010);
    expect(() => resolveServeConfig({}, { apiUser: "x" }, {})).toThrow(/BWEMU_API_PASSWORD/);
    expect(() => resolveServeConfig({}, { port: "99999" }, {})).toThrow(/--port/);
    expect(() => resolveServeConfig({}, { realtime: "http://x" }, {})).toThrow(/--realtime/);
  });
  it("the config file's serve section is checked like the rest (a typo names the nearest key)", async () => {
    expect(await configProblem({ serve: { port: 4010, maxCalls: 5 } })).toBeUndefined();
    expect(await configProblem({ serve: { maxcalls: 4010 } })).toMatch(/unknown key "serve.maxcalls" \(did you mean "serve.maxCalls"\?\)/);
    expect(await configProblem({ serve: { port: "4010" } })).toMatch(/serve.port: expected a number/);
  });
  it("bwemu wait asks an origin's /_bwemu/health, any other URL as it is", () => {
    expect(healthUrl(undefined, {})).toBe("http://127.0.0.1:4010/_bwemu/health");
    expect(healthUrl(undefined, { BWEMU_SERVE_PORT: "4999" })).toBe("http://127.0.0.1:4999/_bwemu/health");
    expect(healthUrl("http://bwemu:4010/health")).toBe("http://bwemu:4010/health");
  });
});

const ev = (seq: number, kind: string, data: Record<string, unknown>, t = seq * 1000): RecordedEvent => ({ seq, t, lane: "carrier", kind, callId: "c1", data }) as RecordedEvent;
const media = (seq: number) => ev(seq, "ws.frame", { streamId: "s", direction: "out", eventType: "media", track: "inbound", bytes: 200, sequenceNumber: String(seq) });

describe("LiveSequence", () => {
  it("rows for significant events at once; bulk traffic grows one row (same id) on flush, closed by the next event", () => {
    const s = new LiveSequence(0, "r");
    expect(s.push(ev(0, "call.created", { direction: "inbound", from: "a", to: "b" })).map((u) => u.id)).toEqual(["r0"]);
    expect(s.push(media(1))).toEqual([]);
    expect(s.push(media(2))).toEqual([]);
    const f1 = s.flush();
    expect(f1.map((u) => u.id)).toEqual(["r1"]);
    expect(f1[0].html).toContain("media ×2");
    expect(s.flush()).toEqual([]);
    s.push(media(3));
    const closing = s.push(ev(4, "note", { message: "done" }));
    expect(closing.map((u) => u.id)).toEqual(["r1", "r4"]);
    expect(closing[0].html).toContain("media ×3");
    expect(s.snapshot().map((u) => u.id)).toEqual(["r0", "r1", "r4"]);
  });
  it("stops adding rows past its cap and says so", () => {
    const s = new LiveSequence(0, "r", 3);
    for (let i = 0; i < 5; i++) s.push(ev(i, "note", { message: `n${i}` }));
    expect(s.snapshot()).toHaveLength(3);
    expect(s.cut).toBe(true);
  });
});

describe("the live page's escaping", () => {
  const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>';
  it("app text is escaped in the call list, the webhooks table and the call page; the CSP allows one script by hash", () => {
    const summary = { callId: "c1", direction: "inbound", state: "answered", from: hostile, to: "+1", appUrl: `http://x/${hostile}`, label: hostile, startTime: "now" };
    const html = callListItem(summary).s + exchangesTable([{ atMs: 1, role: "webhook", eventType: hostile, method: "POST", url: "http://x/", status: 200, durationMs: 3, attempt: 1, error: hostile }]).s;
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
    const page = renderCallPage({ call: summary, exchanges: [], documents: [{ url: "http://x", text: `<Response>${hostile}</Response>`, diagnostics: [] }], documentLinks: ["/d"], audio: [], turns: [], reportUrl: "/r", timelineUrl: "/t", eventsUrl: "/e" }, { url: "http://127.0.0.1:1", apiBaseUrl: "http://127.0.0.1:1/api/v2", accountId: "1", maxCalls: 1 }, ["hello"], FAULT_BUTTONS);
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page).not.toMatch(/<img/);
    expect(LIVE_CSP).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'; /);
    expect(/script-src [^;]*/.exec(LIVE_CSP)![0]).not.toContain("unsafe");
    expect(LIVE_CSP).toContain("connect-src 'self'");
  });

  it("the call page's fault buttons are the control API's faults that have a button, each explained in its title", () => {
    const call = { callId: "c1", direction: "inbound", state: "answered", from: "+1", to: "+2", appUrl: "http://x/", label: "x", startTime: "now" };
    const page = renderCallPage({ call, exchanges: [], documents: [], documentLinks: [], audio: [], turns: [], reportUrl: "/r", timelineUrl: "/t", eventsUrl: "/e" }, { url: "http://127.0.0.1:1", apiBaseUrl: "http://127.0.0.1:1/api/v2", accountId: "1", maxCalls: 1 }, [], FAULT_BUTTONS);
    const shown = [...page.matchAll(/data-fault="([^"]+)" title="([^"]+)">([^<]+)</g)].map((m) => m[1]);
    expect(shown).toEqual(Object.entries(FAULTS).filter(([, f]) => "button" in f).map(([k]) => k));
    expect(shown).toContain("drop-stream");
    for (const k of shown) expect(checkFault({ kind: k }).ok, k).toBe(true);
    expect(page).toContain(`title="the carrier drops the media stream&#39;s TCP connection`);
  });
});
