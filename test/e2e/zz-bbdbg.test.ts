import { it, expect } from "vitest";
import { resolveConfig } from "../../src/config.js";
import { runConformance, RUN_STUB_OPTIONS } from "../../src/run/conformance.js";
import { startBridgeProcess } from "../../src/run/bridge-process.js";
import { startRealtimeStub } from "../../emulator/realtime/server.js";
import { startCrashingProxy } from "./bad-bridges/bridges.js";
it("dbg", async () => {
  const stub = await startRealtimeStub({ ...RUN_STUB_OPTIONS, port: 0 });
  const bridge = await startBridgeProcess({ realtimeUrl: stub.url, env: { QUIET: "1" } });
  const proxy = await startCrashingProxy(new URL(bridge.url), Number(process.env.AFTER ?? 1000));
  const config = resolveConfig({}, { cases: (process.env.CASES ?? "audio.*,latency.*,stream.*,answer.*,events.*").split(","), timeouts: { callbackMs: 1500, callMs: 10000, runMs: 40000 } }, {});
  const o = await runConformance({ config, appUrl: proxy.url, stub });
  for (const c of o.result.cases) if (c.verdict !== "skipped") console.log(c.id, c.level, c.verdict, "|", c.expected, "|", c.observed, "|", c.message, "| ev", c.evidence.length);
  console.log(JSON.stringify(o.result.calls.map((c) => [c.scenario, c.durationMs, c.disconnectCause, c.streams])));
  console.log("crashed", proxy.crashed(), "exit", o.exitCode);
  await proxy.close(); await bridge.stop(); await stub.close();
  expect(1).toBe(1);
});
