import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parseBxml } from "../parse.js";
import { checkAcceptance } from "../acceptance/index.js";
const doc = `<?xml version="1.0" encoding="UTF-8"?>
<Response>
    <!-- greet -->
    <SpeakSentence voice="julie">Hello <emphasis level="strong">there</emphasis>, connecting you.</SpeakSentence>
    <StartRecording recordingAvailableUrl="https://x.example/rec?a=1&amp;b=2" fileFormat="wav"/>
    <StartStream name="s1" mode="bidirectional" tracks="inbound" destination="wss://bridge.example/ws?call=c-123" streamEventUrl="https://bridge.example/events">
        <StreamParam name="callId" value="c-123"/>
        <StreamParam name="token" value="abc"/>
    </StartStream>
    <StopStream name="s1" wait="true"/>
    <Gather gatherUrl="/gather" maxDigits="5" repeatCount="2"><SpeakSentence>Press 1</SpeakSentence><PlayAudio>beep.wav</PlayAudio></Gather>
</Response>
`;
const N = 20000;
const parser = new XMLParser({ ignoreAttributes: false, preserveOrder: true });
function time(label: string, f: () => unknown) {
  for (let i = 0; i < 2000; i++) f();
  const t = performance.now();
  for (let i = 0; i < N; i++) f();
  const ms = performance.now() - t;
  console.log(label, ((N / ms) * 1000).toFixed(0), "docs/s");
}
time("fxp parse", () => parser.parse(doc));
time("fxp validate", () => XMLValidator.validate(doc));
time("parseBxml", () => parseBxml(doc));
time("parseBxml nocheck", () => parseBxml(doc, { crossCheck: false }));
time("parse+accept", () => checkAcceptance(parseBxml(doc), { context: "initiate" }));
const big = "<Response>" + "<Pause/>".repeat(8000) + "</Response>";
time("20MB", () => parseBxml("x".repeat(20 * 1024 * 1024)));
