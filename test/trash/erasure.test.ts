/**
 * Erasure (a privacy request) skips the trash and reaches into it: a contact erased is not kept there, and a
 * contact already in the trash, with the notes and tasks about them trashed on their own, goes from it at once.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createContact } from "../contacts/contact-helpers";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { addTask } from "../tasks/helpers";
import { trashItemOf } from "./helpers";

async function noteOn(cookie: string, contact: number, body: string) {
  await send(`/app/contacts/${contact}/notes`, { cookie, form: { body } });
  return (await env.DB.prepare("SELECT id FROM notes WHERE body = ?").bind(body).first<{ id: number }>())!.id;
}

async function trashRowsMentioning(tenantId: string, text: string) {
  return (await env.DB.prepare("SELECT count(*) AS n FROM trash_rows WHERE tenant_id = ? AND instr(data, ?) > 0")
    .bind(tenantId, text)
    .first<{ n: number }>())!.n;
}

describe("erasing a person and the trash", () => {
  it("a contact trashed yesterday and erased today is gone from the trash, with their notes and tasks there", async () => {
    const owner = await newTenant("Trash Erasure Co");
    const contact = await createContact(owner.cookie, {
      first_name: "Erasable",
      last_name: "Person",
      emails: ["erasable@person.example"],
    });
    const note = await noteOn(owner.cookie, contact, "Erasable's secret plans");
    const task = await addTask(owner.cookie, { title: "Visit Erasable", record: `contact:${contact}` });
    await send(`/app/notes/${note}/delete`, { cookie: owner.cookie, form: {} });
    await send(`/app/tasks/${task.id}/delete`, { cookie: owner.cookie, form: {} });
    await send(`/app/contacts/${contact}/delete`, { cookie: owner.cookie, form: {} });
    expect(await trashRowsMentioning(owner.tenantId, "Erasable")).toBeGreaterThan(0);

    const res = await send(`/app/contacts/${contact}/erase`, { cookie: owner.cookie, form: { suppress: "1" } });
    expect(res.status).toBe(303);
    expect(await trashItemOf("contact", contact)).toBeNull();
    expect(await trashItemOf("note", note)).toBeNull();
    expect(await trashItemOf("task", task.id)).toBeNull();
    expect(await trashRowsMentioning(owner.tenantId, "Erasable")).toBe(0);
    expect(await trashRowsMentioning(owner.tenantId, "erasable@person.example")).toBe(0);
    // Their address went onto the suppression list from the trash's copy.
    const suppressed = await env.DB.prepare("SELECT count(*) AS n FROM suppressions WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(suppressed!.n).toBe(1);
    const audit = await env.DB.prepare(
      "SELECT target_id FROM audit_log WHERE tenant_id = ? AND action = 'record.erased' ORDER BY id DESC",
    )
      .bind(owner.tenantId)
      .first();
    expect(audit).toEqual({ target_id: String(contact) });
  });

  it("erasing a live contact puts nothing in the trash and takes their trashed notes out of it", async () => {
    const owner = await newTenant("Trash Erasure Live Co");
    const contact = await createContact(owner.cookie, { first_name: "Livewire", last_name: "Person" });
    const note = await noteOn(owner.cookie, contact, "Livewire's trashed note");
    await send(`/app/notes/${note}/delete`, { cookie: owner.cookie, form: {} });
    await noteOn(owner.cookie, contact, "Livewire's live note");
    const res = await send(`/app/contacts/${contact}/erase`, { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(303);
    expect(await trashItemOf("contact", contact)).toBeNull();
    expect(await trashItemOf("note", note)).toBeNull();
    expect(await trashRowsMentioning(owner.tenantId, "Livewire")).toBe(0);
    expect((await send(`/app/contacts/${contact}/erase`, { cookie: owner.cookie, form: {} })).status).toBe(404);
  });

  it("an admin erases a contact already in the trash from the trash: Erase, the confirmation, then gone everywhere", async () => {
    const owner = await newTenant("Trash Erase Button Co");
    const member = await memberOf(owner.tenantId, "member");
    const contact = await createContact(owner.cookie, {
      first_name: "Trashwise",
      last_name: "Person",
      emails: ["trashwise@person.example"],
    });
    const note = await noteOn(owner.cookie, contact, "Trashwise's trashed note");
    await send(`/app/notes/${note}/delete`, { cookie: owner.cookie, form: {} });
    await send(`/app/contacts/${contact}/delete`, { cookie: owner.cookie, form: {} });

    // The trash offers Erase on the contact's row to admins only, and on no note's row.
    const trash = await textOf("/app/trash", { cookie: owner.cookie });
    expect(trash).toContain(`href="/app/contacts/${contact}/erase"`);
    expect(trash.match(/\/erase"/g)).toHaveLength(1);
    expect(await textOf("/app/trash", { cookie: member.cookie })).not.toContain("/erase");
    // The confirmation names them from the trash, and comes back to it.
    const confirm = await send(`/app/contacts/${contact}/erase`, { cookie: owner.cookie });
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(page).toContain("Erase Trashwise Person?");
    expect(page).toContain("in the trash");
    expect(page).toContain('href="/app/trash"');
    expect((await send(`/app/contacts/${contact}/erase`, { cookie: member.cookie })).status).toBe(403);
    const other = await newTenant("Trash Erase Other Co");
    expect((await send(`/app/contacts/${contact}/erase`, { cookie: other.cookie })).status).toBe(404);

    const res = await send(`/app/contacts/${contact}/erase`, {
      cookie: owner.cookie,
      form: { back: "trash", suppress: "1" },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/trash?notice=erased");
    const after = await textOf("/app/trash?notice=erased", { cookie: owner.cookie });
    expect(after).toContain("Erased");
    expect(after).not.toContain("Trashwise");
    expect(await trashItemOf("contact", contact)).toBeNull();
    expect(await trashItemOf("note", note)).toBeNull();
    expect(await trashRowsMentioning(owner.tenantId, "Trashwise")).toBe(0);
    expect(await trashRowsMentioning(owner.tenantId, "trashwise@person.example")).toBe(0);
    const suppressed = await env.DB.prepare("SELECT count(*) AS n FROM suppressions WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(suppressed!.n).toBe(1);
    // Erased once: the confirmation is gone with them.
    expect((await send(`/app/contacts/${contact}/erase`, { cookie: owner.cookie })).status).toBe(404);
  });
});
