/**
 * Who may use the trash: another workspace's item is a 404, a member restores only what they deleted or
 * own (403 otherwise), only admins and owners delete for good, and bodies that make no sense change nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createContact } from "../contacts/contact-helpers";
import { GOOD_PASSWORD, send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { restore, trashItemOf, trashRowCount } from "./helpers";

async function trashedContact(cookie: string, first: string) {
  const id = await createContact(cookie, { first_name: first, last_name: "Trashed" });
  expect((await send(`/app/contacts/${id}/delete`, { cookie, form: {} })).status).toBe(303);
  return { contact: id, item: (await trashItemOf("contact", id))!.id };
}

describe("the trash between workspaces", () => {
  it("answers 404 to another workspace's item, lists only its own, and changes nothing", async () => {
    const a = await newTenant("Trash A Co");
    const b = await newTenant("Trash B Co");
    const { contact, item } = await trashedContact(a.cookie, "Private");
    expect((await restore(b.cookie, item)).status).toBe(404);
    expect((await send(`/app/trash/${item}/delete`, { cookie: b.cookie, form: {} })).status).toBe(404);
    expect(await textOf("/app/trash", { cookie: b.cookie })).not.toContain("Private Trashed");
    expect(await trashItemOf("contact", contact)).not.toBeNull();
    expect(await trashRowCount(item)).toBeGreaterThan(0);
  });
});

describe("roles in the trash", () => {
  it("a member restores what they deleted, not what someone else deleted (403); viewers only read it", async () => {
    const owner = await newTenant("Trash Roles Co");
    const member = await memberOf(owner.tenantId, "member");
    const viewer = await memberOf(owner.tenantId, "viewer");
    const theirs = await trashedContact(owner.cookie, "Ownersown");
    const mine = await trashedContact(member.cookie, "Membersown");

    const page = await textOf("/app/trash", { cookie: member.cookie });
    expect(page).toContain(`action="/app/trash/${mine.item}/restore"`);
    expect(page).not.toContain(`action="/app/trash/${theirs.item}/restore"`);
    expect(page).not.toContain("Delete forever");

    expect((await restore(member.cookie, theirs.item)).status).toBe(403);
    expect(await trashItemOf("contact", theirs.contact)).not.toBeNull();
    expect((await send(`/app/trash/${mine.item}/delete`, { cookie: member.cookie, form: {} })).status).toBe(403);
    const forViewer = await textOf("/app/trash", { cookie: viewer.cookie });
    expect(forViewer).toContain("Membersown Trashed");
    expect(forViewer).not.toContain("/restore");
    expect((await restore(viewer.cookie, mine.item)).status).toBe(403);

    expect((await restore(member.cookie, mine.item)).status).toBe(303);
    expect((await send(`/app/contacts/${mine.contact}`, { cookie: member.cookie })).status).toBe(200);
    // The owner (an admin) restores anyone's.
    expect((await restore(owner.cookie, theirs.item)).status).toBe(303);
  });

  it("a member restores a record they own that an admin deleted", async () => {
    const owner = await newTenant("Trash Owned Co");
    const member = await memberOf(owner.tenantId, "member");
    const memberId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(member.email).first<{
      id: string;
    }>())!.id;
    const id = await createContact(owner.cookie, { first_name: "Owned", last_name: "Bymember", owner_id: memberId });
    await send(`/app/contacts/${id}/delete`, { cookie: owner.cookie, form: {} });
    expect((await restore(member.cookie, (await trashItemOf("contact", id))!.id)).status).toBe(303);
  });
});

describe("bodies and ids that make no sense", () => {
  it("answers 4xx and changes nothing", async () => {
    const owner = await newTenant("Trash Garbage Co");
    const { contact, item } = await trashedContact(owner.cookie, "Garbage");
    for (const path of ["/app/trash/abc/restore", "/app/trash/0/restore", "/app/trash/1e3/restore"])
      expect((await send(path, { cookie: owner.cookie, form: {} })).status, path).toBe(404);
    expect((await send("/app/trash?before=x", { cookie: owner.cookie })).status).toBe(400);
    const json = await send(`/app/trash/${item}/restore`, {
      cookie: owner.cookie,
      method: "POST",
      body: '{"restore":true}',
      headers: { "Content-Type": "application/json" },
    });
    expect(json.status).toBe(415);
    const cut = await send(`/app/trash/${item}/restore`, {
      cookie: owner.cookie,
      method: "POST",
      body: "%%%=\u0000".repeat(70_000),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(cut.status).toBe(413);
    expect(await trashItemOf("contact", contact)).not.toBeNull();
    expect((await send(`/app/contacts/${contact}`, { cookie: owner.cookie })).status).toBe(404);
  });
});

describe("a member who deletes their account", () => {
  it("is no longer named by what they trashed or own there; the record still comes back, without them", async () => {
    const owner = await newTenant("Trash Leaver Co");
    const member = await memberOf(owner.tenantId, "member");
    const memberId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(member.email).first<{
      id: string;
    }>())!.id;
    // memberOf() gave them a workspace of their own at sign-up; an invited member owns none.
    await env.DB.prepare(
      "DELETE FROM tenants WHERE id IN (SELECT tenant_id FROM memberships WHERE user_id = ? AND role = 'owner')",
    )
      .bind(memberId)
      .run();
    const id = await createContact(member.cookie, { first_name: "Left", last_name: "Behind", owner_id: memberId });
    await send(`/app/contacts/${id}/delete`, { cookie: member.cookie, form: {} });
    const left = await send("/app/settings/profile/delete", {
      form: { delete_password: GOOD_PASSWORD, confirm_delete: "on" },
      cookie: member.cookie,
    });
    expect(left.status).toBe(303);
    const item = await env.DB.prepare(
      "SELECT id, deleted_by, owner_id FROM trash_items WHERE kind = 'contact' AND record_id = ?",
    )
      .bind(id)
      .first<{ id: number; deleted_by: string | null; owner_id: string | null }>();
    expect(item).toMatchObject({ deleted_by: null, owner_id: null });
    expect(await textOf("/app/trash", { cookie: owner.cookie })).toContain("former member");
    expect((await restore(owner.cookie, item!.id)).status).toBe(303);
    const back = await env.DB.prepare("SELECT owner_id, created_by FROM contacts WHERE id = ?").bind(id).first();
    expect(back).toEqual({ owner_id: null, created_by: null });
  });
});
