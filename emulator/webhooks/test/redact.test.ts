// Redaction on the parsed model (redact.ts) and the exact-value scrub (secret-set.ts).
import { describe, expect, it } from "vitest";
import { CREDENTIAL_ATTRIBUTES, redactBxml, redactHeaderValue, redactSecrets, redactUrl, SecretSet } from "../redact.js";

describe("credential attributes come from the catalogue", () => {
  it("every password of the catalogue and its known misspellings, nothing else", () => {
    expect([...CREDENTIAL_ATTRIBUTES].sort()).toEqual(["destination_password", "destinationpassword", "fallbackpassword", "password"]);
  });
});

describe("redactUrl", () => {
  it.each([
    ["wss://u:secret@h.example/ws?x=1", "wss://u:[redacted]@h.example/ws?x=1"],
    ["ws://u:p@ss@h/x", "ws://u:[redacted]@h/x"],
    ["wss://h.example/ws?a=b:c@d", "wss://h.example/ws?a=b:c@d"],
    ["wss://u@h.example/ws", "wss://u@h.example/ws"],
    ["  http://a:b@h", "  http://a:[redacted]@h"],
    ["not a url u:p@h", "not a url u:p@h"],
  ])("%s → %s", (url, want) => expect(redactUrl(url)).toBe(want));
});

describe("redactBxml", () => {
  it("replaces values at the parser's positions, whatever the quoting and escaping", () => {
    const doc = `<Response><StartStream destination="ws://u:a&amp;b@h/x" destinationPassword="x&quot;y'z" password='q"rs'/></Response>`;
    const secrets = new SecretSet();
    expect(redactBxml(doc, secrets)).toBe(`<Response><StartStream destination="ws://u:[redacted]@h/x" destinationPassword="[redacted]" password='[redacted]'/></Response>`);
    expect(secrets.scrubText(`echo x"y'z and q"rs`)).toBe("echo [redacted] and [redacted]");
  });

  it("a document that does not parse loses credential values and URL passwords too", () => {
    expect(redactBxml(`<Response><PlayAudio password="se'cret" >http://a:b@h</Play>`)).toBe(`<Response><PlayAudio password="[redacted]" >http://a:b@h</Play>`);
    expect(redactBxml(`<Response><Redirect redirectUrl='http://u:pw@h/x'>`)).toBe(`<Response><Redirect redirectUrl='http://u:[redacted]@h/x'>`);
  });

  it("non-BXML bodies: JSON fields and query parameters named like a password", () => {
    expect(redactSecrets(`{"password":"p\\"q","username":"u"}`)).toBe(`{"password":"[redacted]","username":"u"}`);
    expect(redactSecrets("http://h/x?password=abc&y=1")).toBe("http://h/x?password=[redacted]&y=1");
  });
});

describe("SecretSet and header values", () => {
  it("scrubs learnt values in every encoding, API keys by shape; short values are left to the structural redaction", () => {
    const s = new SecretSet();
    s.add("p@ss word");
    s.add("abc");
    expect(s.scrubText(`a p%40ss%20word b "p@ss word" c abc sk-proj-abcdefghijklmnopqrstuvwx`)).toBe(`a [redacted] b "[redacted]" c abc sk-[redacted]`);
    const data = { a: ["x p@ss word"], n: 1, untouched: { b: "fine" } };
    const out = s.scrub(data);
    expect(out).toEqual({ a: ["x [redacted]"], n: 1, untouched: { b: "fine" } });
    expect(out.untouched).toBe(data.untouched);
  });

  it("a header value with an auth scheme or an API key loses the credential", () => {
    expect(redactHeaderValue("Bearer abc.def")).toBe("Bearer [redacted]");
    expect(redactHeaderValue("key sk-abcdefghijklmnopqrstu")).toBe("key sk-[redacted]");
    expect(redactHeaderValue("text/xml")).toBe("text/xml");
  });
});
