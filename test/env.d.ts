import type { D1Migration } from "cloudflare:test";
import type { Bindings } from "../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Port of the local fake of external HTTP APIs (Sentry's ingest, the mail API, Stripe, Analytics Engine's SQL API). */
    fakeApiPort: number;
    /** test/fixtures/imports/*, file name → base64 of the bytes. */
    importFixtures: Record<string, string>;
    /** The text of wrangler.toml. */
    wranglerToml: string;
  }
}
