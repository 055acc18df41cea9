import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", "out/**", "reports/out/**", "test/e2e/**", "test/shard/**/*.e2e.test.ts", "test/direction/**/*.e2e.test.ts", "test/package/**", "test/hostile/**", "test/serve/**/*.browser.test.ts", "examples/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real sockets and real-time pacing: two cores, so keep parallelism modest.
    pool: "forks",
    maxWorkers: 2,
    coverage: { provider: "v8", include: ["src/**", "emulator/**", "suites/**", "reports/**"] },
  },
});
