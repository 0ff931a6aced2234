/**
 * What "Download my data" (src/services/privacy/archive.ts) holds of each table: the archive file that
 * carries its rows, or why it is left out. test/privacy-data/portability.test.ts derives the tables
 * from the schema (every table with a tenant_id or a user_id), so a new kind of record fails there
 * until it is placed here; and it checks that every file named here is in the archive.
 *
 * Also the two readers the list exports do not have: the timeline and the recently viewed records.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { isoTime } from "../export/records";

export type Coverage = { file: string } | { leftOut: string };

const CONTACTS = { file: "workspace/contacts.json" };
const COMPANIES = { file: "workspace/companies.json" };

export const ARCHIVE_COVERAGE: Record<string, Coverage> = {
  users: { file: "account/user.json" },
  memberships: { file: "account/memberships.json" },
  sessions: { file: "account/sessions.json" },
  consent_records: { file: "account/consent.json" },
  email_preferences: { file: "account/email-preferences.json" },
  email_outbox: { file: "account/emails.json" },
  audit_log: { file: "account/audit-log.json" },
  support_messages: { file: "account/contact-messages.json" },
  recent_views: { file: "account/recently-viewed.json" },
  contacts: CONTACTS,
  contact_emails: CONTACTS,
  contact_phones: CONTACTS,
  contact_tags: CONTACTS,
  custom_fields: CONTACTS,
  custom_field_values: CONTACTS,
  tags: CONTACTS,
  companies: COMPANIES,
  company_tags: COMPANIES,
  notes: { file: "workspace/notes.json" },
  activities: { file: "workspace/activity.json" },
  auth_tokens: { leftOut: "single-use links we emailed (their hashes): secrets, and gone when they expire" },
  data_exports: { leftOut: "the list of these archives themselves" },
  import_jobs: {
    leftOut: "bookkeeping of imports (file name, counts, progress); the records they made are in the workspace files",
  },
  import_chunks: { leftOut: "which parts of an import were written: numbers only" },
  import_records: {
    leftOut: "the values an import replaced, kept only for undo; the current values are in the workspace files",
  },
  invitations: {
    leftOut: "pending invitations of the team, shown in Settings → Team; the people they name have rights of their own",
  },
  suppressions: {
    leftOut: "keyed hashes of erased people's addresses: meaningless outside this workspace, and not reversible",
  },
  tenant_counters: { leftOut: "record counts, derived from the records" },
  tenant_billing: {
    leftOut: "the plan and Stripe's ids; invoices and payment details are in Stripe's Customer Portal",
  },
  stripe_events: { leftOut: "ids of Stripe events already applied: bookkeeping" },
  closed_tenant_ledger: {
    leftOut: "written only once a workspace is erased: its billing ledger, with no personal data",
  },
  audit_erasures: { leftOut: "a flag row that lives only inside the batch erasing a user (migration 0011)" },
};

/** The workspace's timeline, oldest first, a page of 1,000 (one query) at a time. */
export async function* activityPages(db: Database, tenantId: string): AsyncGenerator<unknown[]> {
  let after = 0;
  for (;;) {
    const rows = await db.all<{
      id: number;
      subject_type: string;
      subject_id: number;
      kind: string;
      detail: string | null;
      actor: string | null;
      created_at: number;
    }>(sql`
      SELECT a.id, a.subject_type, a.subject_id, a.kind, a.detail, u.email AS actor, a.created_at
      FROM activities a LEFT JOIN users u ON u.id = a.actor_id
      WHERE a.tenant_id = ${tenantId} AND a.id > ${after} ORDER BY a.id LIMIT 1000`);
    yield rows.map((r) => ({
      id: r.id,
      record_type: r.subject_type,
      record_id: r.subject_id,
      kind: r.kind,
      changes: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
      by: r.actor,
      at: isoTime(r.created_at),
    }));
    if (rows.length < 1000) return;
    after = rows.at(-1)!.id;
  }
}

/** The records the user opened lately (the dashboard's shortcuts), in every workspace they belong to. */
export async function recentViewRows(db: Database, userId: string): Promise<unknown[]> {
  const rows = await db.all<{ workspace: string; subject_type: string; subject_id: number; viewed_at: number }>(sql`
    SELECT t.name AS workspace, r.subject_type, r.subject_id, r.viewed_at
    FROM memberships m JOIN recent_views r ON r.tenant_id = m.tenant_id AND r.user_id = m.user_id JOIN tenants t ON t.id = m.tenant_id
    WHERE m.user_id = ${userId} ORDER BY r.viewed_at DESC`);
  return rows.map((r) => ({
    workspace: r.workspace,
    record_type: r.subject_type,
    record_id: r.subject_id,
    viewed_at: isoTime(r.viewed_at),
  }));
}
