import path from "node:path";
import { defineConfig } from "vitest/config";

// The same tests on Node + libSQL (`npm run test:node`): a representative set of the workerd suite's
// files, whose only ties to workerd are `cloudflare:workers` (env) and `cloudflare:test` (execution
// contexts), here shimmed onto the Node platform (test/node/*-shim.ts); plus test/node's own tests,
// which start the real Node server and talk to it over HTTP. docs/self-host.md names the files.
export const NODE_SUITE = [
  "test/node/**/*.test.ts",
  // CRM
  "test/contacts/contacts.test.ts",
  "test/contacts/contacts.security.test.ts",
  // merging a duplicate: one batch of hand-written statements (INSERT OR IGNORE, ->>, the search index) on libSQL too
  "test/contacts/merge.test.ts",
  "test/companies/merge.test.ts",
  "test/companies/companies.test.ts",
  "test/notes/notes.test.ts",
  "test/crm/search-index.test.ts",
  "test/search/global-search.test.ts",
  "test/api/keys.test.ts",
  "test/deals/deals.test.ts",
  "test/tasks/tasks.test.ts",
  // the record pickers: the search index and a batch of three searches, on libSQL too
  "test/deals/contact-combobox.test.ts",
  "test/tasks/record-picker.test.ts",
  // import / export
  "test/import/import.test.ts",
  "test/import/roundtrip.test.ts",
  "test/export/export.test.ts",
  "test/export/export.security.test.ts",
  // privacy
  "test/privacy/privacy-controls.test.ts",
  "test/privacy-data/access.test.ts",
  "test/privacy-data/portability.test.ts",
  "test/privacy-data/erasure.isolated.test.ts",
  "test/closure/closure.isolated.test.ts",
  // the support view: staff see a workspace through a grant, its links rewritten (HTMLRewriter on Node)
  "test/staff/support-view.test.ts",
];

export default defineConfig({
  resolve: {
    alias: {
      "cloudflare:workers": path.join(import.meta.dirname, "test/node/workers-shim.ts"),
      "cloudflare:test": path.join(import.meta.dirname, "test/node/test-shim.ts"),
    },
  },
  test: {
    name: "node",
    environment: "node",
    include: NODE_SUITE,
    globalSetup: ["./test/global-setup.ts"],
    setupFiles: ["./test/node/setup.ts"],
    testTimeout: 20_000,
    // One file at a time: the machine is shared, and each file opens its own database and folder.
    maxWorkers: 1,
    onConsoleLog: (log: string) => !log.includes(`"type":"request"`) && !log.includes("simulated outage"),
  },
});
