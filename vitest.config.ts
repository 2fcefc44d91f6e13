import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    // Reports are dated (catalog ages): tests and goldens see the same day everywhere.
    // No refreshed catalog from the user's cache: tests price from the bundled catalogs (or their own).
    env: { SOURCE_DATE_EPOCH: "1795392000", GREENOPS_CATALOG_DIR: "test/.no-refreshed-catalogs" },
    // The CLI's bundle, built from the sources as they are (so the CLI tests run what users run);
    // Debian's packages the tests need (installed when missing, as root: test/setup/system-packages.ts),
    // then a real Prometheus (with generated history) and a real Redis, started once.
    globalSetup: ["test/setup/build-cli.ts", "test/setup/system-packages.ts", "test/global-setup.ts"],
  },
});
