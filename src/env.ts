import type { Database } from "./db/client";
import type { BillingState, Role, Tenant, User } from "./db/schema";
import type { JobMessage } from "./jobs";
import type { StaffAuth } from "./auth/staff-session";
import type { FeatureEvent } from "./services/usage/definitions";
import type { ApiCaller } from "./services/api/auth";
import type { DatabaseName } from "./services/shards/databases";

/** Bindings from wrangler.toml, `.dev.vars` and secrets. Every one is listed in `.dev.vars.example`. */
export interface Bindings {
  DB: D1Database;
  /**
   * Shard databases (wrangler.toml; src/services/shards/). DB stays the control database. Optional: the
   * self-hosted Node server has one libSQL database and no shards.
   */
  SHARD_0?: D1Database;
  SHARD_1?: D1Database;
  SHARD_2?: D1Database;
  /** R2: import uploads, their prepared chunks and error files, data-export archives. */
  FILES: R2Bucket;
  /**
   * Analytics Engine dataset of first-party usage points (src/services/usage/sink.ts), used in production;
   * development and tests write to D1 instead.
   */
  USAGE?: AnalyticsEngineDataset;
  /**
   * "analytics-engine" writes usage to USAGE outside production too (`npm run bench` sets it, to measure
   * production's write path; locally the binding drops the points). Unset: D1 outside production.
   */
  USAGE_SINK?: string;
  /**
   * Reading the USAGE dataset back for the daily rollup (src/services/usage/ae-source.ts), in production: the
   * Cloudflare account id, and the dataset's name as bound above (wrangler.toml [vars]).
   */
  USAGE_SQL_ACCOUNT_ID?: string;
  USAGE_DATASET?: string;
  /** API token with only "Account Analytics Read", for Analytics Engine's SQL API. Secret. */
  USAGE_SQL_TOKEN?: string;
  /** The API up to /client/v4; default https://api.cloudflare.com/client/v4. Tests point it at a local fake. */
  USAGE_SQL_API_URL?: string;
  /** Queue of background job steps (src/jobs.ts). */
  JOBS: Queue<JobMessage>;
  /** Rows a workspace move's step reads per table page (default 500, src/services/shards/move.ts). Tests lower it. */
  SHARD_MOVE_PAGE_ROWS?: string;
  /** Seconds a move's freeze waits before its catch-up (default 30, src/services/shards/phases.ts); the browser tests shorten it. */
  SHARD_FREEZE_GRACE_S?: string;
  /** Databases new workspaces are placed on, comma-separated binding names (default DB): src/services/shards/new-workspace.ts. */
  PLACEMENT_TARGETS?: string;
  /** Steps one message of a move runs at most (default: as many as D1's query budget allows). Tests set 1. */
  SHARD_MOVE_STEPS?: string;
  /** Import chunks one queue step commits before handing over to the next message (default 25). Tests lower it. */
  IMPORT_STEP_CHUNKS?: string;
  /** Rows per import chunk (default and most 500, within D1's limits). Tests lower it to make many chunks of few rows. */
  IMPORT_CHUNK_ROWS?: string;
  APP_NAME?: string;
  /** Sentry DSN; when unset, errors are only logged. */
  SENTRY_DSN?: string;
  /** "production" (also when unset: wrangler.toml sets it), "development" or "test"; tags Sentry events. Development switches work only outside production. */
  ENVIRONMENT?: string;
  /** Sign-ups allowed per IP per hour (default 10). The browser tests, all from 127.0.0.1, raise it. */
  SIGNUP_LIMIT_PER_HOUR?: string;
  /** "1" enables /bench/floor, the benchmark's bare route (set only by `npm run bench`); never in production. */
  BENCH?: string;
  /** "1" mounts the development tools, /dev/mail and POST /dev/cron (set by `npm run dev`); never in production. */
  DEV_MAIL?: string;
  /** "off" leaves out the one JSON line per request (set by the test suites); never in production, which always logs. */
  REQUEST_LOG?: string;
  /**
   * The fetch webhooks are sent with, when the platform needs its own: a self-hosted server's refuses hosts
   * that resolve to internal addresses (src/platform/node/guarded-fetch.ts). Unset on Cloudflare: the global fetch.
   */
  WEBHOOK_FETCH?: typeof fetch;
  /** The public origin for links in emails, e.g. https://app.customertrackr.com. Defaults to the request's. */
  APP_URL?: string;
  /** Cloudflare Email Service binding (`[[send_email]]` in wrangler.toml). */
  EMAIL?: SendEmail;
  /** Sender address of every email. */
  MAIL_FROM?: string;
  /** "cloudflare" (the EMAIL binding, default) or "http" (an HTTP API with Resend's request shape). */
  MAIL_PROVIDER?: string;
  /** With MAIL_PROVIDER=http: the endpoint that takes {from,to,subject,text,html,headers} as JSON. */
  MAIL_HTTP_URL?: string;
  /** With MAIL_PROVIDER=http: its bearer token. Secret. */
  MAIL_HTTP_TOKEN?: string;
  /** Bearer token for /ops/* operator endpoints. Secret; /ops answers 401 to everything without it. */
  OPS_TOKEN?: string;
  /** Stripe secret key (sk_test_... / sk_live_...). Secret. Unset: billing is off and every tenant is on Free. */
  STRIPE_SECRET_KEY?: string;
  /** The signing secret of the /webhooks/stripe endpoint (whsec_...). Secret. */
  STRIPE_WEBHOOK_SECRET?: string;
  /** Stripe price ids of the Team plan, monthly and yearly. */
  STRIPE_PRICE_MONTHLY?: string;
  STRIPE_PRICE_YEARLY?: string;
  /** Only for tests: where the local fake of Stripe's API listens (host, port, "http"). */
  STRIPE_API_HOST?: string;
  STRIPE_API_PORT?: string;
  STRIPE_API_PROTOCOL?: string;
  /** Limits of the Free plan (also applied to past_due tenants) and the Team trial length. */
  FREE_MAX_SEATS?: string;
  FREE_MAX_CONTACTS?: string;
  TRIAL_DAYS?: string;
  /** How the pricing section shows Team's prices, e.g. "$29". Display only; Stripe's price decides. */
  TEAM_PRICE_MONTHLY_DISPLAY?: string;
  TEAM_PRICE_YEARLY_DISPLAY?: string;
  /**
   * Google Analytics 4 measurement id ("G-XXXXXXX"). Unset or malformed: analytics never loads and no
   * consent banner is shown. When set, GA loads only on public pages, only for signed-out visitors
   * who accepted analytics cookies (src/lib/analytics-consent.ts).
   */
  GA_MEASUREMENT_ID?: string;
  /** Where the GA loader (gtag.js) comes from; default https://www.googletagmanager.com. The browser test points it at a local stub. */
  GA_SCRIPT_ORIGIN?: string;
  /** The address /contact messages are sent to. Unset: messages are stored but not mailed to anyone but their sender. */
  SUPPORT_EMAIL?: string;
  /** Secret key for hashing IP addresses (HMAC-SHA256) kept with support messages. Unset: no IP hash is kept. */
  IP_HASH_KEY?: string;
  /**
   * Secret key of the suppression list's HMAC-SHA256 of erased people's email addresses
   * (src/services/privacy/suppression.ts). Unset: contacts can still be erased, but not suppressed. Never
   * change it once used: entries hashed under an old key stop matching, and imports stop skipping them.
   */
  SUPPRESSION_KEY?: string;
  /**
   * Secret key signing the one-click unsubscribe links of non-essential mail (HMAC-SHA256,
   * src/services/account/email-preferences.ts). Unset: no non-essential mail (digest, news) is sent at all,
   * since it could not carry a working unsubscribe link. Changing it retires every link already sent.
   */
  UNSUBSCRIBE_KEY?: string;
  /**
   * Secret key signing device cookies (HMAC-SHA256, src/auth/device-cookie.ts): a browser that has
   * signed in to an account is not slowed down when others guess that account's password. Unset: no
   * device cookies, so during such an attack the owner waits their turn like everyone else. Changing it
   * makes every browser unrecognised until its next sign-in.
   */
  DEVICE_COOKIE_KEY?: string;
  /**
   * Retention (src/lib/retention-periods.ts; each defaults to RETENTION in src/lib/legal.ts, which the
   * privacy page states; the page renders the configured values). Whole numbers.
   * CLOSURE_GRACE_DAYS: days a closed workspace can be reopened before it is erased (default 30; 0 erases at the next run).
   */
  CLOSURE_GRACE_DAYS?: string;
  /** Years the closed-workspace billing ledger is kept after erasure (default 7). */
  RETENTION_BILLING_LEDGER_YEARS?: string;
  /** Days audit entries are kept (default 365). */
  RETENTION_AUDIT_LOG_DAYS?: string;
  /** Days the subject and bodies of sent or failed mail are kept in the outbox (default 30). */
  RETENTION_MAIL_BODY_DAYS?: string;
  /** Days import uploads, their chunks and error files are kept in R2 (default 30). */
  RETENTION_IMPORT_FILE_DAYS?: string;
  /** Days an import's record of what it changed (the values before, for undo) is kept; undo ends then (default 30). */
  RETENTION_IMPORT_UNDO_DAYS?: string;
  /** Days /contact messages are kept (default 365). */
  RETENTION_SUPPORT_MESSAGE_DAYS?: string;
  /** Days analytics consent records are kept (default 730). */
  RETENTION_CONSENT_RECORD_DAYS?: string;
  /** Rows one retention statement deletes at most (default 500); the job runs a bounded number of statements per minute. */
  RETENTION_CHUNK_ROWS?: string;
  /** Statements the reminder sweep makes per cron run at most (default 150, 50 reminders per 5 statements). */
  REMINDER_STATEMENTS?: string;
}

