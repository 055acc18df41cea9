// answer.relative-urls over recorded calls: the relative URL attributes of the answer, resolved
// against the URL that served it, and what the carrier's requests to them got back.
import { describe, expect, it } from "vitest";
import relativeUrls from "./answer/relative-urls.js";
import { judge } from "./runner.js";
import { recordedContext, type RecordedEvent } from "./recorded.js";

const SERVED = "https://app.example.com/calls/voice";
const ANSWER = `<Response><StartStream destination="wss://app.example.com/ws" streamEventUrl="events"/><Redirect redirectUrl="https://other.example.com/next"/></Response>`;

const webhook = (url: string, status?: number): RecordedEvent => ({
  kind: "http.exchange",
  data: { role: "webhook", method: "POST", url, requestHeaders: {}, durationUs: 1000, attempt: 1, ...(status ? { status } : { error: "connection refused" }) },
});

function verdict(text: string, events: RecordedEvent[] = []) {
  return judge(relativeUrls, recordedContext({ runs: { basic: [{ documents: [{ url: SERVED, text }], events }] } }));
}

describe("answer.relative-urls", () => {
  it("resolves against the serving URL and passes when the requests are answered", () => {
    const o = verdict(ANSWER, [webhook("https://app.example.com/calls/events?x=1", 200)]);
    expect(o.verdict).toBe("pass");
    expect(o.outcome.message).toBe("1 relative URL(s), 1 request(s) answered");
  });
  it("fails when a request to a relative URL gets 404 or no reply", () => {
    const o = verdict(ANSWER, [webhook("https://app.example.com/calls/events", 404)]);
    expect(o.verdict).toBe("fail");
    expect(o.outcome.observed).toContain("→ 404");
    expect(verdict(ANSWER, [webhook("https://app.example.com/calls/events")]).verdict).toBe("fail");
  });
  it("passes a document with only absolute URLs", () => {
    expect(verdict(`<Response><Redirect redirectUrl="https://other.example.com/next"/></Response>`).outcome.message).toBe("no relative URLs");
  });
});
