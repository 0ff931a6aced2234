/** A user's usage data is theirs: deleting their account deletes it, raw and aggregated, and no one else's. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { rollUpDay } from "../../src/services/usage/rollup";
import { countRows } from "../helpers/db";
import { GOOD_PASSWORD, send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";

const idOf = async (email: string) =>
  (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>())!.id;

describe("usage data and account deletion", () => {
  it("deleting an account deletes its usage rows in every workspace, and keeps the others'", async () => {
    const owner = await newTenant("Usage Deletion Co");
    const leaver = await memberOf(owner.tenantId, "member");
    const leaverId = await idOf(leaver.email);
    const ownerId = await idOf(owner.email);
    // memberOf's own workspace is the leaver's: hand it over, as an owner must before leaving.
    await env.DB.prepare("UPDATE memberships SET role = 'admin' WHERE user_id = ? AND tenant_id <> ?")
      .bind(leaverId, owner.tenantId)
      .run();
    for (const who of [leaver, owner]) expect((await send("/app/tasks", { cookie: who.cookie })).status).toBe(200);
    await rollUpDay(createDb(env.DB), new Date().toISOString().slice(0, 10), Date.now());
    expect(await countRows("usage_daily", "user_id = ?", leaverId)).toBeGreaterThan(0);

    const res = await send("/app/settings/profile/delete", {
      cookie: leaver.cookie,
      form: { delete_password: GOOD_PASSWORD, confirm_delete: "on" },
    });
    expect(res.status).toBe(303);
    expect(await countRows("usage_events", "user_id = ?", leaverId)).toBe(0);
    expect(await countRows("usage_daily", "user_id = ?", leaverId)).toBe(0);
    expect(await countRows("usage_events", "user_id = ?", ownerId)).toBeGreaterThan(0);
    expect(await countRows("usage_daily", "user_id = ?", ownerId)).toBeGreaterThan(0);
  });
});
