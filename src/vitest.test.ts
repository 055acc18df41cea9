import { describe, expect, it } from "vitest";
import { bwemuMatchers } from "./vitest.js";

expect.extend(bwemuMatchers);

describe("toBeValidBxml", () => {
  it("passes a keep-alive streaming answer and fails one without a destination", () => {
    expect('<Response><StartStream name="a" destination="wss://x.example/ws"/><StopStream name="a" wait="true"/></Response>').toBeValidBxml();
    expect("<Response><StartStream/></Response>").not.toBeValidBxml();
  });
  it("explains what is wrong", () => {
    const r = bwemuMatchers.toBeValidBxml("<Response><Pause duration=\"x\"/></Response>");
    expect(r.pass).toBe(false);
    expect(r.message()).toMatch(/1:\d+ error bxml\/[a-z-]+/);
  });
});
