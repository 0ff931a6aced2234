/**
 * "Download my data": the ZIP of a seeded workspace holds every record of every kind, the account's
 * data and a manifest of every file; the link works for its requester for 24 hours and for nobody
 * else; it is audited; a member gets only their own account's data.
 */
import { env } from "cloudflare:workers";
import { unzipSync, strFromU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { send, signUp, statusOf, textOf } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";
import { confirmAddressOf, memberOf } from "../helpers/tenants";
import {
  createContact,
  insertCompany,
  insertCustomField,
  insertTag,
  newTenant,
  post,
} from "../contacts/contact-helpers";
import { insertDeal, userIdOf } from "../deals/data-helpers";
import { runCron } from "./helpers";
import { ARCHIVE_COVERAGE } from "../../src/services/privacy/archive-coverage";

type Zip = Record<string, Uint8Array>;
type Manifest = {
  format: string;
  includes_workspace_records: boolean;
  account: { email: string };
  files: { name: string; format: string; records: number; description: string }[];
};

/** Asks for a copy as the browser does and waits until the queue has built it; returns the download path from the email. */
async function requestCopy(user: { cookie: string; email: string }): Promise<{ path: string; id: string }> {
  const res = await send("/app/settings/privacy/export", { cookie: user.cookie, form: {} });
  expect(res.status).toBe(303);
  expect(res.headers.get("Location")).toBe("/app/settings/privacy?notice=requested");
  const id = (await env.DB.prepare(
    "SELECT d.id FROM data_exports d JOIN users u ON u.id = d.user_id WHERE u.email = ? ORDER BY d.created_at DESC LIMIT 1",
  )
    .bind(user.email)
    .first<{ id: string }>())!.id;
  const until = Date.now() + 20_000;
  for (;;) {
    const row = await env.DB.prepare("SELECT status, message FROM data_exports WHERE id = ?")
      .bind(id)
      .first<{ status: string; message: string | null }>();
    if (row!.status === "ready") break;
    if (row!.status === "failed" || Date.now() > until)
      throw new Error(`export ${id} is ${row!.status}: ${row!.message}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const mail = await lastMail(user.email, "data_export_ready");
  expect(mail.essential).toBe(1);
  // The link opens the copy in the workspace it was asked in (through /app/workspaces/open): here, the session's.
  const link = new URL(mail.text_body.match(/https?:\/\/\S+\/app\/workspaces\/open\/\S+/)![0]);
  expect(link.searchParams.get("to")).toBe(`/app/settings/privacy/exports/${id}`);
  const opened = await send(link.pathname + link.search, { cookie: user.cookie });
  expect(opened.status).toBe(302);
  return { path: opened.headers.get("Location")!, id };
}

async function download(path: string, cookie: string): Promise<{ res: Response; zip: Zip | null }> {
  const res = await send(path, { cookie });
  if (res.status !== 200) return { res, zip: null };
  return { res, zip: unzipSync(new Uint8Array(await res.arrayBuffer())) };
}

const json = (zip: Zip, name: string) =>
  JSON.parse(strFromU8(zip[name]!)) as { format: string; kind: string; records: Record<string, unknown>[] };

/** RFC 4180 records of a CSV file (quotes and line breaks inside quotes respected), header first. */
function csvRecords(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i += 1) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && s[i + 1] === "\n") {
      row.push(cell);
      out.push(row);
      row = [];
      cell = "";
      i += 1;
    } else cell += ch;
  }
  return out;
}

/** A workspace with something in every kind of record. */
async function seedWorkspace() {
  const t = await newTenant("Portable Pipes");
  const tier = await insertCustomField(t.tenantId, "Tier", "select", ["gold", "silver"]);
  const vip = await insertTag(t.tenantId, "VIP");
  const company = await insertCompany(t.tenantId, "Analytical Engines");
  const companyField = (await env.DB.prepare(
    "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, options, position, created_at) VALUES (?, 'company', 'Region', 'region', 'text', NULL, 0, ?) RETURNING id",
  )
    .bind(t.tenantId, Date.now())
    .first<{ id: number }>())!.id;
  await env.DB.batch([
    env.DB.prepare("INSERT INTO company_tags (tenant_id, company_id, tag_id) VALUES (?, ?, ?)").bind(
      t.tenantId,
      company,
      vip,
    ),
    env.DB.prepare(
      "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) VALUES (?, ?, ?, 'EMEA')",
    ).bind(t.tenantId, companyField, company),
  ]);
  const ada = await createContact(t.cookie, {
    first_name: "Ada",
    last_name: "Lovelace",
    emails: ["ada@example.com", "ada.work@engines.example"],
    phones: ["+14155550123", "+442079460958"],
    company_id: String(company),
    tag_ids: String(vip),
    new_tag: "Pioneer",
    [`cf_${tier}`]: "gold",
    address: "12 St James's Square\nLondon",
  });
  const charles = await createContact(t.cookie, {
    first_name: "Charles",
    last_name: "Babbage",
    emails: "charles@example.com",
  });
  const third = await createContact(t.cookie, { first_name: "=cmd|' /C calc'!A0", emails: "third@example.com" });
  for (const [path, body] of [
    [`/app/contacts/${ada}/notes`, 'First note, with "quotes", a comma\nand a second line'],
    [`/app/contacts/${charles}/notes`, "Difference engine"],
    [`/app/companies/${company}/notes`, "Company note"],
  ] as const) {
    expect((await post(path, t.cookie, { body })).status).toBeLessThan(400);
  }
  const task = { title: "Call Ada back", due_date: "2026-12-24", due_time: "09:30", record: `contact:${ada}` };
  expect((await post("/app/tasks", t.cookie, task)).status).toBe(303);
  const ownerId = await userIdOf(t.email);
  const deal = await insertDeal(t.tenantId, {
    name: "Engine No. 2",
    amountMinor: 1_250_050,
    currency: "GBP",
    stage: "Proposal",
    closeDate: "2026-12-24",
    ownerId,
    createdBy: ownerId,
    companyId: company,
    contacts: [{ id: ada, role: "Decision maker" }],
    tagIds: [vip],
  });
  const lostDeal = await insertDeal(t.tenantId, {
    name: "Analytical Engine",
    amountMinor: 99_000,
    status: "lost",
    lostReason: "No budget",
    closedOn: "2026-11-30",
    contacts: [{ id: charles, role: null }],
  });
  // A logged call on Ada and a meeting on the deal.
  for (const [path, form] of [
    [
      `/app/contacts/${ada}/interactions`,
      { kind: "call", occurred_at: "2026-03-04T10:30", outcome: "connected", notes: "Talked engines" },
    ],
    [`/app/deals/${deal}/interactions`, { kind: "meeting", occurred_at: "2026-03-05T09:00", duration_minutes: "60" }],
  ] as const) {
    expect((await post(path, t.cookie, form)).status).toBe(303);
  }
  // A cookie choice made while signed in belongs to the account's data too.
  await send("/consent", { cookie: t.cookie, form: { analytics: "reject", back: "/" } });
  // So does whether their calendar feed is on (never its secret); turning it on takes a confirmed address.
  await confirmAddressOf(t.cookie);
  expect((await send("/app/settings/profile/calendar-feed", { cookie: t.cookie, form: {} })).status).toBe(200);
  return { t, ids: { ada, charles, third, company, deal, lostDeal } };
}

/** Tables with a tenant_id or user_id column, read from the schema (not the search index's own tables). */
async function tablesHoldingData(): Promise<{ table: string; column: "tenant_id" | "user_id" }[]> {
  const tables = (
    await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' AND name NOT LIKE '%_fts%'",
    ).all<{ name: string }>()
  ).results;
  const out: { table: string; column: "tenant_id" | "user_id" }[] = [];
  for (const { name } of tables) {
    const cols = (
      await env.DB.prepare("SELECT name FROM pragma_table_info(?)").bind(name).all<{ name: string }>()
    ).results.map((c) => c.name);
    if (cols.includes("tenant_id")) out.push({ table: name, column: "tenant_id" });
    else if (cols.includes("user_id")) out.push({ table: name, column: "user_id" });
  }
  return out;
}

describe("the archive's coverage", () => {
  it("places every table that holds a workspace's or a user's data in a file, or says why not; each file is in the archive and holds the rows", async () => {
    const held = await tablesHoldingData();
    const tables = new Set(held.map((h) => h.table));
    expect(held.filter((h) => !(h.table in ARCHIVE_COVERAGE)).map((h) => h.table)).toEqual([]);
    const all = new Set(
      (await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>()).results.map(
        (r) => r.name,
      ),
    );
    expect(Object.keys(ARCHIVE_COVERAGE).filter((t) => !all.has(t))).toEqual([]);

    const { t, ids } = await seedWorkspace();
    expect(
      (await send("/app/recent", { cookie: t.cookie, form: { type: "contact", id: String(ids.ada) } })).status,
    ).toBe(204);
    // Something in the trash, so workspace/trash.json is shown to hold it.
    const trashed = await createContact(t.cookie, { first_name: "Trashed", last_name: "Person" });
    expect((await send(`/app/contacts/${trashed}/delete`, { cookie: t.cookie, form: {} })).status).toBe(303);
    const { path } = await requestCopy(t);
    const { zip } = await download(path, t.cookie);
    const manifest = JSON.parse(strFromU8(zip!["manifest.json"]!)) as Manifest;
    const userId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(t.email).first<{ id: string }>())!
      .id;
    for (const [table, where] of Object.entries(ARCHIVE_COVERAGE)) {
      if (!("file" in where)) {
        expect(where.leftOut.length, table).toBeGreaterThan(20);
        continue;
      }
      expect(Object.keys(zip!), `${table} → ${where.file}`).toContain(where.file);
      // What this account holds in the table shows up in its file.
      const key = held.find((h) => h.table === table)?.column;
      if (!key || !tables.has(table)) continue;
      const rows = (await env.DB.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${key} = ?`)
        .bind(key === "tenant_id" ? t.tenantId : userId)
        .first<{ n: number }>())!.n;
      if (rows > 0)
        expect(
          manifest.files.find((f) => f.name === where.file)!.records,
          `${table} has ${rows} rows; ${where.file}`,
        ).toBeGreaterThan(0);
    }
    // The timeline names the records and the changes.
    const activity = json(zip!, "workspace/activity.json").records;
    expect(activity).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ record_type: "contact", record_id: ids.ada, kind: "created", by: t.email }),
      ]),
    );
    expect(json(zip!, "account/recently-viewed.json").records).toEqual([
      expect.objectContaining({ workspace: "Portable Pipes", record_type: "contact", record_id: ids.ada }),
    ]);
  });
});

