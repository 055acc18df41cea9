// Vitest matchers for bridge authors: `expect.extend(bwemuMatchers)`, then
// `expect(xml).toBeValidBxml()` or `expect(xml).toBeValidBxml({ strict: true, context: "transferAnswer" })`.
import { lintBxml, type LintOptions } from "./lint.js";
// Type-only: the augmentation below needs vitest resolvable; nothing of vitest loads at run time.
import type {} from "vitest";

export const bwemuMatchers = {
  toBeValidBxml(received: unknown, options: LintOptions = {}) {
    if (typeof received !== "string" && !(received instanceof Uint8Array)) {
      return { pass: false, message: () => `expected BXML text, got ${typeof received}` };
    }
    const failing = lintBxml(received, options).filter((d) => d.level === "error" || (options.strict && d.level === "warning"));
    return {
      pass: failing.length === 0,
      message: () =>
        failing.length
          ? `expected valid BXML, found:\n${failing.map((d) => `  ${d.line}:${d.col} ${d.level} ${d.ruleId}: ${d.message}`).join("\n")}`
          : "expected the BXML to be invalid, but it lints clean",
    };
  },
};

declare module "vitest" {
  interface Assertion<T = any> {
    toBeValidBxml(options?: LintOptions): T;
  }
}
