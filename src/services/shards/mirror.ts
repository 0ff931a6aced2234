/**
 * The people of a workspace on its shard (docs/scale.md, "Routing", item 3). Records name members by foreign key
 * and pages join them for names and roles (owner columns, assignee lists, mentions), so a shard holds a copy of
 * its workspaces' `tenants` row, their members' `users` rows (no password, no sign-in data) with their
 * `email_preferences`, and their `memberships`. The control database stays the truth: sessions and roles are
 * checked there. The copy is written again, whole (a workspace has few members), after every change to them.
 */
import { and, eq, ne } from "drizzle-orm";
import type { Database } from "../../db/client";
import { workspaceShards } from "../../db/schema";
import type { Bindings } from "../../env";
import { databaseOf, type DatabaseName, isDatabaseName } from "./databases";
import { quoted } from "./tables";
import { errorText } from "../../lib/error-text";

/** The bindings a mirror needs: the control database and whichever shards are bound. */
type JoinBindings = Pick<Bindings, "DB"> & Partial<Bindings>;

type Row = Record<string, unknown>;

// What a shard's users row carries; the rest (password, consents) never leaves the control database.
const USER_COLUMNS = ["id", "email", "name", "time_zone", "locale", "email_verified_at", "created_at", "updated_at"];

/** Upserts of `rows` of `table` by its key `pk`, one statement per row (a workspace has few members). */
function upserts(db: D1Database, table: string, pk: string[], rows: Row[]): D1PreparedStatement[] {
  return rows.map((row) => {
    const columns = Object.keys(row);
    const others = columns.filter((c) => !pk.includes(c));
    const set = others.map((c) => `${quoted(c)} = excluded.${quoted(c)}`).join(", ");
    return db
      .prepare(
        `INSERT INTO ${quoted(table)} (${columns.map(quoted).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})
         ON CONFLICT (${pk.map(quoted).join(", ")}) ${set ? `DO UPDATE SET ${set}` : "DO NOTHING"}`,
      )
      .bind(...columns.map((c) => row[c] ?? null));
  });
}

/** The control database's rows a shard copies for the workspace: its tenants row, members, their users rows. */
async function peopleOf(control: D1Database, tenantId: string) {
  const [tenant, billing, members, users, preferences] = await control.batch<Row>([
    control.prepare("SELECT * FROM tenants WHERE id = ?").bind(tenantId),
    control.prepare("SELECT * FROM tenant_billing WHERE tenant_id = ?").bind(tenantId),
    control.prepare("SELECT * FROM memberships WHERE tenant_id = ?").bind(tenantId),
    control
      .prepare(
        `SELECT ${USER_COLUMNS.map((c) => `u.${c}`).join(", ")} FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.tenant_id = ?`,
      )
      .bind(tenantId),
    control
      .prepare("SELECT p.* FROM memberships m JOIN email_preferences p ON p.user_id = m.user_id WHERE m.tenant_id = ?")
      .bind(tenantId),
  ]);
  return {
    tenant: tenant!.results[0],
    billing: billing!.results,
    members: members!.results,
    users: users!.results,
    preferences: preferences!.results,
  };
}

/**
 * Statements that make `shard` hold the workspace's people as the control database has them now. A member who
 * left and belongs to no other workspace there keeps an id-only users row (records they wrote still point to it).
 */
export async function mirrorStatements(
  control: D1Database,
  shard: D1Database,
  tenantId: string,
): Promise<D1PreparedStatement[]> {
  const { tenant, billing, members, users, preferences } = await peopleOf(control, tenantId);
  if (!tenant) return [];
  const ids = JSON.stringify(members.map((m) => m.user_id));
  const emails = JSON.stringify(users.map((u) => u.email));
  return [
    // A reopening link works on the control database only.
    ...upserts(shard, "tenants", ["id"], [{ ...tenant, reopen_token_hash: null }]),
    // Plan limits are checked in the records' own statements (src/services/billing/limits.ts).
    ...upserts(shard, "tenant_billing", ["tenant_id"], billing),
    // An address moves between accounts only through the control database; a stale copy must not block it.
    shard
      .prepare(
        `UPDATE users SET email = id || '@anchor.invalid'
         WHERE email IN (SELECT value FROM json_each(?1)) AND id NOT IN (SELECT value FROM json_each(?2))`,
      )
      .bind(emails, ids),
    ...upserts(
      shard,
      "users",
      ["id"],
      users.map((u) => ({ ...u, password_hash: "!", age_confirmed_at: 0, terms_accepted_at: 0 })),
    ),
    ...upserts(shard, "email_preferences", ["user_id"], preferences),
    ...upserts(shard, "memberships", ["tenant_id", "user_id"], members),
    ...leaverStatements(shard, tenantId, ids),
  ];
}

/** Forgets the members of `tenantId` on `shard` not in `keptIds` (JSON): their membership, and their name if no other. */
export function leaverStatements(shard: D1Database, tenantId: string, keptIds: string): D1PreparedStatement[] {
  const leavers = `SELECT user_id FROM memberships WHERE tenant_id = ?1 AND user_id NOT IN (SELECT value FROM json_each(?2))`;
  const alone = "NOT EXISTS (SELECT 1 FROM memberships o WHERE o.user_id = users.id AND o.tenant_id <> ?1)";
  return [
    shard
      .prepare(
        `UPDATE users SET email = id || '@anchor.invalid', name = NULL, time_zone = NULL, locale = NULL,
           email_verified_at = NULL WHERE id IN (${leavers}) AND ${alone}`,
      )
      .bind(tenantId, keptIds),
    shard
      .prepare(
        `DELETE /* all tenants: a leaver's preferences go unless another workspace here has them */
         FROM email_preferences WHERE user_id IN (${leavers})
         AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.user_id = email_preferences.user_id AND o.tenant_id <> ?1)`,
      )
      .bind(tenantId, keptIds),
    shard.prepare(`DELETE FROM memberships WHERE tenant_id = ?1 AND user_id IN (${leavers})`).bind(tenantId, keptIds),
  ];
}

