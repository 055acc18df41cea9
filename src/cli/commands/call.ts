// `bwemu call`: flags and help. The command's code (../call.ts) loads when it runs.
import { Option, type Command } from "commander";
import { lazyAction } from "./lazy.js";

export function register(program: Command): void {
  program
    .command("call")
    .description("place one call to an app (inbound initiate, or --outbound answer) → BXML → media stream, with a live timeline")
    .option("--app <url>", "the app's initiate URL (CallInitiatedCallbackUrl); not with --bridge or --direct")
    .option("--wait-for-app <time>", "with --app: wait up to this long for the app to accept connections (e.g. 30s)")
    .option("--bridge <name>", "run a bundled bridge as a child process instead of --app: reference, passthrough, or a faulty one")
    .option("--bridge-delay <time>", "with --bridge: hold every playAudio this long (a known delay, e.g. 50ms)")
    .option("--direct", "no bridge: connect the call's audio straight to the Realtime endpoint (the baseline)")
    .option("--realtime <stub|url|opaque>", "the Realtime side: `stub` (in-process, default with --bridge/--direct), a ws(s) URL (key from OPENAI_API_KEY), or `opaque` (--app: your app's own model or bot; its turns are still expected to get replies)")
    .option("--stub-port <n>", "port of the in-process stub (default 4020 with --app, else any free port)")
    .option("--stub-script <file>", "reply script for the in-process stub (JSON/YAML; default: the built-in one)")
    .option("--greeting", "with --bridge/--direct: the agent speaks first")
    .option("--turns <n>", "the caller says N utterances (cycling the fixture speech), each after the previous reply; prints latency")
    .option("--audio <wav>", "the caller's audio (WAV, any common format)")
    .option("--script <file>", "utterance script (JSON/YAML: {script:[{wav, silenceBeforeMs, start}]}) instead of --audio")
    .option("--dtmf <digits>", "digits the caller presses for Gather/StartGather (w = 0.5 s pause)")
    .option("--duration <time>", "bwemu's limit: hang up each call after this long at the latest (e.g. 30s, 2m, 1500ms; default 30s, with --turns 10s + 15s a turn)")
    .option("--hangup-after <time>", "hang up this long after the caller's audio and the app's reply finished", "3s")
    .option("--linger <time>", "after the call, keep the Voice API up this long so the app can download recordings (e.g. 30s)")
    .option("--out <dir>", "where to write timeline.jsonl, WAVs, BXML and recordings (default bwemu-out/<callId>)")
    .option("--callback-user <user>", "Basic credentials the carrier sends with initiate/disconnect")
    .option("--callback-password <password>", "password for --callback-user (or env BWEMU_CALLBACK_PASSWORD)")
    .option("--from <number>", "caller number", "+15557770100")
    .option("--to <number>", "called number", "+15557770199")
    .option("--method <method>", "initiate method: POST or GET", "POST")
    .option("--l16", "stream L16 16 kHz instead of PCMU 8 kHz (an option of bwemu's; live Bandwidth streams PCMU)")
    .option("--hangup-at <time>", "the caller hangs up this long after the stream starts")
    .option("--json", "print timeline events as JSON lines and a final result line")
    // outbound calls and the application (createCall's fields; the app's own ids for its REST calls)
    .option("--outbound", "the carrier calls out, as REST createCall would: `answer` to --answer-url (--audio is what the called party says)")
    .option("--answer-url <url>", "with --outbound: the app's answerUrl (--method sets answerMethod)")
    .option("--disconnect-url <url>", "with --outbound: createCall's disconnectUrl (receives `disconnect`)")
    .option("--machine-detection <result>", "what answering-machine detection concludes (human, answering-machine, tone-detected, silence, timeout, error): on the --outbound call, and on calls the app creates with machineDetection")
    .option("--machine-detection-mode <mode>", "sync (the result travels in `answer`) or async (default, machineDetectionComplete)")
    .option("--machine-detection-url <url>", "async mode: machineDetection.callbackUrl")
    .option("--status-url <url>", "inbound: the application's CallStatusCallbackUrl (receives `disconnect`)")
    .option("--account-id <id>", "the account id the Voice API accepts and webhooks carry (default 9900000)")
    .option("--application-id <id>", "the application id createCall accepts and webhooks carry")
    // Carrier fidelity (src/cli/carrier-flags.ts turns these into settings).
    .option(
      "--fast",
      "functional run: media frames as fast as the socket takes them, and the carrier's timers (Ring, Pause, Gather/Record timeouts, DTMF gaps, --duration) on virtual time that skips ahead whenever the call waits on nothing but a timer; webhooks, prompts and open media streams still take real time (a call with an open stream runs its timers in real time); no latency figures",
    )
    .addOption(
      new Option("--caller-starts-at <when>", "when the caller's audio starts: with the first stream's start frame or a recording's start (the app receives the whole file), or on the call's clock from answer (audio before the stream starts is lost, as on a live call)")
        .choices(["stream-start", "answer"])
        .default("stream-start"),
    )
    .option("--max-documents <n>", "BXML documents (webhook replies) a call may request before it ends with application-error, e.g. a Redirect loop (default 100)")
    .addHelpText(
      "after",
      "\nExit codes: 0 every call completed normally (calls the app creates through the Voice API included),\n" +
        "1 the app misbehaved (reason printed), 2 usage error\n" +
        "(also nothing answering at --app, a missing or refused OPENAI_API_KEY in live mode).\n" +
        "Examples:\n  bwemu call --app http://127.0.0.1:3000/voice --audio caller.wav --fast --out run1\n" +
        "  bwemu call --bridge reference --turns 5                 # reference bridge ↔ in-process stub\n" +
        "  bwemu call --app http://127.0.0.1:3000/voice --realtime stub --turns 5   # your bridge → ws://127.0.0.1:4020/v1/realtime\n" +
        "  bwemu call --direct --turns 5                          # no bridge: the baseline\n" +
        "  bwemu call --outbound --answer-url http://127.0.0.1:3000/answer --dtmf 1 --account-id 5551234 --application-id my-app\n" +
        "  bwemu call --app http://127.0.0.1:3000/voice --fast --max-documents 20 --duration 1h   # a Redirect loop, on virtual time\n" +
        "  OPENAI_API_KEY=… bwemu call --direct --realtime wss://api.openai.com/v1/realtime --turns 3",
    )
    .action(lazyAction(async () => (await import("../call.js")).runCallCommand));
}
