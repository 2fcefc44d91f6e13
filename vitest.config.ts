import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    // Reports are dated (catalog ages): tests and goldens see the same day everywhere.
    env: { SOURCE_DATE_EPOCH: "1795392000" },
    // A real Prometheus (Debian's package) with generated history, for the telemetry tests.
    globalSetup: ["test/telemetry/global-setup.ts"],
  },
});