/**
 * Statements that forget the workspace on a shard that no longer holds its records (a move's old copy, or a
 * rolled-back target): its tenants row, with its memberships and billing copy by cascade, and the names of
 * people who are now members of nothing there.
 */
export function forgetWorkspaceStatements(shard: D1Database, tenantId: string): D1PreparedStatement[] {
  const member = (column: string) => `EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = ${column})`;
  return [
    shard.prepare("DELETE FROM tenants WHERE id = ?").bind(tenantId),
    shard.prepare(`DELETE FROM email_preferences WHERE NOT ${member("email_preferences.user_id")}`),
    shard.prepare(
      `UPDATE users SET email = id || '@anchor.invalid', name = NULL, time_zone = NULL, locale = NULL,
         email_verified_at = NULL WHERE email NOT LIKE '%@anchor.invalid' AND NOT ${member("users.id")}`,
    ),
  ];
}

/** Copies the workspace's people to `shardName` (nothing on DB, where they are the real rows). */
export async function mirrorPeople(env: Bindings, shardName: DatabaseName, tenantId: string): Promise<void> {
  if (shardName === "DB") return;
  const shard = databaseOf(env, shardName);
  const statements = await mirrorStatements(env.DB, shard, tenantId);
  if (statements.length) await shard.batch(statements);
}

/**
 * Marks the workspace's copy stale, for the batch of a change that the copy must follow (a closure, a reopening):
 * a worker gone before mirrorAfterChange leaves it marked, and the cron copies it a minute on. Nothing on DB.
 */
export function markPeopleStale(db: Database, tenantId: string, now: number) {
  return db
    .update(workspaceShards)
    .set({ peopleStaleSince: now })
    .where(and(eq(workspaceShards.tenantId, tenantId), ne(workspaceShards.shard, "DB")));
}

/**
 * After a change to people on the control database (a member joined, left or changed role; a name, address or zone
 * changed; the workspace's settings or plan): copies each of these workspaces' people to its shard. Workspaces on
 * DB need nothing. Each is marked stale first (one statement that also reads where they are) and unmarked once
 * copied, unless a newer change marked it meanwhile; a copy that fails is logged (`people_mirror_failed`) and
 * left marked for the cron (copyStalePeople), so the change, which is done, never waits on it.
 */
export async function mirrorAfterChange(env: JoinBindings, tenantIds: string[], now = Date.now()): Promise<void> {
  if (tenantIds.length === 0) return;
  const { results } = await env.DB.prepare(
    `UPDATE workspace_shards SET people_stale_since = ?1
     WHERE shard <> 'DB' AND tenant_id IN (SELECT value FROM json_each(?2)) RETURNING tenant_id, shard`,
  )
    .bind(now, JSON.stringify(tenantIds))
    .all<{ tenant_id: string; shard: string }>();
  for (const row of results) await copyMarked(env, row.tenant_id, row.shard, now);
}

/** Copies one marked workspace's people and unmarks it if its mark is still `since`; false when the copy failed. */
async function copyMarked(env: JoinBindings, tenantId: string, shard: string, since: number): Promise<boolean> {
  if (!isDatabaseName(shard)) return false;
  try {
    await mirrorPeople(env as Bindings, shard, tenantId);
  } catch (err) {
    console.error(JSON.stringify({ type: "people_mirror_failed", tenant: tenantId, error: errorText(err) }));
    return false;
  }
  await env.DB.prepare(
    "UPDATE workspace_shards SET people_stale_since = NULL WHERE tenant_id = ? AND people_stale_since = ?",
  )
    .bind(tenantId, since)
    .run();
  return true;
}

/** Copies left marked this long ago are the cron's: the request that marked them has ended by then. */
const STALE_AFTER_MS = 60_000;

/**
 * The cron's share: copies again the people of workspaces still marked stale a minute after their change (a copy
 * that failed, a worker killed between a change and its copy), at most `limit` a run. Returns how many it copied.
 */
export async function copyStalePeople(env: Bindings, now: number, limit = 20): Promise<number> {
  const { results } = await env.DB.prepare(
    `SELECT /* all tenants: the directory's stale copies */ tenant_id, shard, people_stale_since AS since FROM workspace_shards
     WHERE people_stale_since IS NOT NULL AND people_stale_since <= ? ORDER BY people_stale_since LIMIT ?`,
  )
    .bind(now - STALE_AFTER_MS, limit)
    .all<{ tenant_id: string; shard: string; since: number }>();
  let copied = 0;
  for (const row of results) if (await copyMarked(env, row.tenant_id, row.shard, row.since)) copied += 1;
  return copied;
}

/** The workspaces `userId` is a member of (on the control database). */
export async function workspacesOfUser(control: Pick<D1Database, "prepare">, userId: string): Promise<string[]> {
  const { results } = await control
    .prepare("SELECT /* all tenants: one person's workspaces */ tenant_id FROM memberships WHERE user_id = ?")
    .bind(userId)
    .all<{ tenant_id: string }>();
  return results.map((r) => r.tenant_id);
}
