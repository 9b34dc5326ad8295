import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Each test file starts its own servers on port 0; two cores on CI.
    pool: "forks",
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
