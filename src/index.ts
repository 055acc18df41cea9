// The public API: `import { … } from "bwemu"`.
export { lintBxml, lintRules, type LintOptions, type LintRuleInfo } from "./lint.js";
export type { Diagnostic, Level, BxmlContext } from "../emulator/bxml/model.js";
export { parseBxml } from "../emulator/bxml/parse.js";
export { defineConfig, type BwemuConfig } from "./config.js";
export { Carrier } from "../emulator/call/carrier.js";
export type { CallHandle, CallResult, CarrierSettings, PlaceCallOptions, CallAction, CallerAudio } from "../emulator/call/types.js";
export { startRealtimeStub, type RealtimeStub, type StubOptions } from "../emulator/realtime/server.js";
export type { StubSessionRecord, StubTurn } from "../emulator/realtime/record.js";
export { Timeline, type TimelineEvent, type TimelineEventMap } from "../emulator/timeline.js";
export { computeCallLatency, aggregate as latencyPercentiles } from "../emulator/latency/index.js";
export { runTest, type TestRunOptions, type TestRunOutcome } from "./run/index.js";
export { runConformance } from "./run/conformance.js";
export type { RunResult } from "../reports/model.js";
