import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Calls run in real time (20 ms frames, like the network): allow a conversation per test.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
