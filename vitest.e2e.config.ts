import { defineConfig } from "vitest/config";

// End-to-end conformance runs: real bridges as child processes, real-time pacing, latency budgets.
// They run after the unit tests, one file at a time, so CPU contention cannot fake a slow bridge.
// test/package: the packed tarball installed in a scratch project, and the compiled bin's signals.
export default defineConfig({
  test: {
    // test/hostile: bwemu as a process against hostile apps (floods, stalls; peak RSS measured): real time, CPU-heavy.
    include: ["test/e2e/**/*.test.ts", "test/shard/**/*.e2e.test.ts", "test/direction/**/*.e2e.test.ts", "test/package/**/*.test.ts", "test/hostile/**/*.test.ts", "test/serve/**/*.browser.test.ts"],
    testTimeout: 240_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: false,
    maxWorkers: 1,
  },
});
