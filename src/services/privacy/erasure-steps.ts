/**
 * What erasing a closed workspace goes through (erasure.ts runs it): every table that holds its rows, in the
 * order they are emptied, its R2 prefixes, the steps tenants.erase_step counts, and the databases a run reaches.
 */
import type { Database } from "../../db/client";
import type { Budget } from "./statement-budget";

/**
 * Every table with a tenant_id column, in the order they are emptied: children before parents, so
 * no foreign-key cascade fans out beyond one statement's rows. Contacts go before their emails,
 * phones and tags (the cascade takes those few rows with each contact, and the search index's
 * triggers then have no contact to re-index). Deals go first, taking their contacts, tags and history
 * with them, before the stages and pipelines their foreign keys (without ON DELETE) point at, and
 * before companies (whose deletion would set each deal's company_id). The report aggregates go before the
 * records they count, so the records' delete triggers (migration 0020) find nothing left to lower. The
 * trash's snapshot rows go before its items, so no item's delete cascades over many rows.
 * test/closure checks that this list names every table of the schema that has a tenant_id column.
 */
export const TENANT_TABLES = [
  "sessions",
  "usage_events",
  "usage_daily",
  "notifications",
  "task_reminders",
  "trash_rows",
  "trash_items",
  "saved_view_defaults",
  "saved_views",
  "report_open_deals",
  "report_deal_outcomes",
  "report_stage_days",
  "report_activity_days",
  "report_contact_days",
  "deals",
  "deal_contacts",
  "deal_tags",
  "deal_stage_history",
  "deal_stage_totals",
  "pipeline_stages",
  "pipelines",
  "lost_reasons",
  "contacts",
  "contact_emails",
  "contact_phones",
  "contact_tags",
  "companies",
  "company_tags",
  "notes",
  "interactions",
  "activities",
  "tasks",
  "custom_field_values",
  "custom_fields",
  "tags",
  "recent_views",
  "import_records",
  "import_chunks",
  "import_jobs",
  "bulk_jobs",
  "api_idempotency",
  "api_keys",
  "data_exports",
  "suppressions",
  "invitations",
  "support_grants",
  "tenant_counters",
  "email_outbox",
  "webhook_deliveries",
  "webhook_events",
  "webhook_endpoints",
  "stripe_events",
  "tenant_billing",
  "audit_log",
  "shard_moves",
  "workspace_shards",
  "calendar_feeds",
] as const;

/** R2 prefixes that hold a tenant's files: import uploads, chunks and error files; export archives. */
export const TENANT_PREFIXES = (tenantId: string) => [`imports/${tenantId}/`, `exports/${tenantId}/`];

type StepName = `table:${(typeof TENANT_TABLES)[number]}` | `r2:${number}` | "users" | "memberships" | "finish";

/** The steps, in order; tenants.erase_step is an index into this list. */
export const ERASURE_STEPS: readonly StepName[] = [
  ...TENANT_TABLES.map((t) => `table:${t}` as const),
  "r2:0",
  "r2:1",
  "users",
  "memberships",
  "finish",
];

/**
 * Where a workspace's rows are: the control database (its tenants row, members, sessions, billing: the tables
 * CONTROL_TABLES names) and the databases that may hold its records — the one the directory names, and both
 * ends of a move not finished (src/services/shards/workspace-db.ts). On DB alone, `records` is `[control]`.
 */
export interface ErasureTarget {
  tenantId: string;
  control: Database;
  records: readonly Database[];
}

/** What one run of erasures works with, besides the workspace's handle. */
export interface ErasureContext {
  files: R2Bucket;
  now: number;
  /** Rows per DELETE. */
  chunk: number;
  ledgerYears: number;
  budget: Budget;
}

export interface ErasureProgress {
  tenantId: string;
  done: boolean;
  rows: number;
  objects: number;
  users: number;
  statements: number;
}
