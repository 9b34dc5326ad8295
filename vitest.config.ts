import { defineConfig } from "vitest/config";

/** The protocol matrix: every RPC over every transport. It runs twice, with the unary fast path on and off. */
const MATRIX = [
  "test/protocol/foundation-matrix.test.ts",
  "test/protocol/org-scope.test.ts",
  "test/membership/membership-matrix.test.ts",
  "test/organization/org-members.test.ts",
  "test/zitadel/matrix.test.ts",
  "test/transport/grpc-message.test.ts",
  "test/protocol/client-faults.test.ts",
  "test/protocol/compression.test.ts",
  "test/lifecycle/principal-deletion.test.ts",
];

/** Files of the matrix about the transport alone (framing, client faults, compression): the store does not change what they test, so they stay off the PostgreSQL run. */
const TRANSPORT_ONLY = ["test/transport/grpc-message.test.ts", "test/protocol/client-faults.test.ts", "test/protocol/compression.test.ts"];

/** The membership and lifecycle stories, the lifecycle commands and organization slugs, which also run on PostgreSQL. */
const POSTGRES_STORIES = ["test/membership/*.test.ts", "test/lifecycle/*.test.ts", "test/cli/cli-lifecycle.test.ts", "test/organization/org-slug.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Each test file starts its own servers on port 0; two cores on CI.
    pool: "forks",
    // One throwaway PostgreSQL for the run; each test file or world makes a database of its own on it.
    globalSetup: ["./test/helpers/postgres-global.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    projects: [
      { extends: true, test: { name: "fast path on", include: ["test/**/*.test.ts"] } },
      { extends: true, test: { name: "fast path off", include: MATRIX, env: { MEMBERSHIP_FAST_PATH: "off" } } },
      // The same matrix and the membership stories with every test server on PostgreSQL (test/helpers/server.ts).
      // Each world migrates a schema of its own and writes go over the network, so its tests are given longer.
      {
        extends: true,
        test: { name: "postgres", include: [...MATRIX.filter((f) => !TRANSPORT_ONLY.includes(f)), ...POSTGRES_STORIES], env: { MEMBERSHIP_TEST_STORE: "postgres" }, testTimeout: 60_000, hookTimeout: 60_000 },
      },
    ],
  },
});
