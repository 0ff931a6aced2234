import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { usePasswordCostForTests } from "../src/auth/password";
import { emptyStorage } from "./helpers/fresh-storage";

// The *.isolated.test.ts files share one workerd but each starts from an empty storage.
if (inject("freshStorage")) await emptyStorage();
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
