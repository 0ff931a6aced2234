/**
 * Demo data for local development: one tenant and a user for every role. It writes through the
 * app's own schema, password hashing and id generator, so a demo account is exactly what sign-up
 * would have made. scripts/seed.mjs bundles this file and runs it against the local D1 that
 * `wrangler dev` uses (through wrangler's getPlatformProxy), so it never drifts from the app.
 */
import { eq, sql } from "drizzle-orm";
import { createStaff, reissueEnrolment } from "../src/services/staff/accounts";
import { getPlatformProxy } from "wrangler";
import { hashPassword, passwordProblem } from "../src/auth/password";
import { createDb } from "../src/db/client";
import { memberships, tenants, users, type Role } from "../src/db/schema";
import { newId } from "../src/lib/ids";
import type { Database } from "../src/db/client";
import { scoped } from "../src/db/scoped";
import { companyFormContext } from "../src/services/companies/form";
import { createCompany } from "../src/services/companies/write";
import { createContact } from "../src/services/contacts/write";
import { addNote } from "../src/services/records/notes";
import { createTask } from "../src/services/tasks/write";
import { runRawBatch } from "../src/db/raw-batch";
import { defaultPipelineStatements } from "../src/services/deals/defaults";
import { createDeal } from "../src/services/deals/write";
import { logInteraction } from "../src/services/interactions/interactions";
import { seedDemoHistory } from "./seed-history";
import { seedDemoUsage } from "./seed-usage";
import { findOrCreateTag } from "../src/services/records/tags";

const DEMO_COMPANIES = [
  {
    name: "Brightside Bakery",
    domain: "brightside-bakery.example",
    industry: "Food & drink",
    phone: "+1 415 555 0100",
  },
  { name: "Harbour Florists", domain: "harbourflorists.example", industry: "Retail", phone: "+1 415 555 0101" },
  { name: "Northwind Traders", domain: "northwind.example", industry: "Wholesale", phone: "+1 212 555 0102" },
  { name: "Lovelace Analytics", domain: "lovelace-analytics.example", industry: "Software", phone: "+44 20 7946 0103" },
  { name: "Müller & Söhne", domain: "mueller-soehne.example", industry: "Manufacturing", phone: "+49 30 1234567" },
] as const;

const DEMO_PEOPLE = [
  ["Ada", "Lovelace", "Head of Research", 3],
  ["Grace", "Hopper", "Operations Manager", 2],
  ["Alan", "Turing", "Founder", 3],
  ["Margaret", "Hamilton", "Purchasing Lead", 0],
  ["Zoë", "Müller", "Office Manager", 4],
  ["José", "García", "Store Owner", 1],
  ["Linus", "Torvalds", "Buyer", 2],
  ["Radia", "Perlman", "CTO", 3],
  ["Katherine", "Johnson", "Accounts Payable", 0],
  ["Hedy", "Lamarr", "Marketing Director", 1],
  ["Donald", "Knuth", "Consultant", null],
  ["Barbara", "Liskov", "Procurement", 2],
] as const;

/** A few companies, contacts and notes, written through the app's own services (FTS, counters, timeline). */
async function seedDemoRecords(db: Database, tenantId: string, ownerId: string, memberId: string, now: number) {
  const t = scoped(db, tenantId);
  const vip = await findOrCreateTag(t, "VIP", now);
  const lead = await findOrCreateTag(t, "Lead", now);
  const ctx = await companyFormContext(t);
  const companyIds: number[] = [];
  for (const [i, c] of DEMO_COMPANIES.entries()) {
    const phone = c.phone.replace(/[^\d+]/g, "");
    companyIds.push(
      await createCompany(
        t,
        ownerId,
        {
          name: c.name,
          domain: c.domain,
          industry: c.industry,
          size: "11-50",
          address: null,
          phone,
          ownerId,
          tagIds: [],
          newTag: null,
          customValues: new Map(),
        },
        ctx,
        now + i,
      ),
    );
  }
  for (const [i, [first, last, title, company]] of DEMO_PEOPLE.entries()) {
    const companyId = company === null ? null : companyIds[company]!;
    const id = await createContact(
      t,
      i % 3 === 0 ? memberId : ownerId,
      {
        firstName: first,
        lastName: last,
        emails: [
          `${`${first}.${last}`
            .toLowerCase()
            .normalize("NFKD")
            .replace(/[^a-z.]/g, "")}@example.com`,
        ],
        phones: [`+1415555${String(200 + i).padStart(4, "0")}`],
        jobTitle: title,
        companyId,
        address: null,
        tagIds: i % 4 === 0 ? [vip.id] : i % 4 === 1 ? [lead.id] : [],
        newTag: null,
        customValues: new Map(),
        ownerId: i % 3 === 0 ? memberId : ownerId,
        companyName: company === null ? null : DEMO_COMPANIES[company]!.name,
      },
      now + 100 + i,
    );
    await addNote(
      t,
      { userId: ownerId, role: "owner" },
      "contact",
      id,
      `Called ${first} about the renewal.\nNext step: send the proposal — details at https://example.com/proposals/${id}`,
      now + 200 + i,
    );
    // A follow-up for some of them: overdue, today and later, so My tasks has something in each section.
    if (i % 2 === 0) {
      const day = new Date(now + ((i % 6) - 2) * 86_400_000).toISOString().slice(0, 10);
      await createTask(
        t,
        { userId: ownerId, role: "owner", timeZone: "UTC", now: now + 300 + i },
        {
          title: `${i % 4 === 0 ? "Call" : "Email"} ${first} about the proposal`,
          description: null,
          kind: i % 4 === 0 ? "call" : "email",
          priority: i % 8 === 0 ? "high" : "normal",
          dueDate: day,
          dueTime: i % 4 === 0 ? "10:30" : null,
          remindLead: null,
          assigneeId: i % 3 === 0 ? memberId : ownerId,
          subject: { type: "contact", id },
          repeat: null,
        },
      );
    }
  }
}

