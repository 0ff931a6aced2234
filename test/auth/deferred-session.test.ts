/**
 * Which routes read the session in their own D1 batch: exactly those whose first handler is
 * deferSessionCheck. Their neighbours (a route matched alongside, like /new beside /:id) check the
 * session as usual, even when the browser sends the workspace cookie.
 */
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { deferSessionCheck } from "../../src/middleware/session";
import { cookieHeader, send } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { newTenant } from "../helpers/tenants";

describe("deferSessionCheck", () => {
  it("starts exactly the contacts list, a contact's page, a company's page, the deal board, the deal list, search and my tasks", () => {
    const firstHandler = new Map<string, unknown>();
    for (const r of app.routes) {
      const key = `${r.method} ${r.path}`;
      if (r.method !== "ALL" && !firstHandler.has(key)) firstHandler.set(key, r.handler);
    }
    const deferring = [...firstHandler].filter(([, handler]) => handler === deferSessionCheck).map(([key]) => key);
    expect(deferring.sort()).toEqual([
      "GET /app",
      "GET /app/companies/:id",
      "GET /app/contacts",
      "GET /app/contacts/:id",
      "GET /app/deals",
      "GET /app/deals/list",
      "GET /app/search",
      "GET /app/tasks",
    ]);
    expect(app.routes.filter((r) => r.handler === deferSessionCheck)).toHaveLength(8);
  });

  it("leaves the routes matched beside them to the usual session check", async () => {
    const owner = await newTenant("Neighbours Co");
    const cookie = cookieHeader(await send("/app", { cookie: owner.cookie }), owner.cookie);
    expect(cookie).toContain("__Host-tenant=");
    for (const path of ["/app/contacts/new", "/app/companies/new", "/app/companies"]) {
      const counting = countingDb();
      const res = await send(path, { cookie, env: { DB: counting.binding } });
      expect(res.status, path).toBe(200);
      expect(counting.roundTrips.count, path).toBeGreaterThan(1);
    }
    // A HEAD is answered by the GET route but never deferred: the session is checked before it.
    const head = await send("/app/contacts", { method: "HEAD", cookie });
    expect(head.status).toBe(200);
  });
});