describe("Download my data (an owner)", () => {
  it("holds every record of every kind, the account's data, and a manifest of every file", async () => {
    const { t, ids } = await seedWorkspace();
    await send("/app/settings/profile/name", { cookie: t.cookie, form: { name: "Olive Owner" } });
    // A reminder in the bell (the reminder sweep writes these).
    await env.DB.prepare(
      "INSERT INTO notifications (tenant_id, user_id, title, created_at) SELECT ?, id, 'Call Ada — due 2027-01-04', ? FROM users WHERE email = ?",
    )
      .bind(t.tenantId, Date.UTC(2027, 0, 4, 8), t.email)
      .run();
    const page = await textOf("/app/settings/privacy", { cookie: t.cookie });
    expect(page).toContain("California Consumer Privacy Act");
    expect(page).toContain("right to know");

    const { path } = await requestCopy(t);
    const { res, zip } = await download(path, t.cookie);
    expect(res.headers.get("Content-Type")).toBe("application/zip");
    expect(res.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="customertrackr-my-data-\d{4}-\d{2}-\d{2}\.zip"$/,
    );
    expect(res.headers.get("Cache-Control")).toContain("no-store");

    // The manifest describes exactly the files there are, with their record counts.
    const manifest = JSON.parse(strFromU8(zip!["manifest.json"]!)) as Manifest;
    expect(manifest.format).toBe("customertrackr.data-export/1");
    expect(manifest.includes_workspace_records).toBe(true);
    expect(manifest.files.map((f) => f.name).sort()).toEqual(Object.keys(zip!).sort());
    for (const f of manifest.files) {
      expect(f.description.length, f.name).toBeGreaterThan(10);
      expect(f.format, f.name).toBe(f.name.endsWith(".csv") ? "csv" : "json");
    }
    const count = (name: string) => manifest.files.find((f) => f.name === name)!.records;
    expect(Object.keys(zip!).sort()).toEqual(
      [
        "account/audit-log.json",
        "account/calendar-feed.json",
        "account/consent.json",
        "account/contact-messages.json",
        "account/emails.json",
        "account/email-preferences.json",
        "account/memberships.json",
        "account/recently-viewed.json",
        "account/reminders.json",
        "account/sessions.json",
        "account/usage.json",
        "account/user.json",
        "manifest.json",
        "workspace/companies.csv",
        "workspace/companies.json",
        "workspace/deals.csv",
        "workspace/deals.json",
        "workspace/contacts.csv",
        "workspace/contacts.json",
        "workspace/notes.csv",
        "workspace/notes.json",
        "workspace/activity.json",
        "workspace/tasks.json",
        "workspace/interactions.json",
        "workspace/trash.json",
        "workspace/api-keys.json",
      ].sort(),
    );
    // The tasks, with their record, time and assignee by address.
    expect(json(zip!, "workspace/tasks.json").records).toEqual([
      expect.objectContaining({
        title: "Call Ada back",
        due_date: "2026-12-24",
        due_time: "09:30",
        subject_type: "contact",
        subject_id: ids.ada,
        assignee: t.email,
        status: "open",
      }),
    ]);

    // Every contact, with custom fields, tags, emails, phones, company and notes.
    const contacts = json(zip!, "workspace/contacts.json");
    expect(contacts.format).toBe("customertrackr.export/1");
    expect(contacts.records.map((c) => c.id).sort()).toEqual([ids.ada, ids.charles, ids.third].sort());
    expect(count("workspace/contacts.json")).toBe(3);
    const ada = contacts.records.find((c) => c.id === ids.ada)!;
    expect(ada).toMatchObject({
      first_name: "Ada",
      last_name: "Lovelace",
      emails: ["ada@example.com", "ada.work@engines.example"],
      phones: ["+14155550123", "+442079460958"],
      company: { id: ids.company, name: "Analytical Engines" },
      tags: ["Pioneer", "VIP"],
      custom_fields: { Tier: { kind: "select", value: "gold" } },
      address: "12 St James's Square\nLondon",
    });
    expect((ada.notes as { body: string }[]).map((n) => n.body)).toEqual([
      'First note, with "quotes", a comma\nand a second line',
    ]);
    const contactRows = csvRecords(strFromU8(zip!["workspace/contacts.csv"]!));
    expect(contactRows).toHaveLength(4);
    expect(count("workspace/contacts.csv")).toBe(3);
    expect(contactRows[0]).toContain("Tier");
    expect(contactRows.some((r) => r[0] === "'=cmd|' /C calc'!A0")).toBe(true);

    const companies = json(zip!, "workspace/companies.json");
    expect(companies.records).toHaveLength(1);
    expect(companies.records[0]).toMatchObject({
      id: ids.company,
      name: "Analytical Engines",
      tags: ["VIP"],
      custom_fields: { Region: { kind: "text", value: "EMEA" } },
    });
    expect((companies.records[0]!.notes as { body: string }[]).map((n) => n.body)).toEqual(["Company note"]);
    expect(csvRecords(strFromU8(zip!["workspace/companies.csv"]!))).toHaveLength(2);
    expect(count("workspace/companies.csv")).toBe(1);

    // Deals: their contacts with roles, stage history, lost reason; the pipelines and lost reasons in the head.
    const deals = JSON.parse(strFromU8(zip!["workspace/deals.json"]!)) as {
      pipelines: { name: string; stages: { name: string; probability: number }[] }[];
      lost_reasons: string[];
      records: Record<string, unknown>[];
    };
    expect(deals.records.map((d) => d.id)).toEqual([ids.lostDeal, ids.deal]);
    expect(deals.records[1]).toMatchObject({
      name: "Engine No. 2",
      amount_minor: 1_250_050,
      currency: "GBP",
      pipeline: "Sales",
      stage: "Proposal",
      status: "open",
      close_date: "2026-12-24",
      company: { id: ids.company, name: "Analytical Engines" },
      contacts: [{ id: ids.ada, name: "Ada Lovelace", email: "ada@example.com", role: "Decision maker" }],
      tags: ["VIP"],
      owner: t.email,
      stage_history: [expect.objectContaining({ pipeline: "Sales", stage: "Proposal", status: "open", by: t.email })],
    });
    expect(deals.records[0]).toMatchObject({ status: "lost", lost_reason: "No budget", closed_on: "2026-11-30" });
    expect(deals.pipelines).toEqual([
      expect.objectContaining({
        name: "Sales",
        stages: expect.arrayContaining([expect.objectContaining({ name: "Lead", probability: 10 })]),
      }),
    ]);
    expect(deals.lost_reasons).toContain("Went with a competitor");
    expect(count("workspace/deals.json")).toBe(2);
    const dealRows = csvRecords(strFromU8(zip!["workspace/deals.csv"]!));
    expect(dealRows).toHaveLength(3);
    expect(dealRows[2]!.slice(0, 3)).toEqual(["Engine No. 2", "12500.50", "GBP"]);

    // Logged calls, meetings and emails: their own file, and each record's in its JSON.
    const logged = json(zip!, "workspace/interactions.json").records;
    expect(logged).toEqual([
      expect.objectContaining({
        record_type: "contact",
        record_id: ids.ada,
        kind: "call",
        occurred_at: "2026-03-04T10:30:00.000Z",
        outcome: "connected",
        notes: "Talked engines",
        logged_by: t.email,
      }),
      expect.objectContaining({ record_type: "deal", record_id: ids.deal, kind: "meeting", duration_minutes: 60 }),
    ]);
    expect(ada.interactions).toEqual([
      {
        id: logged[0]!.id,
        kind: "call",
        occurred_at: "2026-03-04T10:30:00.000Z",
        duration_minutes: null,
        outcome: "connected",
        notes: "Talked engines",
        logged_by: t.email,
      },
    ]);
    expect(deals.records.find((d) => d.id === ids.deal)!.interactions).toEqual([
      expect.objectContaining({ kind: "meeting", duration_minutes: 60, logged_by: t.email }),
    ]);

    const notes = json(zip!, "workspace/notes.json");
    expect(notes.records.map((n) => n.body).sort()).toEqual(
      ['First note, with "quotes", a comma\nand a second line', "Company note", "Difference engine"].sort(),
    );
    expect(count("workspace/notes.json")).toBe(3);
    expect(csvRecords(strFromU8(zip!["workspace/notes.csv"]!))).toHaveLength(4);
    expect(count("workspace/notes.csv")).toBe(3);

    // The account: who they are, where, their sessions, choices and audit entries; no secret.
    const user = json(zip!, "account/user.json");
    expect(user.records).toEqual([expect.objectContaining({ email: t.email, name: "Olive Owner" })]);
    expect(json(zip!, "account/memberships.json").records).toEqual([
      expect.objectContaining({ workspace: "Portable Pipes", role: "owner" }),
    ]);
    const sessions = json(zip!, "account/sessions.json").records;
    expect(sessions.length).toBeGreaterThanOrEqual(1);
    expect(sessions[0]).toHaveProperty("ip");
    expect(json(zip!, "account/consent.json").records).toEqual([expect.objectContaining({ analytics: "rejected" })]);
    expect(json(zip!, "account/reminders.json").records).toEqual([
      {
        workspace: "Portable Pipes",
        reminder: "Call Ada — due 2027-01-04",
        task_id: null,
        note_id: null,
        at: "2027-01-04T08:00:00.000Z",
        read_at: null,
      },
    ]);
    expect(json(zip!, "account/email-preferences.json").records).toEqual([
      {
        weekly_digest: true,
        product_news: false,
        task_reminders: true,
        daily_agenda: false,
        mentions: true,
        changed_at: null,
      },
    ]);
    const feed = await env.DB.prepare(
      `SELECT f.secret_hash, f.created_at, f.tenant_id, w.name FROM calendar_feeds f JOIN users u ON u.id = f.user_id
       JOIN tenants w ON w.id = f.tenant_id WHERE u.email = ?`,
    )
      .bind(t.email)
      .first<{ secret_hash: string; created_at: number; tenant_id: string; name: string }>();
    expect(json(zip!, "account/calendar-feed.json").records).toEqual([
      {
        workspace: feed!.name,
        workspace_id: feed!.tenant_id,
        on: true,
        turned_on_at: new Date(feed!.created_at).toISOString(),
        last_read_at: null,
      },
    ]);
    const audit = json(zip!, "account/audit-log.json").records;
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["auth.sign_up", "profile.updated", "privacy.export_requested"]),
    );
    const everything = Object.values(zip!)
      .map((u) => strFromU8(u))
      .join("\n");
    expect(everything).not.toMatch(/scrypt\$/);
    expect(everything).not.toContain("password_hash");
    expect(everything).not.toContain("secret_hash");
    expect(everything).not.toContain(feed!.secret_hash);
  });

  it("works for 24 hours for the requester only: not for another member, another workspace or nobody; then it is refused and deleted", async () => {
    const { t } = await seedWorkspace();
    const { path, id } = await requestCopy(t);
    const admin = await memberOf(t.tenantId, "admin");
    const stranger = await newTenant("Stranger Co");
    expect((await send(path, { cookie: admin.cookie })).status).toBe(404);
    expect((await send(path, { cookie: stranger.cookie })).status).toBe(404);
    const anonymous = await send(path);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
    expect(
      await env.DB.prepare(
        "SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND action = 'privacy.export_downloaded'",
      )
        .bind(t.tenantId)
        .first("n"),
    ).toBe(0);

    const ok = await send(path, { cookie: t.cookie });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const downloaded = await env.DB.prepare(
      "SELECT actor_user_id, target_id FROM audit_log WHERE tenant_id = ? AND action = 'privacy.export_downloaded'",
    )
      .bind(t.tenantId)
      .all();
    expect(downloaded.results).toHaveLength(1);
    expect(downloaded.results[0]).toMatchObject({ target_id: id });
    expect(
      await env.DB.prepare(
        "SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND action = 'privacy.export_requested'",
      )
        .bind(t.tenantId)
        .first("n"),
    ).toBe(1);

    // The link's 24 hours: ready_at + 24 h.
    const row = (await env.DB.prepare("SELECT ready_at, expires_at, object_key FROM data_exports WHERE id = ?")
      .bind(id)
      .first<{ ready_at: number; expires_at: number; object_key: string }>())!;
    expect(row.expires_at - row.ready_at).toBe(24 * 3_600_000);
    // Each build writes its own object (src/services/privacy/archive-build.ts exportObjectKey).
    const userId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(t.email).first<{ id: string }>())!
      .id;
    expect(row.object_key).toMatch(new RegExp(`^exports/${t.tenantId}/${userId}/${id}-[a-z0-9]+\\.zip$`));
    await env.DB.prepare("UPDATE data_exports SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, id)
      .run();
    const expired = await send(path, { cookie: t.cookie });
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("This download link has expired");

    // The cron deletes the archive itself.
    expect(await env.FILES.head(row.object_key)).not.toBeNull();
    await runCron(Date.now());
    expect(await env.FILES.head(row.object_key)).toBeNull();
    expect(await env.DB.prepare("SELECT status FROM data_exports WHERE id = ?").bind(id).first("status")).toBe(
      "expired",
    );
    expect((await send(path, { cookie: t.cookie })).status).toBe(410);
  });
});

