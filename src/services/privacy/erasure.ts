/**
 * Erasing a closed workspace, in resumable, bounded steps.
 *
 * A tenant whose grace period is over (or that an operator erases now) is erased step by step:
 * every table that holds its rows, children before parents, a bounded DELETE at a time; its R2
 * objects, a page at a time; the users who belonged to it and to no other workspace, with their
 * personal data; its memberships; and last the tenant row, once one query has confirmed nothing of it
 * is left. tenants.erase_step records the step reached, so a run that stops (its statement budget
 * spent, or a failure) resumes there, and every step is a plain "delete what is left", so running one
 * twice is harmless. Only the closed_tenant_ledger row stays, for the period the law asks.
 *
 * D1 takes at most 100 bound parameters per statement: id lists are bound as one JSON parameter
 * (json_each), and every statement here binds a handful.
 */
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/sqlite-core";
import {
  reportActivityDays,
  reportContactDays,
  reportDealOutcomes,
  reportOpenDeals,
  reportStageDays,
} from "../../db/schema";
import type { Database } from "../../db/client";
import { CONTROL_TABLES } from "../shards/control-tables";
import { ledgerKeepUntil } from "../../lib/retention-periods";
import { FORMER_ADDRESSES_OF, userDeletionQueries, userErasureStatements } from "../account/deletion";
import { deletePrefix, readRows, runBatch, runCounted } from "./statement-budget";
import {
  ERASURE_STEPS,
  type ErasureContext,
  type ErasureProgress,
  type ErasureTarget,
  TENANT_PREFIXES,
  TENANT_TABLES,
} from "./erasure-steps";

/**
 * Tables whose rows take their children with them (ON DELETE CASCADE: a contact's emails, phones and
 * tags; a company's tags; a deal's contacts, tags and stage history): a tenth of the chunk per statement keeps each statement's writes near it.
 */
const CASCADING = new Set(["contacts", "companies", "deals"]);

/**
 * Tables created WITHOUT ROWID (the report aggregates, migration 0020) have no rowid to pick a chunk by:
 * their primary key (from the schema) does it instead.
 */
const KEYS_WITHOUT_ROWID = new Map(
  [reportOpenDeals, reportDealOutcomes, reportStageDays, reportActivityDays, reportContactDays].map((table) => {
    const config = getTableConfig(table);
    return [
      config.name,
      sql.join(
        config.primaryKeys[0]!.columns.map((c) => sql.identifier(c.name)),
        sql`, `,
      ),
    ];
  }),
);

/** The directory entry and the moves of the workspace: they say which databases hold its rows. */
const KEPT_TO_THE_END = ["workspace_shards", "shard_moves"];

/** Control tables whose rows a records change writes in its own batch, so on the records' database too (item 11). */
const WRITTEN_WITH_RECORDS = new Set(["audit_log", "email_outbox"]);

/** Deletes the tenant's rows of one table wherever they are (a control table on control, the rest on every records database). */
async function deleteTenantRowsEverywhere(
  t: ErasureTarget,
  ctx: ErasureContext,
  table: string,
  progress: ErasureProgress,
): Promise<boolean> {
  // Where the rest is: read by every run of this erasure (erasureTargetOf), so kept until the last step's batch.
  if (KEPT_TO_THE_END.includes(table)) return true;
  // A shard's memberships are copies (shards/mirror.ts), and the last step's check finds them there too: a member
  // who keeps another workspace is not erased with the users, so their copy would stop the erasure for good.
  const databases =
    WRITTEN_WITH_RECORDS.has(table) || table === "memberships"
      ? [t.control, ...t.records.filter((d) => d !== t.control)]
      : table in CONTROL_TABLES
        ? [t.control]
        : t.records;
  for (const db of databases) if (!(await deleteTenantRows(db, t.tenantId, ctx, table, progress))) return false;
  return true;
}

/** Deletes the tenant's rows of one table on one database, a chunk per statement. True when none are left. */
async function deleteTenantRows(
  db: Database,
  tenantId: string,
  ctx: ErasureContext,
  table: string,
  progress: ErasureProgress,
): Promise<boolean> {
  const name = sql.identifier(table);
  const chunk = CASCADING.has(table) ? Math.max(1, Math.floor(ctx.chunk / 10)) : ctx.chunk;
  const withoutRowid = KEYS_WITHOUT_ROWID.get(table);
  const key = withoutRowid ? sql`(${withoutRowid})` : sql`rowid`;
  const keyList = withoutRowid ?? sql`rowid`;
  while (ctx.budget.left > 0) {
    // D1 counts the rows the statement's cascades and triggers wrote too, so "fewer than a chunk"
    // can take one more statement to see; "none" always ends the step.
    const n = await runCounted(
      db,
      ctx.budget,
      sql`DELETE FROM ${name}
          WHERE ${key} IN (SELECT ${keyList} FROM ${name} WHERE tenant_id = ${tenantId} LIMIT ${chunk})`,
    );
    progress.rows += n;
    if (n < chunk) return true;
  }
  return false;
}

