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
    /** docs/privacy-controls.md ("" when missing), and the text of every test file (*.test.ts under test/, test/e2e/*.e2e.mjs) by path. */
    privacyControls: { doc: string; files: Record<string, string> };
    /** Every SQL text written in src/ (test/sql-statements.ts). */
    sqlStatements: { file: string; line: number; text: string }[];
    /** src/app.ts and docs/architecture.md as text, and every file under src/routes/. */
    architecture: { app: string; doc: string; routeFiles: string[] };
    /** Every file under src/routes/, path → text. */
    routeSources: Record<string, string>;
    /** Set in the `isolated` project: test/setup.ts empties the storage before each file. */
    freshStorage?: boolean;
    /** The text of docs/api.md. */
    apiDoc: string;
    /** The text of wrangler.toml. */
    wranglerToml: string;
  }
}
