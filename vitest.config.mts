import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * vitest's order (the slowest files first, by the last run's times), with the *.isolated.test.ts files after every
 * other: each empties its worker's storage, which costs most after the other files have filled it.
 */
class IsolatedLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isolated = (f: TestSpecification) => f.moduleId.endsWith(".isolated.test.ts");
    return [...sorted.filter((f) => !isolated(f)), ...sorted.filter(isolated)];
  }
}

// Tests run inside workerd with the bindings of wrangler.toml and a real local D1, migrated by
// test/setup.ts (which does nothing when the storage is migrated already).
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
            // No line per request: vitest relayed each to its own process (an eighth of the suite's CPU).
            // test/security/headers.security.test.ts turns it on to check the line.
            REQUEST_LOG: "off",
            MAIL_PROVIDER: "http",
            MAIL_HTTP_URL: `http://127.0.0.1:${inject("fakeApiPort")}/mail/send`,
            MAIL_HTTP_TOKEN: "test-mail-token",
            // Billing against the local fake of Stripe's API, through the real SDK. Plan limits are
            // generous here so other areas' tests never meet them; test/billing sets its own per
            // request.
            STRIPE_SECRET_KEY: "sk_test_customertrackr_fake",
            STRIPE_WEBHOOK_SECRET: "whsec_test_customertrackr_fake",
            STRIPE_API_HOST: "127.0.0.1",
            STRIPE_API_PORT: String(inject("fakeApiPort")),
            STRIPE_API_PROTOCOL: "http",
            STRIPE_PRICE_MONTHLY: "price_test_team_monthly",
            STRIPE_PRICE_YEARLY: "price_test_team_yearly",
            FREE_MAX_SEATS: "1000",
            FREE_MAX_CONTACTS: "1000000",
            // Privacy controls: the suppression list's HMAC key and the unsubscribe links' signing key.
            SUPPRESSION_KEY: "test-suppression-key-not-secret-0123456789",
            UNSUBSCRIBE_KEY: "test-unsubscribe-key-not-secret-0123456789",
            // Device cookies (src/auth/device-cookie.ts): a browser that signed in is not slowed by others' guesses.
            DEVICE_COOKIE_KEY: "test-device-cookie-key-not-secret-0123456789",
          },
        },
      })),
    ],
    test: {
      setupFiles: ["./test/setup.ts"],
      globalSetup: ["./test/global-setup.ts"],
      // Long enough for the heaviest walks beside the browser tests (npm test runs them side by side, where the
      // CPU is shared 3 ways and tests of 2 s alone have taken over 20 s); a hung test still fails in a minute.
      testTimeout: 60_000,
      // Every workerd the pool starts loads the app's whole module graph, ~800 modules of packages
      // (stripe, zod, drizzle, d3, libphonenumber…) one by one; pre-bundled, each package is a file
      // or two (≈4 s of CPU less per workerd started).
      deps: {
        optimizer: {
          ssr: {
            enabled: true,
            include: [
              // With the hono entries below: its validator must throw hono's own HTTPException class.
              "@hono/zod-openapi",
              "@oslojs/crypto/sha2",
              "@oslojs/crypto/subtle",
              "@oslojs/encoding",
              "@oslojs/otp",
              "bowser",
              "d3-scale",
              "d3-shape",
              "drizzle-orm",
              "drizzle-orm/batch",
              "drizzle-orm/d1",
              "drizzle-orm/sqlite-core",
              "fflate",
              "hono",
              "hono/body-limit",
              "hono/cookie",
              "hono/csrf",
              "hono/html",
              "hono/http-exception",
              "hono/jsx",
              "hono/jsx/jsx-runtime",
              "hono/jsx/jsx-dev-runtime",
              "hono/route",
              "hono/router",
              "hono/secure-headers",
              "hono/utils/html",
              "hono/utils/http-status",
              "libphonenumber-js/min",
              "markdown-it",
              "papaparse",
              "standardwebhooks",
              "stripe",
              "toucan-js",
              "zod",
            ],
          },
        },
      },
      // Vitest's default leaves a core free (one worker on this 2-core machine); the tests mostly wait
      // on workerd, so two workers keep both cores busy.
      maxWorkers: 2,
      // The app logs one JSON line per request; tests that care read them with a spy.
      onConsoleLog: (log: string) => !log.includes(`"type":"request"`) && !log.includes("simulated outage"),
      // Starting workerd with a fresh storage for each file cost half the suite's time. Most files
      // only read what they wrote (their own workspaces, their own addresses), so the files of a worker
      // share its storage. Files that run the cron at future times or look through every table would see
      // what other files left: they are named *.isolated.test.ts and test/setup.ts empties the worker's
      // storage before each of them (a workerd and the app's module graph per file cost them twice the
      // CPU; a second pool of workers for them, its start-up again).
      include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
      exclude: ["test/e2e/**", "test/node/**"],
      isolate: false,
      sequence: { sequencer: IsolatedLast },
    },
  };
});
