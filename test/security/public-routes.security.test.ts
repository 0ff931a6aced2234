/**
 * Every route outside /app, with who may use it. Together with the /app table of
 * routes.security.test.ts this names every route the app has: a new route fails here until its access
 * is decided. Each kind of access is then tried as a stranger would: public pages answer anyone, a
 * made-up emailed token finds nothing, the operator API wants its bearer token, the Stripe webhook
 * wants a signature, development tools do not exist in production.
 */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { isAppPath, registeredRoutes, tableRoutes } from "../helpers/route-table";
import { STAFF_ROUTES } from "../staff/route-table";

type Access =
  /** Anyone, signed in or not. */
  | "public"
  /** Only with the single-use token of an emailed link (in the path). */
  | "emailed-token"
  /** Only with a long-lived secret the user was shown once (in the path): their calendar feed. */
  | "secret-link"
  /** A signed-in user acting on their own session or account. */
  | "signed-in"
  /** The operator API: a bearer token (OPS_TOKEN). */
  | "operator"
  /** Stripe, proving itself with a signature over the body. */
  | "stripe-signature"
  /** Development tools: answer only outside production with DEV_MAIL or BENCH set. */
  | "development"
  /** The JSON API: an API key as a Bearer token, never a cookie (test/api/). */
  | "api-key"
  /** The staff console: a signed-in staff member (__Host-staff); each route's least staff role is in test/staff/routes.test.ts. */
  | "staff";

const OTHER_ROUTES: { method: string; path: string; access: Access }[] = [
  { method: "GET", path: "/", access: "public" },
  { method: "GET", path: "/healthz", access: "public" },
  { method: "GET", path: "/privacy", access: "public" },
  { method: "GET", path: "/terms", access: "public" },
  { method: "GET", path: "/cookies", access: "public" },
  { method: "GET", path: "/contact", access: "public" },
  { method: "POST", path: "/contact", access: "public" },
  { method: "POST", path: "/consent", access: "public" },
  { method: "POST", path: "/preferences/theme", access: "public" },
  { method: "GET", path: "/signup", access: "public" },
  { method: "POST", path: "/signup", access: "public" },
  { method: "GET", path: "/login", access: "public" },
  { method: "POST", path: "/login", access: "public" },
  { method: "POST", path: "/logout", access: "public" },
  { method: "GET", path: "/password/forgot", access: "public" },
  { method: "POST", path: "/password/forgot", access: "public" },
  { method: "GET", path: "/password/reset/:token", access: "emailed-token" },
  { method: "POST", path: "/password/reset/:token", access: "emailed-token" },
  { method: "GET", path: "/verify-email/:token", access: "emailed-token" },
  { method: "POST", path: "/verify-email/:token", access: "emailed-token" },
  { method: "POST", path: "/verify-email/resend", access: "signed-in" },
  { method: "GET", path: "/invite/:token", access: "emailed-token" },
  { method: "POST", path: "/invite/:token", access: "emailed-token" },
  { method: "GET", path: "/unsubscribe/:token", access: "emailed-token" },
  { method: "POST", path: "/unsubscribe/:token", access: "emailed-token" },
  { method: "GET", path: "/reopen/:tenantId/:token", access: "emailed-token" },
  { method: "POST", path: "/reopen/:tenantId/:token", access: "emailed-token" },
  { method: "GET", path: "/cal/:token", access: "secret-link" },
  { method: "POST", path: "/webhooks/stripe", access: "stripe-signature" },
  { method: "GET", path: "/ops/mail/failed", access: "operator" },
  { method: "POST", path: "/ops/accounts/erase", access: "operator" },
  { method: "POST", path: "/ops/accounts/export", access: "operator" },
  { method: "POST", path: "/ops/accounts/correct-email", access: "operator" },
  { method: "POST", path: "/ops/accounts/erase-contact-messages", access: "operator" },
  { method: "POST", path: "/ops/accounts/email-preferences", access: "operator" },
  { method: "GET", path: "/dev/mail", access: "development" },
  { method: "GET", path: "/dev/mail/:id/html", access: "development" },
  { method: "POST", path: "/dev/cron", access: "development" },
  { method: "GET", path: "/bench/floor", access: "development" },
  { method: "POST", path: "/ops/staff", access: "operator" },
  { method: "GET", path: "/staff/login", access: "public" },
  { method: "POST", path: "/staff/login", access: "public" },
  { method: "POST", path: "/staff/logout", access: "public" },
  { method: "GET", path: "/staff/enrol/:token", access: "emailed-token" },
  { method: "POST", path: "/staff/enrol/:token", access: "emailed-token" },
  { method: "GET", path: "/api/v1/openapi.json", access: "public" },
  { method: "GET", path: "/api/v1/docs", access: "public" },
  { method: "GET", path: "/api/v1/contacts", access: "api-key" },
  { method: "POST", path: "/api/v1/contacts", access: "api-key" },
  { method: "GET", path: "/api/v1/contacts/:id", access: "api-key" },
  { method: "PATCH", path: "/api/v1/contacts/:id", access: "api-key" },
  { method: "DELETE", path: "/api/v1/contacts/:id", access: "api-key" },
  { method: "POST", path: "/api/v1/contacts/:id/merge", access: "api-key" },
  { method: "POST", path: "/api/v1/companies/:id/merge", access: "api-key" },
  { method: "GET", path: "/api/v1/companies", access: "api-key" },
  { method: "POST", path: "/api/v1/companies", access: "api-key" },
  { method: "GET", path: "/api/v1/companies/:id", access: "api-key" },
  { method: "PATCH", path: "/api/v1/companies/:id", access: "api-key" },
  { method: "DELETE", path: "/api/v1/companies/:id", access: "api-key" },
  { method: "GET", path: "/api/v1/tags", access: "api-key" },
  { method: "POST", path: "/api/v1/tags", access: "api-key" },
  { method: "GET", path: "/api/v1/tags/:id", access: "api-key" },
  { method: "PATCH", path: "/api/v1/tags/:id", access: "api-key" },
  { method: "DELETE", path: "/api/v1/tags/:id", access: "api-key" },
  { method: "POST", path: "/api/v1/contacts/bulk", access: "api-key" },
  { method: "POST", path: "/api/v1/companies/bulk", access: "api-key" },
  { method: "GET", path: "/api/v1/deals", access: "api-key" },
  { method: "POST", path: "/api/v1/deals", access: "api-key" },
  { method: "GET", path: "/api/v1/deals/:id", access: "api-key" },
  { method: "PATCH", path: "/api/v1/deals/:id", access: "api-key" },
  { method: "DELETE", path: "/api/v1/deals/:id", access: "api-key" },
  { method: "GET", path: "/api/v1/pipelines", access: "api-key" },
  { method: "GET", path: "/api/v1/pipelines/:id", access: "api-key" },
  { method: "POST", path: "/api/v1/pipelines", access: "api-key" },
  { method: "PATCH", path: "/api/v1/pipelines/:id", access: "api-key" },
  { method: "DELETE", path: "/api/v1/pipelines/:id", access: "api-key" },
  { method: "POST", path: "/api/v1/pipelines/:id/stages", access: "api-key" },
  { method: "GET", path: "/api/v1/stages/:id", access: "api-key" },
  { method: "PATCH", path: "/api/v1/stages/:id", access: "api-key" },
  { method: "DELETE", path: "/api/v1/stages/:id", access: "api-key" },
  { method: "GET", path: "/api/v1/tasks", access: "api-key" },
  { method: "POST", path: "/api/v1/tasks", access: "api-key" },
  { method: "GET", path: "/api/v1/tasks/:id", access: "api-key" },
  { method: "PATCH", path: "/api/v1/tasks/:id", access: "api-key" },
  { method: "DELETE", path: "/api/v1/tasks/:id", access: "api-key" },
  { method: "GET", path: "/api/v1/notes", access: "api-key" },
  { method: "POST", path: "/api/v1/notes", access: "api-key" },
  { method: "GET", path: "/api/v1/notes/:id", access: "api-key" },
  { method: "PATCH", path: "/api/v1/notes/:id", access: "api-key" },
  { method: "DELETE", path: "/api/v1/notes/:id", access: "api-key" },
  { method: "GET", path: "/api/v1/custom_fields", access: "api-key" },
  { method: "POST", path: "/api/v1/custom_fields", access: "api-key" },
  { method: "GET", path: "/api/v1/custom_fields/:id", access: "api-key" },
  { method: "PATCH", path: "/api/v1/custom_fields/:id", access: "api-key" },
  { method: "DELETE", path: "/api/v1/custom_fields/:id", access: "api-key" },
  { method: "GET", path: "/api/v1/search", access: "api-key" },
  { method: "GET", path: "/api/v1/activities", access: "api-key" },
  { method: "POST", path: "/api/v1/activities", access: "api-key" },
  { method: "GET", path: "/api/v1/activities/:id", access: "api-key" },
  { method: "PATCH", path: "/api/v1/activities/:id", access: "api-key" },
  { method: "DELETE", path: "/api/v1/activities/:id", access: "api-key" },
  ...STAFF_ROUTES.map((r) => ({ method: r.method, path: r.path, access: "staff" as const })),
];

