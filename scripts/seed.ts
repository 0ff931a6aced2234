/**
 * Demo data for local development: one tenant and a user for every role. It writes through the
 * app's own schema, password hashing and id generator, so a demo account is exactly what sign-up
 * would have made. scripts/seed.mjs bundles this file and runs it against the local D1 that
 * `wrangler dev` uses (through wrangler's getPlatformProxy), so it never drifts from the app.
 */
import { eq } from "drizzle-orm";
import { getPlatformProxy } from "wrangler";
import { hashPassword, passwordProblem } from "../src/auth/password";
import { createDb } from "../src/db/client";
import { memberships, tenants, users, type Role } from "../src/db/schema";
import { newId } from "../src/lib/ids";

export const DEMO_COMPANY = "Demo Company";
/** Printed by `npm run dev`; only ever used on a local database. */
export const DEMO_PASSWORD = "demo-customers-2026";
export const DEMO_USERS: readonly { email: string; role: Role }[] = [
  { email: "demo@customertrackr.test", role: "owner" },
  { email: "admin@customertrackr.test", role: "admin" },
  { email: "member@customertrackr.test", role: "member" },
  { email: "viewer@customertrackr.test", role: "viewer" },
];

export interface SeedOptions {
  /** wrangler's --persist-to directory; by default the `.wrangler/state` that `wrangler dev` uses. */
  persistTo?: string;
  /** The wrangler configuration file; by default ./wrangler.toml. */
  configPath?: string;
}

export interface SeedResult {
  /** False when the demo data was already there (nothing was written). */
  created: boolean;
  company: string;
  password: string;
  users: readonly { email: string; role: Role }[];
}

/** Writes the demo tenant and its users unless the owner account already exists. */
export async function seedDemoData(options: SeedOptions = {}): Promise<SeedResult> {
  // The password must be one the app itself would accept at sign-up.
  const problem = passwordProblem(DEMO_PASSWORD, { email: DEMO_USERS[0]!.email });
  if (problem) throw new Error(`The demo password breaks the password rules: ${problem}`);

  const proxy = await getPlatformProxy<{ DB: D1Database }>({
    configPath: options.configPath ?? "wrangler.toml",
    // wrangler dev --persist-to <dir> keeps its state in <dir>/v3; getPlatformProxy takes that path.
    persist: options.persistTo ? { path: `${options.persistTo}/v3` } : true,
    remoteBindings: false,
  });
  try {
    const db = createDb(proxy.env.DB);
    const result: SeedResult = { created: false, company: DEMO_COMPANY, password: DEMO_PASSWORD, users: DEMO_USERS };
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_USERS[0]!.email)).limit(1);
    if (existing) return result;

    const now = Date.now();
    const tenantId = newId();
    const people = await Promise.all(
      DEMO_USERS.map(async (u) => ({ ...u, id: newId(), passwordHash: await hashPassword(DEMO_PASSWORD) })),
    );
    // One batch is one transaction: a half-seeded database cannot happen.
    await db.batch([
      db.insert(tenants).values({ id: tenantId, name: DEMO_COMPANY, createdAt: now, updatedAt: now }),
      db.insert(users).values(
        people.map((p) => ({
          id: p.id,
          email: p.email,
          passwordHash: p.passwordHash,
          ageConfirmedAt: now,
          termsAcceptedAt: now,
          emailVerifiedAt: now,
          createdAt: now,
          updatedAt: now,
        })),
      ),
      // Staggered times keep the owner's membership first, as if the others were invited later.
      db.insert(memberships).values(
        people.map((p, i) => ({ tenantId, userId: p.id, role: p.role, createdAt: now + i, updatedAt: now + i })),
      ),
    ]);
    return { ...result, created: true };
  } finally {
    await proxy.dispose();
  }
}
