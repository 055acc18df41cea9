// `bwemu test`: the conformance suite against a bridge.
import { loadCases, selectCases } from "../../suites/runner.js";
import { loadConfigFile, resolveConfig, type BwemuConfig } from "../config.js";
import { runTest } from "../run/index.js";
import type { ReporterName } from "../../reports/model.js";
import { checkBridgeName } from "../bridges.js";
import { colorsFor } from "./colors.js";
import { EXIT, UsageError } from "../exit.js";
import { checkReadable, checkWritableDir } from "./files.js";
import { parseDuration, parseInt10 } from "../parse.js";
import { printSummary, progressPrinter } from "./summary.js";
import { BLOB_REPORTER } from "../run/blob.js";
import { parseShard, planShards } from "../run/shard.js";
import { directedCases, directionSkip, directionsOf } from "../../suites/direction.js";

export interface TestFlags {
  app?: string;
  waitForApp?: string;
  bridge?: string;
  realtime?: string;
  stubPort?: string;
  cases?: string[];
  exclude?: string[];
  strict?: boolean;
  repeat?: string;
  baseline?: string;
  reporter?: string[];
  out?: string;
  callbackUser?: string;
  statusUrl?: string;
  config?: string;
  list?: boolean;
  verbose?: boolean;
  callerStartsAt?: string;
  shard?: string;
  direction?: string;
  answerUrl?: string;
  disconnectUrl?: string;
}

export async function runTestCommand(opts: TestFlags): Promise<number> {
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const file = await loadConfigFile(opts.config);
  if (opts.list) {
    const { selected } = selectCases(await loadCases(), opts.cases, opts.exclude);
    // One line per verdict (with --direction both, each case's outbound one too); with --shard, those
    // that shard judges (the same plan every shard computes).
    const directions = directionsOf(resolveConfig({ direction: file.direction }, { direction: opts.direction }, {}).direction);
    const units = directedCases(selected, directions);
    const part = shard && planShards(units, shard.total)[shard.index - 1];
    for (const u of units) {
      if (part && !part.cases.includes(u.id)) continue;
      const skip = directionSkip(u.case, u.direction);
      process.stdout.write(`${u.id.padEnd(38)} ${u.case.level.padEnd(6)} ${u.case.title}${skip ? ` (skipped: ${skip})` : ""}\n`);
    }
    return EXIT.OK;
  }
  // The blob is not a report of a run result: it is written beside them. A shard writes only its
  // blob unless reporters were asked for (per-shard reports are partial: the merge writes the real ones).
  const blob = !!shard || !!opts.reporter?.includes(BLOB_REPORTER);
  const reporters = opts.reporter?.filter((r) => r !== BLOB_REPORTER) ?? (shard && !file.reporters ? [] : undefined);
  const flags: BwemuConfig = {
    app: opts.app,
    realtime: opts.realtime,
    stubPort: opts.stubPort === undefined ? undefined : parseInt10(opts.stubPort, "--stub-port", 0, 65535),
    cases: opts.cases,
    exclude: opts.exclude,
    strict: opts.strict,
    repeat: opts.repeat === undefined ? undefined : parseInt10(opts.repeat, "--repeat", 1, 1000),
    baseline: opts.baseline,
    reporters: reporters as ReporterName[] | undefined,
    out: opts.out,
    callbackUser: opts.callbackUser,
    statusUrl: opts.statusUrl,
    verbose: opts.verbose,
    callerStartsAt: opts.callerStartsAt,
    direction: opts.direction,
    answerUrl: opts.answerUrl,
    disconnectUrl: opts.disconnectUrl,
  };
  const config = resolveConfig(file, flags);
  for (const [flag, given] of [["--answer-url", opts.answerUrl], ["--disconnect-url", opts.disconnectUrl]] as const) {
    if (given !== undefined && config.direction === "inbound") throw new UsageError(`${flag} is for outbound calls: add --direction outbound (or both)`);
  }
  if (opts.bridge !== undefined) await checkBridgeName(opts.bridge, { passthrough: false });
  if (opts.waitForApp !== undefined && !config.app && !config.answerUrl) throw new UsageError("--wait-for-app needs --app or --answer-url (a bundled bridge is waited for anyway)");
  const waitForAppMs = opts.waitForApp === undefined ? 0 : parseDuration(opts.waitForApp, "--wait-for-app");
  if (config.baseline) await checkReadable(config.baseline, "--baseline");
  await checkWritableDir(config.out, "--out");
  const colors = colorsFor(process.stdout);
  const outcome = await runTest({
    config,
    bridge: opts.bridge,
    waitForAppMs,
    shard,
    blob,
    onProgress: progressPrinter(process.stdout, { starts: !!process.stdout.isTTY || config.verbose, colors }),
  });
  printSummary(process.stdout, outcome, { colors });
  return outcome.exitCode;
}
