/**
 * Page views and feature events as the policy describes them: the route pattern, never the URL, query or
 * record; full pages only; a feature event once per action; nothing for requests without a session.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv, AuthContext } from "../../src/env";
import { recordUsage } from "../../src/middleware/usage";
import { queryRows } from "../helpers/db";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createContact } from "../contacts/contact-helpers";
import { usageOf } from "./helpers";

describe("page views", () => {
  it("records the route pattern of a full page, never its id or query", async () => {
    const t = await newTenant("Usage Pattern Co");
    const id = await createContact(t.cookie, { first_name: "Ada", last_name: "Lovelace" });
    const before = (await usageOf(t.tenantId, "page")).length;
    const res = await send(`/app/contacts/${id}?tab=notes&secret=zebra`, { cookie: t.cookie });
    expect(res.status).toBe(200);
    const pages = (await usageOf(t.tenantId, "page")).slice(before);
    expect(pages.map((p) => p.name)).toEqual(["/app/contacts/:id"]);
    const stored = JSON.stringify(pages);
    for (const leak of [`/app/contacts/${id}`, "zebra", "tab=", "Lovelace"]) expect(stored).not.toContain(leak);
    expect(pages[0]).toMatchObject({ plan: "free", device: "desktop", seconds: 0 });
  });

  it("records the dashboard once, and a list page by its pattern", async () => {
    const t = await newTenant("Usage Dashboard Co");
    const before = (await usageOf(t.tenantId, "page")).length;
    await textOf("/app", { cookie: t.cookie });
    await textOf("/app/contacts?q=ada", { cookie: t.cookie });
    const names = (await usageOf(t.tenantId, "page")).slice(before).map((p) => p.name);
    expect(names).toEqual(["/app", "/app/contacts"]);
  });

  it("does not record htmx fragments, but does record boosted navigation", async () => {
    const t = await newTenant("Usage Fragment Co");
    const before = (await usageOf(t.tenantId, "page")).length;
    const fragment = await send("/app/contacts", { cookie: t.cookie, headers: { "HX-Request": "true" } });
    expect(fragment.status).toBe(200);
    expect((await usageOf(t.tenantId, "page")).length).toBe(before);
    await send("/app/contacts", { cookie: t.cookie, headers: { "HX-Request": "true", "HX-Boosted": "true" } });
    expect((await usageOf(t.tenantId, "page")).slice(before).map((p) => p.name)).toEqual(["/app/contacts"]);
  });

  it("takes the device class from the user agent and keeps no user agent", async () => {
    const t = await newTenant("Usage Device Co");
    const phone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
    const before = (await usageOf(t.tenantId, "page")).length;
    await send("/app/tasks", { cookie: t.cookie, headers: { "User-Agent": phone } });
    const [point] = (await usageOf(t.tenantId, "page")).slice(before);
    expect(point?.device).toBe("mobile");
    expect(JSON.stringify(point)).not.toContain("iPhone");
  });

  it("records a workspace's plan as Free, trial or Team, so starting a trial is not taken for paying", async () => {
    const t = await newTenant("Usage Trial Co");
    const plans: string[] = [];
    for (const state of ["trialing", "active", "past_due"]) {
      const now = Date.now();
      await env.DB.prepare(
        `INSERT INTO tenant_billing (tenant_id, state, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id) DO UPDATE SET state = excluded.state`,
      )
        .bind(t.tenantId, state, now, now)
        .run();
      const before = (await usageOf(t.tenantId, "page")).length;
      expect((await send("/app/tasks", { cookie: t.cookie })).status).toBe(200);
      plans.push(...(await usageOf(t.tenantId, "page")).slice(before).map((p) => p.plan));
    }
    expect(plans).toEqual(["trial", "team", "team"]);
  });

  it("records nothing for a request without a session, or a page that did not answer 200", async () => {
    const t = await newTenant("Usage Anonymous Co");
    const before = (await usageOf(t.tenantId)).length;
    expect((await send("/app/contacts")).status).toBe(303);
    expect((await send("/app/contacts/999999999", { cookie: t.cookie })).status).toBe(404);
    expect((await usageOf(t.tenantId)).length).toBe(before);
  });
});

describe("staff in the support view", () => {
  /** A tiny app with the recorder, whose auth is the given workspace's owner, marked as support or not. */
  async function viewAs(tenantId: string, userId: string, support: boolean) {
    const app = new Hono<AppEnv>();
    app.use(async (c, next) => {
      const auth = {
        sessionId: "s",
        user: { id: userId, email: "x@example.com", emailVerifiedAt: 1, termsAcceptedAt: 1, privacySeenVersion: null },
        tenant: { id: tenantId, name: "T", closedAt: null, eraseAfter: null, billingState: "free" },
        role: "owner",
        ...(support ? { support: { staffId: "staff-1" } } : {}),
      };
      c.set("auth", auth as unknown as AuthContext);
      await next();
    });
    app.use("/app/*", recordUsage);
    app.get("/app/contacts/:id", (c) => c.html("<p>a contact</p>"));
    const ctx = createExecutionContext();
    const res = await app.request("/app/contacts/7", {}, env, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
  }

  it("never counts a request whose auth is marked as support", async () => {
    const t = await newTenant("Usage Support Co");
    const [owner] = await queryRows<{ user_id: string }>(
      "SELECT user_id FROM memberships WHERE tenant_id = ?",
      t.tenantId,
    );
    const before = (await usageOf(t.tenantId, "page")).length;
    await viewAs(t.tenantId, owner!.user_id, true);
    expect((await usageOf(t.tenantId, "page")).length).toBe(before);
    await viewAs(t.tenantId, owner!.user_id, false);
    expect((await usageOf(t.tenantId, "page")).slice(before).map((p) => p.name)).toEqual(["/app/contacts/:id"]);
  });
});
