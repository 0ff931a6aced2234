import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { usePasswordCostForTests } from "../src/auth/password";

// The real migrations, applied once per storage (a storage already migrated is left as it is).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
// Sign-ups and logins hash with a cheap scrypt cost; test/auth/password.test.ts checks the real one.
usePasswordCostForTests();
