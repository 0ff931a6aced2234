/**
 * Restoring a contact and the Free plan's contact limit: an undo passes the limit (billing never takes records away),
 * but a restore after contacts were added since the delete counts as a new contact would, so delete, create and
 * restore cannot grow a Free workspace past its limit.
 */
import { describe, expect, it } from "vitest";
import { customerFor, subscriptionThroughWebhook } from "../billing/helpers";
import { createContact, expectCountersExact } from "../contacts/contact-helpers";
import { queryRows } from "../helpers/db";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { recordTables, trashItemOf } from "./helpers";

const limits = { FREE_MAX_CONTACTS: "2" };

type Owner = Awaited<ReturnType<typeof newTenant>>;

const contactsCounted = async (owner: Owner) =>
  (await queryRows<{ contacts: number }>("SELECT contacts FROM tenant_counters WHERE tenant_id = ?", owner.tenantId))[0]
    ?.contacts;

async function deleteContact(owner: Owner, id: number) {
  expect((await send(`/app/contacts/${id}/delete`, { cookie: owner.cookie, form: {}, env: limits })).status).toBe(303);
  return (await trashItemOf("contact", id))!.id;
}

const restoreWithLimit = (owner: Owner, itemId: number) =>
  send(`/app/trash/${itemId}/restore`, { cookie: owner.cookie, form: {}, env: limits });

describe("restoring a contact under the Free plan's contact limit", () => {
  it("is held to the limit when a contact was created after its delete (402, nothing written, it stays in the trash)", async () => {
    const owner = await newTenant("Trash Limit Bypass Co");
    const a = await createContact(owner.cookie, { first_name: "Grace", last_name: "Hopper" });
    await createContact(owner.cookie, { first_name: "Alan", last_name: "Turing" });
    const item = await deleteContact(owner, a);
    // The delete freed a place, and a new contact takes it, within the limit.
    const created = await send("/app/contacts", { cookie: owner.cookie, form: { first_name: "Edsger" }, env: limits });
    expect(created.status).toBe(303);
    const before = await recordTables(owner.tenantId);
    const refused = await restoreWithLimit(owner, item);
    expect(refused.status).toBe(402);
    const page = await refused.text();
    expect(page).toContain("The Free plan includes 2 contacts, and this workspace has reached that number.");
    expect(page).toContain('<a href="/app/settings/billing">Upgrade to Team for no limit</a>');
    expect(await recordTables(owner.tenantId)).toEqual(before);
    expect((await trashItemOf("contact", a))?.id).toBe(item);
    expect(await contactsCounted(owner)).toBe(2);
  });

  it("holds an Undo to the limit once another trashed contact came back under it since the delete (402)", async () => {
    const owner = await newTenant("Trash Limit Undo Loop Co");
    const a = await createContact(owner.cookie, { first_name: "Grace" });
    const b = await createContact(owner.cookie, { first_name: "Alan" });
    const itemA = await deleteContact(owner, a);
    expect(
      (await send("/app/contacts", { cookie: owner.cookie, form: { first_name: "Edsger" }, env: limits })).status,
    ).toBe(303);
    const itemB = await deleteContact(owner, b);
    // Grace fills the place Alan's delete freed: counted as a new contact would be, and there is room.
    expect((await restoreWithLimit(owner, itemA)).status).toBe(303);
    // Undoing Alan's delete now would put back more than the workspace had: three contacts on a limit of two.
    const refused = await restoreWithLimit(owner, itemB);
    expect(refused.status).toBe(402);
    expect(await refused.text()).toContain("The Free plan includes 2 contacts");
    expect((await trashItemOf("contact", b))?.id).toBe(itemB);
    expect(await contactsCounted(owner)).toBe(2);
    await expectCountersExact(owner.tenantId);
  });

  it("lets undos of several deletes come back in any order past the limit in a past-due workspace (402 never)", async () => {
    const owner = await newTenant("Trash Over Limit Order Co");
    const ids: number[] = [];
    for (const name of ["Grace", "Alan", "Edsger"]) ids.push(await createContact(owner.cookie, { first_name: name }));
    await subscriptionThroughWebhook(await customerFor(owner), { status: "past_due" });
    const [a, b] = ids as [number, number];
    const itemA = await deleteContact(owner, a);
    const itemB = await deleteContact(owner, b);
    // Oldest delete first: each undo gives back only what the workspace had before its delete.
    expect((await restoreWithLimit(owner, itemA)).status).toBe(303);
    expect((await restoreWithLimit(owner, itemB)).status).toBe(303);
    expect(await contactsCounted(owner)).toBe(3);
    await expectCountersExact(owner.tenantId);
  });
});
