/** Logged interactions go with their record (deleted or erased) and outlive a member who deletes their account. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, send, textOf } from "../helpers/http";
import { memberOf } from "../helpers/tenants";
import { interactionRows, logThroughForm, workspaceWithRecords } from "./helpers";

describe("interactions and the end of their record or author", () => {
  it("erasing or deleting a contact removes its logged calls in the same batch; a company and a deal too", async () => {
    const { owner, records } = await workspaceWithRecords("Gone Co");
    const other = await workspaceWithRecords("Stays Co");
    for (const kind of ["contacts", "companies", "deals"] as const) {
      await logThroughForm(owner.cookie, kind, records[kind], {
        kind: "call",
        outcome: "connected",
        notes: `On ${kind}`,
      });
      await logThroughForm(owner.cookie, kind, records[kind], { kind: "email" });
    }
    await logThroughForm(other.owner.cookie, "contacts", other.records.contacts, { kind: "meeting" });
    const subjects = async () => (await interactionRows(owner.tenantId)).map((r) => r.subject_type);
    expect(await subjects()).toEqual(["contact", "contact", "company", "company", "deal", "deal"]);

    // A privacy request: the contact and everything about it.
    expect((await send(`/app/contacts/${records.contacts}/erase`, { cookie: owner.cookie, form: {} })).status).toBe(
      303,
    );
    expect(await subjects()).toEqual(["company", "company", "deal", "deal"]);
    expect((await send(`/app/companies/${records.companies}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(
      303,
    );
    expect(await subjects()).toEqual(["deal", "deal"]);
    expect((await send(`/app/deals/${records.deals}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    expect(await subjects()).toEqual([]);
    // Another workspace's are untouched.
    expect(await interactionRows(other.owner.tenantId)).toHaveLength(1);
  });

  it("deleting contacts in bulk takes their logged calls with them", async () => {
    const { owner, records } = await workspaceWithRecords("Bulk Gone Co");
    await logThroughForm(owner.cookie, "contacts", records.contacts, { kind: "call", outcome: "busy" });
    await logThroughForm(owner.cookie, "companies", records.companies, { kind: "meeting" });
    const res = await send("/app/contacts/bulk", {
      cookie: owner.cookie,
      form: { action: "delete", ids: String(records.contacts), confirm: "1" },
    });
    expect(res.status, await res.clone().text()).toBeLessThan(400);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE id = ?").bind(records.contacts).first("n"),
    ).toBe(0);
    expect((await interactionRows(owner.tenantId)).map((r) => r.subject_type)).toEqual(["company"]);
  });

  it("a member who deletes their account leaves their logged calls as a former member's", async () => {
    const { owner, records } = await workspaceWithRecords("Leaver Co");
    const member = await memberOf(owner.tenantId, "member");
    await logThroughForm(member.cookie, "contacts", records.contacts, {
      kind: "call",
      outcome: "connected",
      notes: "Kept",
    });
    // memberOf() gave them a workspace of their own at sign-up; an invited member owns none.
    await env.DB.prepare(
      `DELETE FROM tenants WHERE id IN (SELECT m.tenant_id FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE u.email = ? AND m.role = 'owner')`,
    )
      .bind(member.email)
      .run();
    const res = await send("/app/settings/profile/delete", {
      cookie: member.cookie,
      form: { delete_password: GOOD_PASSWORD, confirm_delete: "on" },
    });
    expect(res.status, await res.clone().text()).toBe(303);
    expect(await interactionRows(owner.tenantId)).toMatchObject([{ notes: "Kept", logged_by: null }]);
    const html = await textOf(`/app/contacts/${records.contacts}`, { cookie: owner.cookie });
    expect(html).toContain('logged by <span class="actor">former member</span>');
    expect(html).not.toContain(member.email);
  });
});
