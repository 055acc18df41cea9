// `bwemu load`: flags and help. The command's code (../load.ts) loads when it runs.
import type { Command } from "commander";
import type { LoadFlags } from "../load.js";

export function register(program: Command): void {
  program
    .command("load")
    .description("load-test an app: many full calls at once (BXML, stream, audio both ways, turns), live figures, JSON + HTML report")
    .option("--app <url>", "the app's initiate URL; not with --bridge")
    .option("--bridge <name>", "run a bundled bridge as a child process instead of --app (reference, passthrough)")
    .requiredOption("--calls <n>", "concurrent calls to hold (with --duration), else calls to place in all")
    .option("--rate <n/s>", "start at most this many calls per second (default 10/s, or as fast as --ramp allows)")
    .option("--duration <time>", "hold --calls concurrent calls this long, replacing calls that end; the run ends on time (e.g. 60s)")
    .option("--ramp <time>", "grow to --calls concurrent calls linearly over this long")
    .option("--turns <n>", "each caller says N utterances (the fixture speech), each after the previous reply", "3")
    .option("--audio <wav>", "the caller's audio instead of --turns (WAV, any common format)")
    .option("--dtmf <digits>", "digits each caller presses for Gather/StartGather (w = 0.5 s pause)")
    .option("--realtime <stub|url>", "`stub`: run the Realtime stub (point your bridge at it; default with --bridge); a ws(s) URL: the endpoint for --bridge")
    .option("--stub-port <n>", "port of the stub (default 4020 with --app, else any free port)")
    .option("--call-duration <time>", "hang each call up after this long at the latest (default 10s + 15s a turn)")
    .option("--hangup-after <time>", "a call hangs up this long after its caller audio and the app's reply finished", "3s")
    .option("--workers <n>", "worker threads carrying the calls (default: one per core; 0: all on the main thread)")
    .option("--window <time>", "aggregation window of the live line and the plots", "1s")
    .option("--l16", "stream L16 16 kHz instead of PCMU 8 kHz")
    .option("--no-cross-talk", "do not sign each call's caller audio nor fail calls that hear another call's signature")
    .option("--record", "keep each call's audio both ways while it runs, as bwemu call does (~56 KB per call-second); by default a load call keeps none")
    .option("--wait-for-app <time>", "with --app: wait up to this long for the app to accept connections (e.g. 30s)")
    .option("--out <dir>", "where to write load.json and load.html (default bwemu-out/load-<time>)")
    .option("--json", "print the result as JSON on stdout (the live line goes to stderr)")
    .addHelpText(
      "after",
      "\nbwemu measures itself in every run: its pacing lateness and CPU per shard are in the results; when its own\n" +
        "lateness p99 passes 5 ms the run says its latency figures are untrustworthy (the machine, not the bridge).\n" +
        "Ctrl-C ends the run cleanly and writes a partial report.\n" +
        "Cross-talk: each caller utterance opens with its call's own 300 ms tone pair (below 3.4 kHz, off DTMF; up to 136 calls\n" +
        "at once each have their own, more share and the results count them);\n" +
        "a call whose caller hears another call's pair fails with reason cross-talk, naming both calls and when. With the\n" +
        "stub (--realtime stub) replies echo the caller, so replies routed to the wrong call are caught too; with any other\n" +
        "upstream only caller audio reaching another call is caught (the results say so).\n" +
        "Exit codes: 0 every call completed, 1 some calls failed (reasons counted), 2 usage error, 3 bwemu itself failed.\n" +
        "Examples:\n  bwemu load --app http://127.0.0.1:3000/voice --realtime stub --calls 50 --duration 60s --ramp 10s\n" +
        "  bwemu load --bridge reference --calls 20 --turns 2            # 20 calls in all, 10/s\n" +
        "  bwemu load --app http://127.0.0.1:3000/voice --calls 100 --rate 5/s --duration 2m --out load-run",
    )
    .action(async (flags: LoadFlags) => {
      const { runLoadCommand } = await import("../load.js");
      process.exitCode = await runLoadCommand(flags);
    });
}
