import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Tests run inside workerd with the bindings of wrangler.toml and a real local D1. Each test file
// gets its own storage; test/apply-migrations.ts applies the real migrations to it.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      // Mail goes to the local fake of an HTTP mail API (test/global-setup.ts), so tests can see
      // what was delivered and make delivery fail.
      cloudflareTest(({ inject }) => ({
        main: "./src/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            ENVIRONMENT: "test",
            MAIL_PROVIDER: "http",
            MAIL_HTTP_URL: `http://127.0.0.1:${inject("fakeApiPort")}/mail/send`,
            MAIL_HTTP_TOKEN: "test-mail-token",
          },
        },
      })),
    ],
    test: {
      include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
      exclude: ["test/e2e/**"],
      setupFiles: ["./test/apply-migrations.ts"],
      globalSetup: ["./test/global-setup.ts"],
      testTimeout: 20_000,
      // The app logs one JSON line per request; tests that care read them with a spy.
      onConsoleLog: (log: string) => !log.includes(`"type":"request"`) && !log.includes("simulated outage"),
    },
  };
});
