import type { Database } from "./db/client";
import type { Role, Tenant, User } from "./db/schema";

/** Bindings from wrangler.toml, `.dev.vars` and secrets. Every one is listed in `.dev.vars.example`. */
export interface Bindings {
  DB: D1Database;
  APP_NAME?: string;
  /** Sentry DSN; when unset, errors are only logged. */
  SENTRY_DSN?: string;
  /** "production", "development" or "test"; tags Sentry events. */
  ENVIRONMENT?: string;
  /** "1" mounts /dev/mail (set by `npm run dev`). */
  DEV_MAIL?: string;
}

/** What an authenticated request knows about its user. */
export interface AuthContext {
  sessionId: string;
  user: Pick<User, "id" | "email" | "emailVerifiedAt">;
  tenant: Pick<Tenant, "id" | "name">;
  role: Role;
}

export interface Variables {
  requestId: string;
  db: Database;
  auth: AuthContext | null;
  /** Set by the CSP middleware; script tags carry it. */
  secureHeadersNonce?: string;
  theme: Theme;
}

export type Theme = "light" | "dark" | "system";

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