describe("Download my data (a member)", () => {
  it("holds only the member's own account data, none of the workspace's records", async () => {
    const { t } = await seedWorkspace();
    const member = await memberOf(t.tenantId, "member");
    const page = await textOf("/app/settings/privacy", { cookie: member.cookie });
    expect(page).not.toContain("all of its contacts");
    const { path } = await requestCopy(member);
    const { zip } = await download(path, member.cookie);
    const manifest = JSON.parse(strFromU8(zip!["manifest.json"]!)) as Manifest;
    expect(manifest.includes_workspace_records).toBe(false);
    expect(manifest.account.email).toBe(member.email);
    expect(Object.keys(zip!).filter((n) => n.startsWith("workspace/"))).toEqual([]);
    expect(manifest.files.map((f) => f.name).sort()).toEqual(Object.keys(zip!).sort());
    const everything = Object.values(zip!)
      .map((u) => strFromU8(u))
      .join("\n");
    for (const secret of ["ada@example.com", "Lovelace", "Analytical Engines", "Difference engine", t.email])
      expect(everything).not.toContain(secret);
    expect(
      json(zip!, "account/memberships.json")
        .records.map((m) => m.workspace)
        .sort(),
    ).toEqual(["Own workspace of a member", "Portable Pipes"]);
  });

  it("holds the user's own usage data (pages by pattern, features, time), and no other member's", async () => {
    const { t } = await seedWorkspace();
    const member = await memberOf(t.tenantId, "member");
    expect((await send("/app/tasks", { cookie: member.cookie })).status).toBe(200);
    const beacon = await send("/app/usage/beacon", {
      cookie: member.cookie,
      form: { route: "/app/tasks", seconds: "17" },
    });
    expect(beacon.status).toBe(204);
    // The owner's own usage, which is not the member's to receive.
    expect((await send("/app/reports", { cookie: t.cookie })).status).toBe(200);
    const { path } = await requestCopy(member);
    const { zip } = await download(path, member.cookie);
    const usage = json(zip!, "account/usage.json").records;
    expect(usage).toContainEqual(
      expect.objectContaining({ record: "event", workspace: "Portable Pipes", kind: "page", name: "/app/tasks" }),
    );
    expect(usage).toContainEqual(
      expect.objectContaining({ record: "event", kind: "time", name: "/app/tasks", seconds: 17 }),
    );
    expect(usage.map((r) => r.name)).not.toContain("/app/reports");
    expect(usage.map((r) => r.name)).not.toContain("report.viewed");
  });

  it("holds their contact-page messages and the copies of the mail we sent them, with the tokens of emailed links hidden", async () => {
    const { t } = await seedWorkspace();
    const member = await memberOf(t.tenantId, "member");
    await confirmAddressOf(member.cookie);
    expect(
      await statusOf("/contact", {
        form: { name: "Mia Member", email: member.email, message: "Which data do you hold about me?" },
      }),
    ).toBe(303);
    expect((await send("/password/forgot", { form: { email: member.email } })).status).toBeLessThan(400);
    const reset = await lastMail(member.email, "password_reset");
    const token = linkPath(reset, "/password/reset/").split("/").pop()!;
    const stranger = `stranger-${crypto.randomUUID()}@example.com`;
    expect(
      (await send("/contact", { form: { name: "Stranger", email: stranger, message: "Not about the member at all." } }))
        .status,
    ).toBe(303);

    const { path } = await requestCopy(member);
    const { zip } = await download(path, member.cookie);
    const manifest = JSON.parse(strFromU8(zip!["manifest.json"]!)) as Manifest;
    const messages = json(zip!, "account/contact-messages.json").records;
    expect(messages).toEqual([
      expect.objectContaining({ name: "Mia Member", email: member.email, message: "Which data do you hold about me?" }),
    ]);
    expect(manifest.files.find((f) => f.name === "account/contact-messages.json")!.records).toBe(1);

    const emails = json(zip!, "account/emails.json").records;
    expect(emails.every((m) => m.to === member.email)).toBe(true);
    expect(emails.map((m) => m.kind)).toEqual(expect.arrayContaining(["support_ack", "password_reset"]));
    const copy = emails.find((m) => m.kind === "password_reset")!;
    expect(copy).toMatchObject({ subject: reset.subject, status: expect.any(String), created_at: expect.any(String) });
    expect(copy.text).toContain("/password/reset/:token");
    expect(manifest.files.find((f) => f.name === "account/emails.json")!.records).toBe(emails.length);
    const everything = Object.values(zip!)
      .map((u) => strFromU8(u))
      .join("\n");
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(stranger);
    expect(everything).not.toContain("Not about the member");
  });

  it("leaves out what was sent to the address until the account proves it holds it", async () => {
    const address = `held-by-someone-else-${crypto.randomUUID()}@example.com`;
    const form = { name: "The Real Holder", email: address, message: "My order number is 4471." };
    expect(await statusOf("/contact", { form })).toBe(303);
    // Someone signs up with that address, without confirming it, and asks for a copy of their data.
    const squatter = await signUp({ email: address, company_name: "Squatter Ltd" });
    const first = await download((await requestCopy(squatter)).path, squatter.cookie);
    expect(json(first.zip!, "account/contact-messages.json").records).toEqual([]);
    const mail = json(first.zip!, "account/emails.json").records;
    expect(mail.map((m) => m.kind)).not.toContain("support_ack");
    expect(JSON.stringify(first.zip ? Object.keys(first.zip) : [])).not.toContain("4471");
    // Once the address is confirmed, the messages sent from it are theirs.
    await confirmAddressOf(squatter.cookie);
    const second = await download((await requestCopy(squatter)).path, squatter.cookie);
    expect(json(second.zip!, "account/contact-messages.json").records).toEqual([
      expect.objectContaining({ message: "My order number is 4471." }),
    ]);
  });

  it("asks again only when the last copy is done, and at most five times a day", async () => {
    const t = await newTenant("Limit Co");
    await requestCopy(t);
    for (let i = 0; i < 4; i += 1) await requestCopy(t);
    const sixth = await send("/app/settings/privacy/export", { cookie: t.cookie, form: {} });
    expect(sixth.headers.get("Location")).toBe("/app/settings/privacy?notice=limit");
  });
});