/** The route's path with its parameters filled by values nothing has (a token of the right length). */
const sampleOf = (r: (typeof OTHER_ROUTES)[number]) =>
  r.path
    .replace(":tenantId", "nosuchtenant")
    .replace(":token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    .replace(":id", "nosuchmail");

describe("routes outside /app", () => {
  it("are all in the table, and the table names no route the app lacks", () => {
    expect(registeredRoutes((path) => !isAppPath(path))).toEqual(tableRoutes(OTHER_ROUTES));
  });

  it("answer strangers as their access says: public pages, no token, no bearer, no signature, no dev tools", async () => {
    for (const r of OTHER_ROUTES) {
      const label = `${r.method} ${r.path}`;
      const res = await send(sampleOf(r), { method: r.method, form: r.method === "POST" ? {} : undefined });
      expect(res.status, label).toBeLessThan(500);
      if (r.access === "emailed-token" || r.access === "secret-link") expect(res.status, label).toBe(404);
      if (r.access === "operator" || r.access === "api-key") expect(res.status, label).toBe(401);
      if (r.access === "stripe-signature") expect(res.status, label).toBe(400);
      if (r.access === "development") {
        const production = await send(sampleOf(r), {
          method: r.method,
          form: r.method === "POST" ? {} : undefined,
          env: { ENVIRONMENT: "production", DEV_MAIL: "1", BENCH: "1" },
        });
        expect(production.status, `${label} in production`).toBe(404);
      }
      if (r.access === "signed-in") expect(res.headers.get("Location") ?? "", label).toMatch(/^\/login/);
      if (r.access === "staff" && r.method === "GET")
        expect(res.headers.get("Location") ?? "", label).toMatch(/^\/staff\/login/);
      if (r.access === "staff" && r.method !== "GET") expect(res.status, label).toBe(401);
      if (r.access === "public" && r.method === "GET") expect(res.status, label).toBe(200);
    }
  });
});
