/**
 * Texts of the repository that tests check against each other (docs, route files, every SQL text, every
 * test file). Workers cannot read the disk: test/global-setup.ts reads them once and serves them at
 * GET /__repo/<name>; provided values would travel with every test file vitest starts.
 */
import { inject } from "vitest";
import type { SqlStatement } from "../sql-statements";

export interface RepoTexts {
  /** docs/privacy-controls.md ("" when missing), and the text of every test file (*.test.ts under test/, test/e2e/*.e2e.mjs) by path. */
  privacyControls: { doc: string; files: Record<string, string> };
  /** Every SQL text written in src/ (test/sql-statements.ts). */
  sqlStatements: SqlStatement[];
  /** src/app.ts and docs/architecture.md as text, and every file under src/routes/. */
  architecture: { app: string; doc: string; routeFiles: string[] };
  /** Every file under src/routes/, path → text. */
  routeSources: Record<string, string>;
  /** The text of docs/api.md. */
  apiDoc: string;
}

export async function repoText<K extends keyof RepoTexts>(name: K): Promise<RepoTexts[K]> {
  const res = await fetch(`http://127.0.0.1:${inject("fakeApiPort")}/__repo/${name}`);
  if (!res.ok) throw new Error(`GET /__repo/${name} answered ${res.status}`);
  return (await res.json()) as RepoTexts[K];
}