describe("the archive writer", () => {
  it("streams a large archive into R2 in 5 MiB parts that read back whole", async () => {
    const { R2ZipWriter, PART_BYTES } = await import("../../src/lib/zip-r2");
    const key = `exports/test/large-${Date.now()}.zip`;
    const zip = await R2ZipWriter.open(env.FILES, key, { mtime: Date.now() });
    // Incompressible bytes, pushed 64 KiB at a time, so the ZIP is larger than two parts.
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < 200; i += 1) chunks.push(crypto.getRandomValues(new Uint8Array(65_536)));
    await zip.addFile("random.bin", chunks);
    await zip.addFile("small.txt", ["hello ", "world"]);
    const size = await zip.close();
    expect(size).toBeGreaterThan(2 * PART_BYTES);
    const object = await env.FILES.get(key);
    expect(object!.size).toBe(size);
    const files = unzipSync(new Uint8Array(await object!.arrayBuffer()));
    expect(strFromU8(files["small.txt"]!)).toBe("hello world");
    const random = files["random.bin"]!;
    expect(random.length).toBe(200 * 65_536);
    for (let i = 0; i < 200; i += 37) expect(random.subarray(i * 65_536, (i + 1) * 65_536)).toEqual(chunks[i]);
    await env.FILES.delete(key);
  }, 120_000); // 13 MB through R2 multipart: ~2 s alone, over 20 s beside the browser tests
});

describe("archives whose row is gone", () => {
  it("are deleted by the hourly sweep once they are older than the link's 24 hours", async () => {
    const key = `exports/gone-tenant/gone-user/orphan-${Date.now()}.zip`;
    await env.FILES.put(key, "PK");
    // The next run on the hour, 24 hours and more after the upload.
    const hour = 3_600_000;
    const at = Math.ceil((Date.now() + 24 * hour + 60_000) / hour) * hour;
    await runCron(at - 60_000);
    expect(await env.FILES.head(key)).not.toBeNull();
    await runCron(at);
    expect(await env.FILES.head(key)).toBeNull();
  });
});
