// A Realtime stub alone in a child process, for memory measurements: started with the retention
// given as JSON in argv[2] (or the defaults), it prints `{"url":…}` on one line, then answers each
// line on stdin with `{"rssMiB","peakRssMiB","sessions","retained"}` and exits when stdin ends.
import { createInterface } from "node:readline";
import { startRealtimeStub } from "../../../emulator/realtime/server.js";

const retain = process.argv[2] ? (JSON.parse(process.argv[2]) as { sessions?: number; bytes?: number }) : undefined;
const stub = await startRealtimeStub({ retain });
const MiB = 1024 * 1024;
process.stdout.write(JSON.stringify({ url: stub.url }) + "\n");
const lines = createInterface({ input: process.stdin });
lines.on("line", () => {
  const stats = {
    rssMiB: process.memoryUsage().rss / MiB,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    sessions: stub.sessionCount(),
    retained: stub.sessions().length,
    retainedClosed: stub.sessions().filter((s) => s.closedUs !== undefined).length,
  };
  process.stdout.write(JSON.stringify(stats) + "\n");
});
lines.on("close", () => void stub.close().then(() => process.exit(0)));
