/**
 * A workspace's answers to support (decline, approve, end) and the cron's "access ended" notice each claim the grant
 * with a conditional update; a claim that matches nothing (a wrong id, a lost race, an overlapping cron run) writes
 * no audit entry and sends no mail, so the owner's trail and inbox show only what happened.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { sendEndedNotices } from "../../src/services/support-access/ended-notices";
import { send } from "../helpers/http";
import { mailTo } from "../helpers/mail";
import { runCron } from "../helpers/cron";
import { newTenant } from "../helpers/tenants";
import { giveAccess, newStaff } from "./helpers";

const entries = async (tenantId: string, action: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND action = ?")
    .bind(tenantId, action)
    .first<number>("n"))!;

const mailsOf = async (email: string, kind: string) => (await mailTo(email)).filter((m) => m.kind === kind).length;

/** A staff member's pending request to the owner's workspace; its id. */
async function pendingRequest(tenantId: string) {
  const alex = await newStaff("support", "Alex");
  const ask = await send(`/staff/workspaces/${tenantId}/requests`, {
    cookie: alex.cookie,
    form: { access: "read", duration: "1h", ticket: "T-1", message: "May I look?" },
  });
  expect(ask.status).toBe(200);
  return (await env.DB.prepare("SELECT id FROM support_grants WHERE tenant_id = ? AND kind = 'request'")
    .bind(tenantId)
    .first<string>("id"))!;
}

describe("support grants claimed once", () => {
  it("declining a live grant's id, or any id, answers 404 and writes nothing to the workspace's trail", async () => {
    const owner = await newTenant("Decline Nothing Ltd");
    const grantId = await giveAccess(owner.cookie, "read");
    for (const id of [grantId, "no-such-request"]) {
      const res = await send(`/app/settings/support/${id}/decline`, { cookie: owner.cookie, form: {} });
      expect(res.status, id).toBe(404);
    }
    expect(await entries(owner.tenantId, "support.request_declined")).toBe(0);
    // A real request declined twice: one entry.
    const requestId = await pendingRequest(owner.tenantId);
    const decline = () => send(`/app/settings/support/${requestId}/decline`, { cookie: owner.cookie, form: {} });
    expect((await decline()).status).toBe(200);
    expect((await decline()).status).toBe(404);
    expect(await entries(owner.tenantId, "support.request_declined")).toBe(1);
  });

  it("ending a grant from two tabs at once ends it once: one entry, one mail", async () => {
    const owner = await newTenant("End Twice Ltd");
    const grantId = await giveAccess(owner.cookie, "write");
    const end = () => send(`/app/settings/support/${grantId}/end`, { cookie: owner.cookie, form: {} });
    const statuses = (await Promise.all([end(), end()])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 404]);
    expect(await entries(owner.tenantId, "support.ended")).toBe(1);
    expect(await mailsOf(owner.email, "support_access_ended")).toBe(1);
  });

  it("approving a request from two tabs at once starts it once: one entry, one mail", async () => {
    const owner = await newTenant("Approve Twice Ltd");
    const requestId = await pendingRequest(owner.tenantId);
    const approve = () => send(`/app/settings/support/${requestId}/approve`, { cookie: owner.cookie, form: {} });
    const statuses = (await Promise.all([approve(), approve()])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 404]);
    expect(await entries(owner.tenantId, "support.request_approved")).toBe(1);
    expect(await mailsOf(owner.email, "support_access_started")).toBe(1);
  });

  it("two overlapping cron runs tell the owner once that a grant ran out", async () => {
    const owner = await newTenant("Ran Out Once Ltd");
    const grantId = await giveAccess(owner.cookie, "read");
    await env.DB.prepare("UPDATE support_grants SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, grantId)
      .run();
    // The cron's sweep twice at once (whole cron runs seldom meet at this step): both find the grant.
    const now = Date.now();
    const sweep = () => sendEndedNotices(createDb(env.DB), now, "http://localhost");
    const sent = await Promise.all([sweep(), sweep()]);
    expect(sent.flat()).toHaveLength(1);
    await runCron(now + 60_000);
    expect(await mailsOf(owner.email, "support_access_ended")).toBe(1);
    expect(await entries(owner.tenantId, "support.ended")).toBe(1);
  });
});
