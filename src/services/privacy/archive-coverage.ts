/**
 * What "Download my data" (archive-contents.ts) holds of each table: the archive file that carries
 * its rows, or why it is left out. test/privacy-data/portability.test.ts derives the tables from the
 * schema (every table with a tenant_id or a user_id), so a new kind of record fails there until it is
 * placed here; and it checks that every file named here is in the archive.
 */

export type Coverage = { file: string } | { leftOut: string };

const CONTACTS = { file: "workspace/contacts.json" };
const COMPANIES = { file: "workspace/companies.json" };
/** Each deal carries its contacts with their roles, tags and stage history; the head, the pipelines and lost reasons. */
const DEALS = { file: "workspace/deals.json" };

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
  // Whether the feed is on and since when; never secret_hash (src/services/calendar/feed-secrets.ts).
  calendar_feeds: { file: "account/calendar-feed.json" },
  notifications: { file: "account/reminders.json" },
  task_reminders: {
    leftOut:
      "which task reminders were sent and when, so each goes once: the reminders themselves are in " +
      "account/reminders.json",
  },
  contacts: CONTACTS,
  contact_emails: CONTACTS,
  contact_phones: CONTACTS,
  contact_tags: CONTACTS,
  custom_fields: CONTACTS,
  custom_field_values: CONTACTS,
  tags: CONTACTS,
  companies: COMPANIES,
  company_tags: COMPANIES,
  deals: DEALS,
  deal_contacts: DEALS,
  deal_tags: DEALS,
  deal_stage_history: DEALS,
  pipelines: DEALS,
  pipeline_stages: DEALS,
  lost_reasons: DEALS,
  deal_stage_totals: { leftOut: "open deals' count and amount per stage: sums of the deals, which are in the file" },
  notes: { file: "workspace/notes.json" },
  interactions: { file: "workspace/interactions.json" },
  activities: { file: "workspace/activity.json" },
  tasks: { file: "workspace/tasks.json" },
  trash_items: { file: "workspace/trash.json" },
  trash_rows: { file: "workspace/trash.json" },
  saved_views: { leftOut: "list layouts (filters, sort, columns) people saved: settings of the app, no records" },
  saved_view_defaults: { leftOut: "which saved view each person opens first: a setting of the app" },
  auth_tokens: { leftOut: "single-use links we emailed (their hashes): secrets, and gone when they expire" },
  data_exports: { leftOut: "the list of these archives themselves" },
  import_jobs: {
    leftOut: "bookkeeping of imports (file name, counts, progress); the records they made are in the workspace files",
  },
  // Names and dates only: never a secret or its hash (src/services/api/keys.ts).
  api_keys: { file: "workspace/api-keys.json" },
  api_idempotency: {
    leftOut: "the API's answers kept 24 h to replay a retried request: copies of records, which are in the files",
  },
  webhook_endpoints: {
    leftOut: "where the workspace's webhooks go (URLs, signing secrets): settings of its integrations",
  },
  webhook_events: {
    leftOut: "copies of record changes sent to the workspace's webhooks, kept 30 days; the records are in the files",
  },
  webhook_deliveries: { leftOut: "when each webhook was sent and what the receiver answered: delivery bookkeeping" },
  bulk_jobs: { leftOut: "bookkeeping of bulk actions (filters, progress); the records they changed are in the files" },
  import_chunks: { leftOut: "which parts of an import were written: numbers only" },
  import_records: {
    leftOut: "the values an import replaced, kept only for undo; the current values are in the workspace files",
  },
  invitations: {
    leftOut:
      "pending invitations of the team, shown in Settings → Team; " + "the people they name have rights of their own",
  },
  suppressions: {
    leftOut: "keyed hashes of erased people's addresses: meaningless outside this workspace, and not reversible",
  },
  tenant_counters: { leftOut: "record counts, derived from the records" },
  workspace_shards: {
    leftOut: "which of our databases holds the workspace: operations bookkeeping, no record of yours",
  },
  shard_moves: { leftOut: "the progress of moving the workspace between our databases: operations bookkeeping" },
  // The reports' aggregates (migration 0020): sums kept by triggers from rows that are in the files.
  report_open_deals: { leftOut: "open deals' count and amount per stage, close month and owner: sums of the deals" },
  report_deal_outcomes: {
    leftOut: "won and lost deals' count and amount per day, owner and reason: sums of the deals",
  },
  report_stage_days: { leftOut: "time deals spent in each stage, summed per day: from the deals' stage history" },
  report_activity_days: {
    leftOut: "calls, meetings, emails, notes and completed tasks counted per day and person: from those records",
  },
  report_contact_days: { leftOut: "contacts added per day, source and person: counts of the contacts" },
  tenant_billing: {
    leftOut: "the plan and Stripe's ids; invoices and payment details are in Stripe's Customer Portal",
  },
  stripe_events: { leftOut: "ids of Stripe events already applied: bookkeeping" },
  support_grants: {
    leftOut:
      "support access given, asked for and ended, listed in Settings → Support access; " +
      "every page support viewed under it is in the audit log file",
  },
  closed_tenant_ledger: {
    leftOut: "written only once a workspace is erased: its billing ledger, with no personal data",
  },
  usage_events: { file: "account/usage.json" },
  usage_daily: { file: "account/usage.json" },
  audit_erasures: { leftOut: "a flag row that lives only inside the batch erasing a user (migration 0011)" },
};
