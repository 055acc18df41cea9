// The stream-event cases differ only in the event they wait for; one factory keeps them one line each.
import type { ConformanceCase } from "../types.js";
import type { ScenarioId } from "../scenarios.js";
import { fail, pass, pick, webhookResults } from "../observe.js";

// bandwidth.md §5.1 and the event's own section (§5.4 started, §5.5 rejected, §5.6 stopped).
export function streamEventAck(id: string, eventType: string, scenario: ScenarioId): ConformanceCase {
  return {
    id,
    level: "MUST",
    title: `${eventType} is acknowledged`,
    expectation: `${eventType} gets a 2xx within the callback timeout`,
    docs: [`https://dev.bandwidth.com/docs/voice/webhooks/${eventType}`, "https://dev.bandwidth.com/docs/voice/bxml/startStream"],
    outcomes: "any 2xx (204 documented); skipped without streamEventUrl",
    scenarios: [scenario],
    requires: ["streamEventUrl"],
    check(c) {
      const hook = webhookResults(c.call, eventType)[0];
      if (!hook) return fail(`a ${eventType} delivery`, "the carrier sent none", []);
      if (!hook.data.ok) return fail("2xx", hook.data.status !== undefined ? `HTTP ${hook.data.status}` : `${hook.data.error}`, pick(hook));
      return pass(`HTTP ${hook.data.status}`);
    },
  };
}
