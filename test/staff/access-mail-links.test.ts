/**
 * Where the mail about support access leads: the workspace's support page through /app/workspaces/open, so an
 * owner of several workspaces opens it in the right one whichever their browser works in; and the cron, which has
 * no request to take an origin from, sends no notice with a link to nowhere when APP_URL is unset.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runCron } from "../helpers/cron";
import { send } from "../helpers/http";
import { lastMail, mailTo } from "../helpers/mail";
import { newTenant } from "../helpers/tenants";
import { giveAccess } from "./helpers";

const APP_URL = "https://crm.example.test";
const supportLink = (origin: string, tenantId: string) =>
  `${origin}/app/workspaces/open/${tenantId}?to=${encodeURIComponent("/app/settings/support")}`;

async function expireGrant(id: string) {
  await env.DB.prepare("UPDATE support_grants SET expires_at = ? WHERE id = ?")
    .bind(Date.now() - 1, id)
    .run();
}

async function noticeTakenAt(id: string) {
  return (await env.DB.prepare("SELECT end_notice_at FROM support_grants WHERE id = ?")
    .bind(id)
    .first<number | null>("end_notice_at"))!;
}

describe("the mail about support access", () => {
  it("opens the workspace's support page in that workspace, from a browser working in another", async () => {
    const owner = await newTenant("Linked Access Ltd");
    const grantId = await giveAccess(owner.cookie, "read");
    expect((await send(`/app/settings/support/${grantId}/end`, { cookie: owner.cookie, form: {} })).status).toBe(200);
    const link = supportLink("http://localhost", owner.tenantId);
    for (const kind of ["support_access_started", "support_access_ended"])
      expect((await lastMail(owner.email, kind)).text_body, kind).toContain(link);

    // The owner now works in another workspace of theirs: the link offers the switch to this one.
    expect((await send("/app/workspaces", { cookie: owner.cookie, form: { name: "Elsewhere" } })).status).toBe(303);
    const offer = await send(link.slice("http://localhost".length), { cookie: owner.cookie });
    expect(offer.status).toBe(200);
    expect(await offer.text()).toContain("Switch to Linked Access Ltd and open it");
  });

  it("that a grant ran out links through /app/workspaces/open to APP_URL", async () => {
    const owner = await newTenant("Ran Out Linked Ltd");
    const grantId = await giveAccess(owner.cookie, "read");
    await expireGrant(grantId);
    for (let i = 0; i < 5 && (await noticeTakenAt(grantId)) === null; i += 1) await runCron(Date.now(), { APP_URL });
    const mail = await lastMail(owner.email, "support_access_ended");
    expect(mail.text_body).toContain(supportLink(APP_URL, owner.tenantId));
  });

  it("is not sent by the cron without APP_URL, never with a link to a path alone; the end is still recorded", async () => {
    const owner = await newTenant("No App Url Ltd");
    const grantId = await giveAccess(owner.cookie, "read");
    await expireGrant(grantId);
    for (let i = 0; i < 5 && (await noticeTakenAt(grantId)) === null; i += 1) await runCron(Date.now());
    expect(await noticeTakenAt(grantId)).not.toBeNull();
    const mails = await mailTo(owner.email);
    expect(mails.filter((m) => m.kind === "support_access_ended")).toHaveLength(0);
    for (const m of mails) {
      expect(m.html_body, m.kind).not.toMatch(/href="(?!https?:\/\/)/);
      expect(m.text_body, m.kind).not.toMatch(/(^|\s)\/app\//);
    }
    const ended = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND action = 'support.ended' AND target_id = ?",
    )
      .bind(owner.tenantId, grantId)
      .first<number>("n");
    expect(ended).toBe(1);
  });
});
