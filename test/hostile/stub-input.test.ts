// Hostile Realtime client input: a `session.update` nested 10 000 deep and a 10 MB nested array are
// refused before any parsing with the error the live service gives for a bad client event
// (`invalid_request_error`, one `error` event, socket open, session unchanged), never "internal
// error: Maximum call stack size exceeded"; another session keeps being served meanwhile. The stub
// runs on its own thread (as `bwemu call`/`bwemu test` run it), the clients here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRealtimeStubThread } from "../../emulator/realtime/thread.js";
import type { RealtimeStub } from "../../emulator/realtime/server.js";
import { checkJsonShape, CLIENT_EVENT_SHAPE } from "../../emulator/protocol/json-shape.js";
import { Client } from "../../emulator/realtime/test/helpers.js";

let stub: RealtimeStub;
beforeAll(async () => {
  stub = await startRealtimeStubThread({});
}, 60_000);
afterAll(() => stub?.close());

const nested = (depth: number) => '{"a":'.repeat(depth) + "[]" + "}".repeat(depth);
const update = (x: string) => `{"type":"session.update","event_id":"evt_1","session":{"type":"realtime","tools":[{"type":"function","name":"f","parameters":${x}}]}}`;

async function refused(c: Client, frame: string, message: RegExp): Promise<void> {
  const before = c.of("error").length;
  c.sendRaw(frame);
  await c.until((x) => x.of("error").length > before, 20_000, "the error");
  const e = c.of("error").at(-1)!;
  expect(e.error).toMatchObject({ type: "invalid_request_error", code: "invalid_value", param: null });
  expect(e.error.message).toMatch(message);
  expect(e.error.message).not.toMatch(/internal error|call stack/i);
  expect(c.closed).toBeUndefined();
}

describe("stub input bounds", () => {
  it("a session.update nested 10 000 deep: invalid_request_error, the session goes on", async () => {
    const c = await Client.connect(stub.url);
    await c.until((x) => x.of("session.created").length === 1);
    await refused(c, update(nested(10_000)), /Invalid JSON: nesting deeper than 128 levels/);
    expect(c.of("session.updated")).toHaveLength(0);
    // The same update at an ordinary depth is accepted: the session state was untouched.
    c.sendRaw(update(nested(20)));
    await c.until((x) => x.of("session.updated").length === 1);
    c.ws.close();
  });

  it("a 10 MB nested array: refused without parsing while another session is served", { timeout: 60_000 }, async () => {
    const victim = await Client.connect(stub.url);
    const hostile = await Client.connect(stub.url);
    await victim.until((x) => x.of("session.created").length === 1);
    await hostile.until((x) => x.of("session.created").length === 1);
    await refused(hostile, update("[".repeat(5_000_000) + "]".repeat(5_000_000)), /nesting deeper than 128/);
    // Bulk outside strings (a flat 10 MB array of numbers) is refused too; the same bytes in a string are fine.
    await refused(hostile, update(`[${"1,".repeat(5_000_000)}1]`), /outside strings/);
    victim.send({ type: "conversation.item.retrieve", item_id: "item_none", event_id: "evt_v" });
    await victim.until((x) => x.of("error").some((e) => e.error.event_id === "evt_v"));
    await stub.sync();
    const rec = stub.sessions().find((s) => s.id === hostile.of("session.created")[0].session.id)!;
    expect(rec.clientEvents.map((e) => e.type)).toEqual(["(invalid)", "(invalid)"]);
    victim.ws.close();
    hostile.ws.close();
  });
});

describe("checkJsonShape", () => {
  it("counts only structure outside strings; escaped quotes and brackets in strings are text", () => {
    expect(checkJsonShape(`{"a":"[[[[\\"]]]]"}`, { maxDepth: 1, maxStructureChars: 100 })).toBeUndefined();
    expect(checkJsonShape(`{"a":[[1]]}`, { maxDepth: 2, maxStructureChars: 100 })).toEqual({ kind: "too-deep", limit: 2 });
    expect(checkJsonShape(`{"a":"${"x".repeat(1000)}"}`, { maxDepth: 2, maxStructureChars: 10 })).toBeUndefined();
    expect(checkJsonShape(`[${"1,".repeat(10)}1]`, { maxDepth: 2, maxStructureChars: 10 })).toMatchObject({ kind: "too-much-structure" });
    expect(checkJsonShape(`{"a":"\\\\"}`, CLIENT_EVENT_SHAPE)).toBeUndefined();
    expect(checkJsonShape(`{"a":"unterminated`, CLIENT_EVENT_SHAPE)).toBeUndefined();
  });
});
