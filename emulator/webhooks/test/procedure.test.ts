import { describe, expect, it } from "vitest";
import { classifyBxmlAttempt, nextStep } from "../procedure.js";
import { firstElementName, isBxmlRooted, isXmlContentType } from "../sniff.js";
import { resolveUrl } from "../url.js";
import { buildWebhookRequest } from "../request.js";

describe("ED-8 decisions", () => {
  const policy = { hasFallback: true, connectionRetries: 1 };
  it("connection error → same URL once, then fallback, then give up", () => {
    const ce = { kind: "connection-error" as const, reason: "x" };
    expect(nextStep({ target: "primary", attemptOnTarget: 1 }, ce, policy)).toEqual({ action: "send", target: "primary", attempt: 2 });
    expect(nextStep({ target: "primary", attemptOnTarget: 2 }, ce, policy)).toEqual({ action: "send", target: "fallback", attempt: 1 });
    expect(nextStep({ target: "fallback", attemptOnTarget: 1 }, ce, policy)).toEqual({ action: "send", target: "fallback", attempt: 2 });
    expect(nextStep({ target: "fallback", attemptOnTarget: 2 }, ce, policy)).toEqual({ action: "give-up" });
  });
  it("failure → fallback without retry; no fallback → give up", () => {
    const f = { kind: "failure" as const, reason: "x" };
    expect(nextStep({ target: "primary", attemptOnTarget: 1 }, f, policy)).toEqual({ action: "send", target: "fallback", attempt: 1 });
    expect(nextStep({ target: "primary", attemptOnTarget: 1 }, f, { ...policy, hasFallback: false })).toEqual({ action: "give-up" });
  });
  it("classifies replies", () => {
    const r = (status: number, body: string) => ({ kind: "response" as const, status, headers: {}, body, raw: Buffer.from(body), bytes: body.length });
    expect(classifyBxmlAttempt(r(200, "<Response/>")).kind).toBe("bxml");
    expect(classifyBxmlAttempt(r(204, "")).kind).toBe("failure");
    expect(classifyBxmlAttempt(r(301, "<Response/>")).kind).toBe("failure");
    expect(classifyBxmlAttempt({ kind: "timeout", error: "t" }).kind).toBe("failure");
    expect(classifyBxmlAttempt({ kind: "connection-error", error: "ECONNRESET" }).kind).toBe("connection-error");
  });
});

describe("BXML sniffing (§6.2 'body is BXML')", () => {
  it.each([
    ["<Response/>", "Response"],
    ["\uFEFF<?xml version='1.0'?>\n<!-- c --><!DOCTYPE x><Bxml>", "Bxml"],
    ["  <Foo/>", "Foo"],
    ["{\"a\":1}", undefined],
    ["", undefined],
  ])("%j → %s", (body, name) => expect(firstElementName(body)).toBe(name));
  it("only Response and Bxml are BXML", () => {
    expect(isBxmlRooted("<Response><Pause>")).toBe(true);
    expect(isBxmlRooted("<response/>")).toBe(false);
  });
  it("a DOCTYPE makes the body BXML for the parser to refuse (bxml/doctype), its internal subset skipped whole", () => {
    expect(firstElementName('<!DOCTYPE r [<!ENTITY y "a>b]"> <!ENTITY z \'>\'>]><Response/>')).toBe("Response");
    expect(isBxmlRooted('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Response/>')).toBe(true);
    expect(isBxmlRooted("<!DOCTYPE r [<!ENTITY x 'never closed")).toBe(true);
    expect(isBxmlRooted("<!-- c --><Foo/>")).toBe(false);
    expect(isBxmlRooted("<!DOCTYPE html><html><body>502</body></html>")).toBe(false);
  });
  it("XML content types", () => {
    expect(isXmlContentType("application/xml; charset=utf-8")).toBe(true);
    expect(isXmlContentType("text/xml")).toBe(true);
    expect(isXmlContentType("text/html")).toBe(false);
    expect(isXmlContentType(undefined)).toBe(false);
  });
});

describe("relative URLs (§1.5 table)", () => {
  it.each([
    ["/onGatherComplete", "https://example.com/answer", "https://example.com/onGatherComplete"],
    ["Tone.mp3", "http://host:4711/callbacks/inboundCall", "http://host:4711/callbacks/Tone.mp3"],
    ["/callbacks/inboundCall", "http://host/callbacks/inboundCall", "http://host/callbacks/inboundCall"],
    ["https://other/x?a=1&b=2", "http://host/", "https://other/x?a=1&b=2"],
  ])("%s against %s", (rel, base, want) => expect(resolveUrl(rel, base)).toEqual({ ok: true, url: want }));
  it("relative without a base is an error (OPEN-5)", () => {
    const r = resolveUrl("/x", undefined);
    expect(r.ok).toBe(false);
  });
  it("non-http schemes are refused", () => expect(resolveUrl("ftp://x/y", undefined).ok).toBe(false));
});

describe("request building", () => {
  it("no credentials → no Authorization", () => {
    const r = buildWebhookRequest("http://x/y", "POST", { a: 1 });
    expect(r.headers.authorization).toBeUndefined();
    expect(r.body).toBe('{"a":1}');
  });
});
