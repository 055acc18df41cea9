// The public API: `import { … } from "bwemu"`.
export { lintBxml, lintRules, type LintOptions, type LintRuleInfo } from "./lint.js";
export type { Diagnostic, Level, BxmlContext } from "../emulator/bxml/model.js";
export { parseBxml } from "../emulator/bxml/parse.js";
export { defineConfig, resolveConfig, loadConfigFile, type BwemuConfig, type ResolvedConfig } from "./config.js";
export { Carrier } from "../emulator/call/carrier.js";
export { placeCall, type PlaceCallSetup, type OutboundCallOptions } from "./place-call.js";
export { startBwemu, type Bwemu, type BwemuOptions, type PlaceCallInput, type CallAudioInput } from "./testkit/harness.js";
export type { PlacedCall, WebhookRecord } from "./testkit/record.js";
export type { CallHandle, CallResult, CarrierDeps, CarrierSettings, PlaceCallOptions, CallAction, CallerAudio, CallerUtterance, StreamRecord } from "../emulator/call/types.js";
export { startRealtimeStub, type RealtimeStub, type StubOptions } from "../emulator/realtime/server.js";
export type { StubSessionRecord, StubTurn } from "../emulator/realtime/record.js";
export { Timeline, type TimelineEvent, type TimelineEventMap } from "../emulator/timeline.js";
export { computeCallLatency, aggregate as latencyPercentiles } from "../emulator/latency/index.js";
export { runTest, type TestRunOptions, type TestRunOutcome } from "./run/index.js";
export { runConformance } from "./run/conformance.js";
export type { RunResult, CaseResult, Verdict, CaseLevel, Summary, Latency, LatencyMetric, CallRecord, ReporterName } from "../reports/model.js";
