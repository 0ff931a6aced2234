/**
 * Every /app route with the least role it needs. The test fails when a route exists that is not in
 * this table, so a new route cannot ship without deciding who may use it; the routes outside /app
 * are in public-routes.security.test.ts, so together they name every route of the app.
 */
import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../src/db/schema";
import { send } from "../helpers/http";
import { APP_ROUTES, urlOf } from "../helpers/app-routes";
import { isAppPath, registeredRoutes, tableRoutes } from "../helpers/route-table";
import { memberOf, newTenant } from "../helpers/tenants";

describe("route × role table", () => {
  it("lists every /app route the app has, and nothing else", () => {
    expect(registeredRoutes(isAppPath)).toEqual(tableRoutes(APP_ROUTES));
  });

  it("sends anonymous visitors of every /app route to the login page", async () => {
    for (const r of APP_ROUTES) {
      const res = await send(urlOf(r), { method: r.method, form: r.form });
      expect(res.status, `${r.method} ${r.path}`).toBe(303);
      expect(res.headers.get("Location")).toMatch(/^\/login\?next=/);
    }
  });

  it("lets each role through exactly the routes its rank allows", async () => {
    const owner = await newTenant("Roles Co");
    const cookies: Record<Role, string> = { owner: owner.cookie } as Record<Role, string>;
    for (const role of ["viewer", "member", "admin"] as const)
      cookies[role] = (await memberOf(owner.tenantId, role)).cookie;

    for (const r of APP_ROUTES) {
      for (const role of ROLES) {
        const res = await send(urlOf(r), { method: r.method, form: r.form, cookie: cookies[role] });
        const allowed = ROLES.indexOf(role) >= ROLES.indexOf(r.least);
        const label = `${r.method} ${r.path} as ${role}`;
        if (allowed) {
          expect(res.status, label).not.toBe(403);
          expect(res.status, label).toBeLessThan(500);
          expect(res.headers.get("Location") ?? "", label).not.toMatch(/^\/login/);
        } else {
          expect(res.status, label).toBe(403);
        }
      }
    }
    // Every route as every role, one after another: minutes' worth of requests on a loaded machine.
  }, 90_000);
});