/** What an authenticated request knows about its user. */
export interface AuthContext {
  sessionId: string;
  /**
   * timeZone: the IANA zone the user reads times in; locale: the BCP 47 locale they read and type
   * numbers and dates in (each their own, else the workspace's).
   */
  user: Pick<User, "id" | "email" | "emailVerifiedAt" | "termsAcceptedAt" | "privacySeenVersion"> & {
    timeZone: string;
    locale: string;
  };
  /** closedAt/eraseAfter are set while the workspace is closed (src/services/privacy/closure.ts): /app then shows only the closed page. */
  tenant: Pick<Tenant, "id" | "name" | "closedAt" | "eraseAfter"> & {
    billingState: BillingState;
    /** True while the workspace is moved to another database: its writes answer 503 (src/services/shards/). */
    moving?: boolean;
    /** The database holding the workspace's records (the directory's entry; DB without one). */
    shard?: DatabaseName;
  };
  role: Role;
  /** Set when a staff member views the workspace through a support grant (src/routes/staff/support-view.ts). */
  support?: { staffId: string; staffName: string; grantId: string; access: "read" | "write"; expiresAt: number };
}

export interface Variables {
  requestId: string;
  /** The control database (users, sessions, memberships, billing, the directory): src/middleware/db.ts. */
  db: Database;
  /** The signed-in workspace's records database when a shard holds them (tenantOf in src/routes/context.ts). */
  recordsDb?: Database;
  auth: AuthContext | null;
  /** The signed-in staff member on /staff pages (src/middleware/staff.tsx); never set elsewhere. */
  staff?: StaffAuth | null;
  /** Set by the session middleware for pages that check the session in their own batch (withSessionBatch). */
  deferredSession?: { token: string; tenantHint: string; shardHint: DatabaseName };
  /** Feature events the route tracked (trackFeature, src/middleware/usage.ts), written after the response. */
  usageFeatures?: FeatureEvent[];
  /** The API key of an /api/v1 request (src/routes/api/guard.ts); never set elsewhere. */
  apiCaller?: ApiCaller;
  /** Set by the CSP middleware; script tags carry it. */
  secureHeadersNonce?: string;
  theme: Theme;
  /** Replaces the page CSP for a response that is not one of our pages. */
  cspOverride?: string;
  /** Set by render() on a page that loads Google Analytics: the loader's origin, for the CSP. */
  cspAnalyticsOrigin?: string;
}

export type Theme = "light" | "dark" | "system";

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
