/**
 * Tenant tables that stay on the control database with users and memberships, each because something
 * reads it before any workspace (so any shard) is known, or across workspaces. A module of its own so the
 * erasure, whose table list tables.ts derives from, can route by it without an import cycle.
 */
export const CONTROL_TABLES: Record<string, string> = {
  sessions: "every request checks its session before it knows the workspace",
  invitations: "an invitee arrives with a token, before any workspace is known",
  api_keys: "an API request arrives with only its key, before any workspace is known",
  tenant_billing: "Stripe's webhooks arrive with a customer id, before any workspace is known",
  stripe_events: "Stripe's webhooks are deduplicated before any workspace is known",
  support_grants: "the staff console lists grants across workspaces",
  usage_events: "the usage rollup and the staff console work across workspaces",
  usage_daily: "the usage rollup and the staff console work across workspaces",
  email_outbox: "the mailer's every-minute sweep covers every workspace's mail in one query",
  audit_log: "sign-ins and account changes are written where sessions are; append-only by trigger",
  workspace_shards: "the directory itself",
  calendar_feeds: "a calendar app arrives with only its feed's secret, before any workspace is known",
  shard_moves: "the moves' own bookkeeping, read by the watchdog",
};
