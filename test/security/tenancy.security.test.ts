import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";

describe("two tenants", () => {
  it("each sees only its own workspace", async () => {
    const a = await newTenant("Alpha Plumbing");
    const b = await newTenant("Beta Bakery");
    const pageA = await textOf("/app", { cookie: a.cookie });
    const pageB = await textOf("/app", { cookie: b.cookie });
    expect(pageA).toContain("Alpha Plumbing");
    expect(pageA).not.toContain("Beta Bakery");
    expect(pageA).not.toContain(b.email);
    expect(pageB).toContain("Beta Bakery");
    expect(pageB).not.toContain("Alpha Plumbing");
  });

  it("a session pointed at a tenant the user is not a member of grants nothing", async () => {
    const a = await newTenant("Alpha Two");
    const b = await newTenant("Beta Two");
    const sessionId = a.cookie.match(/__Host-session=([^.;]+)\./)![1]!;
    await env.DB.prepare("UPDATE sessions SET tenant_id = ? WHERE id = ?").bind(b.tenantId, sessionId).run();
    const res = await send("/app", { cookie: a.cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });

  // Indexes that do not serve one tenant's queries, each for a reason. Primary keys are left out
  // too: a random id finds one row, whoever asks.
  const USER_SCOPED_INDEXES = new Set([
    "memberships_user_idx", // a user's workspaces: login, the tenant switcher
    "sessions_user_idx", // a user's sessions, across workspaces
    "email_outbox_due_idx", // the mailer's sweep of due mail, across workspaces
    "invitations_token_unique", // an invitee arrives with a token, before any tenant is known
    "tenant_billing_customer_unique", // a Stripe webhook arrives with a customer id, before any tenant is known
    "api_keys_secret_unique", // an API request arrives with only its key, before any tenant is known
    "calendar_feeds_secret_unique", // a calendar app arrives with only its feed's secret, before any tenant is known
    // The retention job's sweeps of what is past its period, across workspaces (src/services/privacy/retention.ts).
    "sessions_last_active_idx",
    "audit_log_created_idx",
    "email_outbox_body_due_idx",
    "import_jobs_files_due_idx",
    "import_jobs_records_due_idx",
    "closed_tenant_ledger_keep_idx",
    // The cron's sweep of support grants that ran out, to tell each owner once (src/services/support-access/ended-notices.ts).
    "support_grants_end_notice_idx",
    // The job watchdog's sweep of working jobs by heartbeat, across workspaces (src/services/jobs/watchdog.ts);
    // partial indexes holding only jobs at work.
    "import_jobs_working_idx",
    "data_exports_working_idx",
    "bulk_jobs_working_idx",
    "shard_moves_working_idx",
    // Webhooks (src/services/webhooks/): the sweep of pending deliveries due, and retention's sweep of old events.
    "webhook_deliveries_due_idx",
    "webhook_events_created_idx",
    // The retention job's sweep of the API's kept answers past 24 h (src/services/api/idempotency.ts).
    "api_idempotency_created_idx",
    // Erasing one person's address from every workspace they were mailed or invited in
    // (src/services/account/deletion.ts, the ops erase actions).
    "email_outbox_to_idx",
    "invitations_email_idx",
    // A user's data export reads the mail sent to them, by address or by user id, from every workspace
    // (src/services/privacy/archive-contents.ts; test/db/job-plans.test.ts).
    "email_outbox_user_idx",
    // The cron's sweeps of data export archives past their link's expiry and rows past their keeping
    // (src/services/privacy/archive-purge.ts).
    "data_exports_expiry_idx",
    "data_exports_updated_idx",
    // Erasing a person deletes what they viewed in every workspace (src/services/account/deletion.ts).
    "recent_views_user_idx",
    // The every-minute reminder sweep across workspaces: only tasks with a reminder still due
    // (src/services/reminders/sweep.ts).
    "tasks_remind_idx",
    // Account erasure deletes a user's sent-reminder rows in every workspace (src/services/account/deletion.ts).
    "task_reminders_user_idx",
    // The retention job's sweep of trash items past their 30 days, across workspaces (src/services/privacy/retention.ts).
    "trash_items_purge_idx",
    // Account erasure deletes a user's private saved views and defaults in every workspace
    // (src/services/account/deletion.ts); the defaults' view foreign key.
    "saved_views_owner_idx",
    "saved_view_defaults_user_fk_idx",
    "saved_view_defaults_view_fk_idx",
    // Usage data (src/services/usage/): the rollup and retention work a day across workspaces; account
    // erasure and the personal data export find a user's rows in every workspace.
    "usage_events_day_idx",
    "usage_events_user_idx",
    "usage_daily_day_idx",
    "usage_daily_user_idx",
    // The directory's stale people copies, found by the cron across workspaces (src/services/shards/mirror.ts).
    "workspace_shards_people_stale_idx",
  ]);

  it("every tenant-owned index starts with tenant_id", async () => {
    const indexes = await env.DB.prepare(
      "SELECT m.name AS tbl, il.name AS idx FROM sqlite_master m JOIN pragma_index_list(m.name) il WHERE il.origin <> 'pk' AND m.type = 'table' AND m.name NOT LIKE '_cf_%' AND m.name NOT LIKE 'sqlite_%'",
    ).all<{ tbl: string; idx: string }>();
    for (const { tbl, idx } of indexes.results) {
      const columns = await env.DB.prepare("SELECT name FROM pragma_table_info(?)").bind(tbl).all<{ name: string }>();
      // "*_fk_idx": the index SQLite needs to find a deleted parent's children by the foreign key
      // alone (otherwise every delete scans the whole table, all tenants' rows).
      if (
        !columns.results.some((c) => c.name === "tenant_id") ||
        USER_SCOPED_INDEXES.has(idx) ||
        idx.endsWith("_fk_idx")
      )
        continue;
      const first = await env.DB.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno LIMIT 1")
        .bind(idx)
        .first<{ name: string }>();
      expect(first?.name, `${tbl}.${idx}`).toBe("tenant_id");
    }
  });

  it("every foreign key has an index leading with its columns, so deleting a parent never scans a table", async () => {
    // D1 allows PRAGMA foreign_key_list per table, not as a table-valued function.
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'",
    ).all<{ name: string }>();
    const fks = { results: [] as { tbl: string; cols: string }[] };
    for (const { name } of tables.results) {
      const list = await env.DB.prepare(`PRAGMA foreign_key_list("${name}")`).all<{ id: number; from: string }>();
      const byId = new Map<number, string[]>();
      for (const r of list.results) byId.set(r.id, [...(byId.get(r.id) ?? []), r.from]);
      for (const cols of byId.values()) fks.results.push({ tbl: name, cols: cols.join(",") });
    }
    expect(fks.results.length).toBeGreaterThan(5);
    for (const { tbl, cols } of fks.results) {
      const wanted = cols.split(",");
      const indexes = await env.DB.prepare("SELECT name FROM pragma_index_list(?)").bind(tbl).all<{ name: string }>();
      let covered = false;
      for (const { name } of indexes.results) {
        const columns = (
          await env.DB.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
            .bind(name)
            .all<{ name: string }>()
        ).results.map((c) => c.name);
        if (wanted.every((w, i) => columns[i] === w) || (wanted.length === 1 && columns[0] === wanted[0]))
          covered = true;
      }
      // An INTEGER PRIMARY KEY column is the rowid: always indexed.
      expect(covered, `${tbl}(${cols})`).toBe(true);
    }
  });
});
