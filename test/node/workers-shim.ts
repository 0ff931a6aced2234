/**
 * `cloudflare:workers` for the Node test run: `env` is the Node platform's bindings (a libSQL database
 * in a temporary file, files in a temporary folder, the in-process queue consuming with the Worker's
 * own queue()), with the settings vitest.config.mts gives the workerd run. Each test file gets its own.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import worker from "../../src/index";
import { wranglerVars } from "../../src/node/config";
import { applyMigrations } from "../../src/platform/node/migrate";
import { createNodePlatform, type WorkerHandlers } from "../../src/platform/node/platform";
import { testBindings } from "./bindings";

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(path.join(tmpdir(), "customertrackr-node-test-"));
const platform = createNodePlatform({
  // The workerd run's webhook tests deliver to the local receiver: allowed here as on a developer's machine.
  vars: {
    ...wranglerVars(inject("wranglerToml")),
    ...testBindings(inject("fakeApiPort")),
    ALLOW_PRIVATE_WEBHOOKS: "1",
  },
  dataDir,
});
await applyMigrations(platform.client, path.join(root, "migrations"));
platform.run(worker as unknown as WorkerHandlers, { cron: false });

export const env = platform.env as Cloudflare.Env;
export const nodePlatform = platform;
