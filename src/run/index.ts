// A whole `bwemu test` run: the stub (unless live), a bundled bridge when asked for one, the suite,
// and the reports. Used by `bwemu test`, `npm start` and the library API.

import { randomBytes } from "node:crypto";
import { startRealtimeStubForRun } from "../../emulator/realtime/thread.js";
import { writeReports, type WrittenReport } from "../../reports/write.js";
import type { ResolvedConfig } from "../config.js";
import { UsageError } from "../exit.js";
import { spawnBridge, type BridgeProcess } from "../../fixtures/bridges/process.js";
import { RUN_STUB_OPTIONS, runConformance, type ConformanceOutcome, type Progress } from "./conformance.js";

export interface TestRunOptions {
  config: ResolvedConfig;
  /** Start a bundled bridge: "reference" or the name of a faulty one (fixtures/bridges/faulty). */
  bridge?: string;
  onProgress?: (p: Progress | { kind: "ready"; stubUrl?: string; appUrl: string }) => void;
}

export interface TestRunOutcome extends ConformanceOutcome {
  reports: WrittenReport[];
  bridgeOutput?: string[];
}

export async function runTest(o: TestRunOptions): Promise<TestRunOutcome> {
  const cfg = o.config;
  if (!cfg.app && !o.bridge) throw new UsageError("give the app's initiate URL with --app URL (or --bridge reference to try the bundled one)");
  if (cfg.app && o.bridge) throw new UsageError("--app and --bridge are exclusive");
  if (o.bridge && cfg.realtime !== "stub") throw new UsageError("--bridge runs against the stub only");
  const stub = cfg.realtime === "stub" ? await startRealtimeStubForRun({ ...RUN_STUB_OPTIONS, port: o.bridge ? 0 : cfg.stubPort }) : undefined;
  let bridge: BridgeProcess | undefined;
  const output: string[] = [];
  let exit: { code: number | null } | undefined;
  try {
    let config = cfg;
    if (o.bridge) {
      // A bundled bridge is configured like a production one: it requires callback credentials
      // (fresh per run) and takes the disconnect webhook, so those cases run instead of being skipped.
      const callbackCreds = { username: "bwemu", password: randomBytes(12).toString("hex") };
      bridge = await spawnBridge({
        realtimeUrl: stub!.url,
        fault: o.bridge === "reference" ? undefined : o.bridge,
        env: { QUIET: "1", GREETING: "1", WEBHOOK_USERNAME: callbackCreds.username, WEBHOOK_PASSWORD: callbackCreds.password },
        onLine: (l) => {
          output.push(l);
          if (output.length > 400) output.shift();
        },
      });
      void bridge.exited.then((e) => (exit = e));
      config = { ...cfg, callbackCreds, statusUrl: bridge.url.replace(/\/voice$/, "/status") };
    }
    const appUrl = cfg.app ?? bridge!.url;
    o.onProgress?.({ kind: "ready", stubUrl: stub?.url, appUrl });
    const outcome = await runConformance({ config, appUrl, stub, label: o.bridge ? `bundled bridge: ${o.bridge}` : undefined, onProgress: o.onProgress });
    if (exit) outcome.result.harness.warnings.push(`the bridge process exited during the run (code ${exit.code})`);
    const reports = await writeReports(outcome.result, { outDir: cfg.out, reporters: cfg.reporters });
    return { ...outcome, reports, bridgeOutput: bridge ? output : undefined };
  } finally {
    await bridge?.close();
    await stub?.close();
  }
}
