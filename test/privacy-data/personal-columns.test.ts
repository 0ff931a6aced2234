/**
 * Every column that can hold a person's user id, email address or IP (or its hash), found from the
 * schema itself, is reached when that person is erased: by a foreign key to users that cascades or
 * nulls, by the account-erasure statements (the same ones self-deletion and an operator's
 * erase-account run), or by a named rule below saying why not. A new table or column of that kind
 * fails here until its erasure is decided.
 */
import { env } from "cloudflare:workers";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { userDeletionQueries, userErasureStatements } from "../../src/services/account/deletion";
import { columnsOf, schemaTables } from "../closure/helpers";

// owner_key and user_key: the report aggregates' user ids ('' for nobody), migration 0020.
const USER_ID = /(^|_)user_id$|_by$|^(author|actor|owner)_id$|^(owner|user)_key$/;
const EMAIL = /(^|_)email$|^to_address$/;
const IP = /(^|_)ip(_hash)?$/;

/** Columns of those kinds that account erasure does not name, each with where it is handled instead. */
const HANDLED_ELSEWHERE: Record<string, string> = {
  "users.email": "the users row itself is deleted by the erasure",
  "contacts.primary_email": "a customer's address, not a user's: erased with the contact (contact erasure, closure)",
  "contact_emails.email": "a customer's address: erased with the contact (contact erasure, closure)",
  "audit_erasures.email": "the erasure's own flag row, deleted by the audit trigger in the same batch (migration 0011)",
  "audit_log.ip":
    "kept for the audit period, then deleted by retention; an erased user's entries keep the workspace's trail",
  "digest_runs.after_user_id": "a cursor of the digest run, cleared when the run ends (retention of digest_runs)",
  "closed_tenant_ledger.closed_by": "who closed a workspace, 'owner' or 'operator': not a user id",
  "staff.email":
    "a CustomerTrackr staff member's work address, not a customer's: staff are disabled, never erased as users",
  // Derived columns: the triggers of migration 0020 move a count to '' when account erasure nulls its source
  // (deals.owner_id, interactions.logged_by, notes.author_id, tasks.completed_by, contacts.created_by);
  // test/reports/aggregates.test.ts deletes an account and finds no aggregate row with its id.
  "report_open_deals.owner_key": "follows deals.owner_id, nulled by account erasure (report triggers)",
  "report_deal_outcomes.owner_key": "follows deals.owner_id, nulled by account erasure (report triggers)",
  "report_activity_days.user_key":
    "follows interactions.logged_by, notes.author_id and tasks.completed_by, nulled by account erasure (report triggers)",
  "report_contact_days.user_key": "follows contacts.created_by, nulled by account erasure (report triggers)",
};

interface Column {
  table: string;
  column: string;
}

async function personalColumns(): Promise<Column[]> {
  const out: Column[] = [];
  for (const table of await schemaTables()) {
    if (table.includes("_fts")) continue;
    for (const column of await columnsOf(table)) {
      if (USER_ID.test(column) || EMAIL.test(column) || IP.test(column)) out.push({ table, column });
    }
  }
  return out;
}

/**
 * Whether the column follows the users row by itself: its row is deleted with the user (a foreign key
 * to users that cascades, or to a row that does), or the column itself is nulled (one that sets null).
 */
async function followsUsersRow({ table, column }: Column, seen = new Set<string>()): Promise<boolean> {
  const fks = await env.DB.prepare('SELECT "table" AS parent, "from" AS col, on_delete FROM pragma_foreign_key_list(?)')
    .bind(table)
    .all<{ parent: string; col: string; on_delete: string }>();
  seen.add(table);
  for (const fk of fks.results) {
    if (fk.parent === "users" && (fk.on_delete === "CASCADE" || (fk.col === column && fk.on_delete === "SET NULL")))
      return true;
    // A row that cascades from a row that cascades from the user's (calendar_feeds from memberships).
    if (fk.on_delete === "CASCADE" && !seen.has(fk.parent) && (await cascadesFromUsers(fk.parent, seen))) return true;
  }
  return false;
}

async function cascadesFromUsers(table: string, seen: Set<string>): Promise<boolean> {
  const fks = await env.DB.prepare('SELECT "table" AS parent, on_delete FROM pragma_foreign_key_list(?)')
    .bind(table)
    .all<{ parent: string; on_delete: string }>();
  seen.add(table);
  for (const fk of fks.results.filter((f) => f.on_delete === "CASCADE")) {
    if (fk.parent === "users") return true;
    if (!seen.has(fk.parent) && (await cascadesFromUsers(fk.parent, seen))) return true;
  }
  return false;
}

/** The SQL text of account erasure, as self-deletion runs it for a user with one former address. */
function erasureSql(): string[] {
  const db = createDb(env.DB);
  const user = { id: "u", email: "e@example.com", formerEmails: ["f@example.com"] };
  const dialect = new SQLiteAsyncDialect();
  return [...userDeletionQueries(db, user, ["t"], 0), ...userErasureStatements([user])].map(
    (s) => dialect.sqlToQuery(s.getSQL()).sql,
  );
}

/** Whether a statement deletes rows of `table`, or updates it and names the column. */
function named(statements: string[], { table, column }: Column): boolean {
  const deletes = new RegExp(`^\\s*delete from "?${table}"?\\s`, "i");
  const updates = new RegExp(`^\\s*update "?${table}"?\\s`, "i");
  return statements.some((s) => deletes.test(s) || (updates.test(s) && new RegExp(`\\b${column}\\b`).test(s)));
}

describe("personal columns", () => {
  it("are found in the schema (the patterns still match what we store)", async () => {
    const found = (await personalColumns()).map((c) => `${c.table}.${c.column}`);
    // A sample of each kind, so a renamed column that the patterns no longer see fails here.
    for (const c of [
      "sessions.user_id",
      "invitations.invited_by",
      "notes.author_id",
      "support_messages.email",
      "support_messages.ip_hash",
      "email_outbox.to_address",
      "report_activity_days.user_key",
    ]) {
      expect(found).toContain(c);
    }
  });

  it("each is reached by a foreign key to users, by the account-erasure statements, or by a named rule", async () => {
    const statements = erasureSql();
    const uncovered: string[] = [];
    for (const c of await personalColumns()) {
      const key = `${c.table}.${c.column}`;
      if (key in HANDLED_ELSEWHERE) continue;
      if (await followsUsersRow(c)) continue;
      if (named(statements, c)) continue;
      uncovered.push(key);
    }
    expect(uncovered).toEqual([]);
  });

  it("names no rule for a column that no longer exists", async () => {
    const found = new Set((await personalColumns()).map((c) => `${c.table}.${c.column}`));
    expect(Object.keys(HANDLED_ELSEWHERE).filter((k) => !found.has(k))).toEqual([]);
  });
});