/**
 * Erases, a chunk at a time, the users whose only workspace is this one. True when none are left.
 *
 * Each gets what a member who deletes their own account gets (userDeletionQueries(), the same
 * function deleteOwnUser() and an operator's erase-account use): beyond this workspace, which is
 * already empty, the invitations to their address and the mail sent to it in other workspaces go
 * (one they were removed from, one that invited them and waits), what they wrote there stays as
 * "former member", and the audit entries about them there are anonymised through the audit_erasures
 * flag row of the same batch (migration 0011). Then userErasureStatements() takes what the users row
 * does not reach. A chunk is as many users as the budget allows, so a run overspends it only when one
 * user alone needs more (three statements per former address, each of which is an invitation they
 * accepted under another address: formerAddresses() in src/services/account/deletion.ts).
 */
async function eraseOnlyMembers(t: ErasureTarget, ctx: ErasureContext, progress: ErasureProgress): Promise<boolean> {
  const perUser = userDeletionQueries(t.control, { id: "", email: "" }, [], ctx.now).length;
  const shared = userErasureStatements([]).length;
  while (ctx.budget.left > 5) {
    const chunk = Math.min(ctx.chunk, 100, Math.floor((ctx.budget.left - 1 - shared) / perUser));
    if (chunk < 1) return false;
    const rows = await readRows<{ id: string; email: string; former: string }>(
      t.control,
      ctx.budget,
      sql`SELECT u.id AS id, u.email AS email, ${sql.raw(FORMER_ADDRESSES_OF("u.id"))} AS former
          FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.tenant_id = ${t.tenantId}
            AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.user_id = m.user_id AND o.tenant_id <> ${t.tenantId})
          LIMIT ${chunk}`,
    );
    if (rows.length === 0) return true;
    // A user with former addresses takes three more statements for each (anonymiseTarget()): as many
    // users as fit the budget go in this batch (always the first), the rest in the next.
    const batch: SQLWrapper[] = [];
    const accounts: { id: string; email: string }[] = [];
    for (const r of rows) {
      const statements = userDeletionQueries(
        t.control,
        { id: r.id, email: r.email, formerEmails: JSON.parse(r.former) as string[] },
        [],
        ctx.now,
      );
      if (accounts.length > 0 && batch.length + statements.length + shared > ctx.budget.left) break;
      batch.push(...statements);
      accounts.push({ id: r.id, email: r.email });
    }
    // A shard holds copies of members' users rows (src/services/shards/mirror.ts), never an account: they go
    // first, so a run that stops between the two finds these users again, still members, and ends it.
    const ids = JSON.stringify(accounts.map((a) => a.id));
    for (const db of t.records.filter((d) => d !== t.control))
      await runCounted(db, ctx.budget, sql`DELETE FROM users WHERE id IN (SELECT value FROM json_each(${ids}))`);
    await runBatch(t.control, ctx.budget, [...batch, ...userErasureStatements(accounts)]);
    progress.users += accounts.length;
    if (rows.length < chunk && accounts.length === rows.length) return true;
  }
  return false;
}

/**
 * A shard's copies of the members who keep their accounts for other workspaces (src/services/shards/mirror.ts):
 * with the workspace gone, nothing on that shard needs their address, name or email lists, and their account's
 * deletion later would not look there. Their row stays as an anonymous anchor, as a move's cleaning leaves it.
 * Idempotent, before the memberships that name them go.
 */
async function forgetPeopleCopies(t: ErasureTarget, ctx: ErasureContext): Promise<void> {
  const leaving = sql`(SELECT m.user_id FROM memberships m WHERE m.tenant_id = ${t.tenantId}
    AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.user_id = m.user_id AND o.tenant_id <> ${t.tenantId}))`;
  for (const db of t.records.filter((d) => d !== t.control))
    await runBatch(db, ctx.budget, [
      sql`DELETE FROM email_preferences WHERE user_id IN ${leaving}`,
      sql`UPDATE users SET email = id || '@anchor.invalid', name = NULL, time_zone = NULL, locale = NULL,
            email_verified_at = NULL WHERE id IN ${leaving} AND email NOT LIKE '%@anchor.invalid'`,
    ]);
}

/** Columns of one row that say which tenant tables still hold rows of the tenant (1) or not (null). */
function leftoversQuery(tenantId: string): SQL {
  const checks = [...TENANT_TABLES, "memberships"].map(
    (t) => sql`(SELECT 1 FROM ${sql.identifier(t)} WHERE tenant_id = ${tenantId} LIMIT 1) AS ${sql.identifier(t)}`,
  );
  return sql`SELECT ${sql.join(checks, sql`, `)}`;
}

/**
 * The last step: if nothing of the tenant is left, the ledger records the erasure and the tenant row
 * goes. If something arrived meanwhile (a late write), the erasure starts over from the first step.
 */
