import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, expect } from "vitest";
import { usePasswordCostForTests } from "../src/auth/password";
import { emptyStorage } from "./helpers/fresh-storage";

// The files of a worker share its workerd and storage. Each *.isolated.test.ts file starts from an empty storage,
// and leaves one: what it wrote at future times (the retention job's horizon, for one) would change what the
// next file sees (the audit trail's append-only rule lets the retention job delete entries older than that).
if (expect.getState().testPath?.endsWith(".isolated.test.ts")) {
  await emptyStorage();
  afterAll(emptyStorage);
}
// The real migrations, applied once per storage, to the control database and to each of the three local
// shards (wrangler.toml), which share its schema. A worker's files share its storage (and its globals), and
// emptying keeps the schema: checking the migrations again cost each file about a quarter of a second.
const migrated = globalThis as { testStorageMigrated?: boolean };
if (!migrated.testStorageMigrated) {
  await Promise.all(
    [env.DB, env.SHARD_0, env.SHARD_1, env.SHARD_2].map((db) => applyD1Migrations(db!, env.TEST_MIGRATIONS)),
  );
  migrated.testStorageMigrated = true;
}
// Sign-ups and logins hash with a cheap scrypt cost; test/auth/password.test.ts checks the real one.
usePasswordCostForTests();