/** Deals over the stages of the default pipeline, with a logged call and a task, so the board is not empty. */
async function seedDemoDeals(db: Database, tenantId: string, ownerId: string, now: number) {
  const t = scoped(db, tenantId);
  const stages = await db.all<{ id: number; pipeline_id: number }>(
    sql`SELECT id, pipeline_id FROM pipeline_stages WHERE tenant_id = ${tenantId} ORDER BY position`,
  );
  const companies = await db.all<{ id: number }>(
    sql`SELECT id FROM companies WHERE tenant_id = ${tenantId} ORDER BY id`,
  );
  const people = await db.all<{ id: number; company_id: number | null }>(
    sql`SELECT id, company_id FROM contacts WHERE tenant_id = ${tenantId} ORDER BY id`,
  );
  const actor = { userId: ownerId, ip: null, userAgent: null, now };
  const names = [
    "Bakery POS rollout",
    "Florist loyalty app",
    "Wholesale EDI link",
    "Analytics seats",
    "Factory kiosks",
  ];
  for (const [i, name] of names.concat(names.map((n) => `${n} — phase 2`)).entries()) {
    const stage = stages[i % stages.length]!;
    const company = companies[i % companies.length]!.id;
    const contact = people.find((p) => p.company_id === company);
    const close = new Date(now + ((i % 7) - 2) * 7 * 86_400_000).toISOString().slice(0, 10);
    const id = await createDeal(
      t,
      { ...actor, now: now + 400 + i },
      {
        name,
        amountMinor: (i + 1) * 125_000,
        currency: "USD",
        closeDate: close,
        ownerId,
        companyId: company,
        pipelineId: stage.pipeline_id,
        stageId: stage.id,
        contacts: contact ? [{ contactId: contact.id, role: "Decision maker", at: 0 }] : [],
        tagIds: [],
        newTag: null,
        customValues: new Map(),
      },
      stage.pipeline_id,
    );
    if (i === 0) {
      await logInteraction(
        t,
        { userId: ownerId, role: "owner" },
        "deal",
        id,
        {
          kind: "call",
          occurredAt: now - 3_600_000,
          durationMinutes: 20,
          outcome: "connected",
          notes: "Walked through the rollout plan; they want a quote for two stores.",
        },
        now + 500,
      );
      await createTask(
        t,
        { userId: ownerId, role: "owner", timeZone: "UTC", now: now + 501 },
        {
          title: "Send the two-store quote",
          description: null,
          kind: "email",
          priority: "high",
          dueDate: new Date(now + 86_400_000).toISOString().slice(0, 10),
          dueTime: null,
          remindLead: 0,
          assigneeId: ownerId,
          subject: { type: "deal", id },
          repeat: null,
        },
      );
    }
  }
}

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

/** The local demo's staff admin, for trying the staff console (npm run ops -- create-staff in production). */
export const DEMO_STAFF = { email: "staff@customertrackr.test", name: "Demo Staff Admin" } as const;

/** The demo staff admin: created once; while not enrolled, a fresh enrolment path each run. */
async function demoStaff(db: ReturnType<typeof createDb>): Promise<SeedResult["staff"]> {
  const now = Date.now();
  const created = await createStaff(db, { ...DEMO_STAFF, role: "admin" }, now);
  const token = created.ok ? created.enrolToken : await reissueEnrolment(db, DEMO_STAFF.email, now);
  return { email: DEMO_STAFF.email, enrolPath: token ? `/staff/enrol/${token}` : null };
}

export interface SeedResult {
  /** False when the demo data was already there (nothing was written). */
  created: boolean;
  company: string;
  password: string;
  users: readonly { email: string; role: Role }[];
  /** The demo staff admin and, until they enrol, the path of their enrolment link. */
  staff?: { email: string; enrolPath: string | null };
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
    const [existing] = await db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, DEMO_USERS[0]!.email))
      .limit(1);
    result.staff = await demoStaff(db);
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
      db
        .insert(memberships)
        .values(
          people.map((p, i) => ({ tenantId, userId: p.id, role: p.role, createdAt: now + i, updatedAt: now + i })),
        ),
    ]);
    // The pipeline and lost reasons every workspace starts with (sign-up writes them in its batch).
    await runRawBatch(db, defaultPipelineStatements(tenantId, now));
    await seedDemoRecords(db, tenantId, people[0]!.id, people[2]!.id, now);
    await seedDemoDeals(db, tenantId, people[0]!.id, now);
    await seedDemoHistory(
      db,
      tenantId,
      people.slice(0, 3).map((p) => p.id),
      now,
    );
    await seedDemoUsage(
      db,
      proxy.env.DB,
      tenantId,
      people.map((p) => p.id),
      now,
    );
    return { ...result, created: true };
  } finally {
    await proxy.dispose();
  }
}