async function finish(
  t: ErasureTarget,
  ctx: ErasureContext,
  progress: ErasureProgress,
  restarted: { done: boolean },
): Promise<"done" | "restart"> {
  const databases = [t.control, ...t.records.filter((d) => d !== t.control)];
  const remaining: [string, unknown][] = [];
  for (const db of databases) {
    const [left] = await readRows<Record<string, number | null>>(db, ctx.budget, leftoversQuery(t.tenantId));
    remaining.push(...Object.entries(left ?? {}).filter(([k, v]) => v !== null && !KEPT_TO_THE_END.includes(k)));
  }
  if (remaining.length > 0 && !restarted.done) {
    console.error(JSON.stringify({ type: "erasure_restart", tenantId: t.tenantId, tables: remaining.map(([k]) => k) }));
    restarted.done = true;
    return "restart";
  }
  // A shard's copy of the tenants row (the anchor of its foreign keys) before the control database's: once
  // that one is gone no run comes back to this workspace.
  for (const db of databases.slice(1))
    await runCounted(db, ctx.budget, sql`DELETE FROM tenants WHERE id = ${t.tenantId}`);
  await runBatch(t.control, ctx.budget, [
    sql`UPDATE closed_tenant_ledger
        SET erased_at = ${ctx.now}, keep_until = ${ledgerKeepUntil(ctx.now, ctx.ledgerYears)}
        WHERE tenant_id = ${t.tenantId} AND erased_at IS NULL`,
    ...KEPT_TO_THE_END.map((table) => sql`DELETE FROM ${sql.identifier(table)} WHERE tenant_id = ${t.tenantId}`),
    // Cascades reach whatever a late write left in tables with a foreign key to tenants.
    sql`DELETE FROM tenants WHERE id = ${t.tenantId}`,
  ]);
  progress.rows += 1;
  return "done";
}

/**
 * Runs the erasure of one tenant from the step it reached, within the budget. Returns what it did
 * and whether the tenant is gone. The caller decides that the tenant is due (erase_after passed).
 */
export async function eraseTenant(t: ErasureTarget, ctx: ErasureContext): Promise<ErasureProgress> {
  const { tenantId } = t;
  const start = ctx.budget.left;
  const progress: ErasureProgress = { tenantId, done: false, rows: 0, objects: 0, users: 0, statements: 0 };
  const [tenant] = await readRows<{ step: number; erasing: number | null }>(
    t.control,
    ctx.budget,
    sql`SELECT erase_step AS step, erasing_at AS erasing FROM tenants WHERE id = ${tenantId} AND closed_at IS NOT NULL`,
  );
  if (!tenant) {
    progress.done = true;
    progress.statements = start - ctx.budget.left;
    return progress;
  }
  // From here on the tenant's audit entries may be deleted (the trigger of migration 0009), and the
  // reopen link no longer works.
  if (tenant.erasing === null)
    await runCounted(
      t.control,
      ctx.budget,
      sql`UPDATE tenants SET erasing_at = ${ctx.now}, reopen_token_hash = NULL WHERE id = ${tenantId}`,
    );
  // A shard's copy of the tenants row says so too: entries written there with the records (item 11) go as well.
  for (const db of t.records.filter((d) => d !== t.control))
    await runCounted(
      db,
      ctx.budget,
      sql`UPDATE tenants SET erasing_at = coalesce(erasing_at, ${ctx.now}) WHERE id = ${tenantId}`,
    );

  let step = Math.max(0, Math.min(tenant.step, ERASURE_STEPS.length - 1));
  const restarted = { done: false };
  const files = { objects: 0 };
  while (ctx.budget.left > 2 && !progress.done) {
    const name = ERASURE_STEPS[step]!;
    let finished: boolean;
    if (name.startsWith("table:")) finished = await deleteTenantRowsEverywhere(t, ctx, name.slice(6), progress);
    else if (name.startsWith("r2:"))
      finished = await deletePrefix(ctx.files, ctx.budget, TENANT_PREFIXES(tenantId)[Number(name.slice(3))]!, files);
    else if (name === "users") finished = await eraseOnlyMembers(t, ctx, progress);
    else if (name === "memberships") {
      await forgetPeopleCopies(t, ctx);
      finished = await deleteTenantRowsEverywhere(t, ctx, "memberships", progress);
    } else {
      const outcome = await finish(t, ctx, progress, restarted);
      if (outcome === "done") {
        progress.done = true;
        break;
      }
      step = 0;
      await runCounted(t.control, ctx.budget, sql`UPDATE tenants SET erase_step = 0 WHERE id = ${tenantId}`);
      continue;
    }
    if (!finished) break;
    step += 1;
    await runCounted(t.control, ctx.budget, sql`UPDATE tenants SET erase_step = ${step} WHERE id = ${tenantId}`);
  }
  progress.objects = files.objects;
  progress.statements = start - ctx.budget.left;
  return progress;
}
