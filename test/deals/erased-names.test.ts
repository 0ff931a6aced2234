/**
 * A person erased on request leaves deals' timelines: the "changed contacts" entries that named them say
 * "an erased contact" in their place and keep everyone else; older entries kept as text lose their names.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { createContact, newTenant } from "../contacts/contact-helpers";
import { dealWithPeople } from "./helpers";
import { restore, trashItemOf } from "../trash/helpers";

const detailsOf = async (dealId: number) =>
  (
    await env.DB.prepare(
      "SELECT detail FROM activities WHERE subject_type = 'deal' AND subject_id = ? AND kind = 'updated' ORDER BY id",
    )
      .bind(dealId)
      .all<{ detail: string }>()
  ).results.map((r) => JSON.parse(r.detail).contacts);

describe("erasing a person named in a deal's timeline", () => {
  it("puts 'an erased contact' in their place, keeps the others, and redacts older text entries naming them", async () => {
    const t = await newTenant("Erased Names");
    const ada = await createContact(t.cookie, { first_name: "Ada", last_name: "Lovelace" });
    const grace = await createContact(t.cookie, { first_name: "Grace", last_name: "Hopper" });
    const deal = await dealWithPeople(t.cookie, t.tenantId, "Engines", [
      { id: ada, role: "Champion" },
      { id: grace, role: "Buyer" },
    ]);
    // Entries written before people were kept with their ids: one naming Ada, one not.
    for (const text of ["Ada Lovelace (Champion), Grace Hopper", "Grace Hopper (Buyer)"])
      await env.DB.prepare(
        "INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at) VALUES (?, 'deal', ?, NULL, 'updated', ?, 1)",
      )
        .bind(t.tenantId, deal, JSON.stringify({ contacts: [null, text] }))
        .run();
    expect(await textOf(`/app/deals/${deal}`, { cookie: t.cookie })).toContain(
      "Ada Lovelace (Champion), Grace Hopper (Buyer)",
    );

    expect((await send(`/app/contacts/${ada}/erase`, { cookie: t.cookie, form: {} })).status).toBe(303);

    expect(await detailsOf(deal)).toEqual([
      [
        null,
        [
          { id: null, name: "an erased contact", role: null },
          { id: grace, name: "Grace Hopper", role: "Buyer" },
        ],
      ],
      [null, "names removed (a person was erased)"],
      [null, "Grace Hopper (Buyer)"],
    ]);
    const page = await textOf(`/app/deals/${deal}`, { cookie: t.cookie });
    expect(page).toContain("an erased contact, Grace Hopper (Buyer)");
    expect(page).not.toContain("Lovelace");
  });

  it("also in a trashed deal's timeline, so restoring the deal does not bring the name back", async () => {
    const t = await newTenant("Erased While Trashed");
    const ada = await createContact(t.cookie, { first_name: "Ada", last_name: "Lovelace" });
    const grace = await createContact(t.cookie, { first_name: "Grace", last_name: "Hopper" });
    const deal = await dealWithPeople(t.cookie, t.tenantId, "Engines", [
      { id: ada, role: "Champion" },
      { id: grace, role: "Buyer" },
    ]);
    expect((await send(`/app/deals/${deal}/delete`, { cookie: t.cookie, form: {} })).status).toBe(303);
    const item = (await trashItemOf("deal", deal))!;
    expect((await send(`/app/contacts/${ada}/erase`, { cookie: t.cookie, form: {} })).status).toBe(303);

    const kept = await env.DB.prepare("SELECT data FROM trash_rows WHERE item_id = ?")
      .bind(item.id)
      .all<{ data: string }>();
    expect(kept.results.map((r) => r.data).join("\n")).not.toContain("Lovelace");
    expect((await restore(t.cookie, item.id)).status).toBe(303);
    expect(await detailsOf(deal)).toEqual([
      [
        null,
        [
          { id: null, name: "an erased contact", role: null },
          { id: grace, name: "Grace Hopper", role: "Buyer" },
        ],
      ],
    ]);
    const page = await textOf(`/app/deals/${deal}`, { cookie: t.cookie });
    expect(page).toContain("an erased contact, Grace Hopper (Buyer)");
    expect(page).not.toContain("Lovelace");
  });

  it("a deleted (not erased) contact keeps their name in the deal's history: the trash can bring them back", async () => {
    const t = await newTenant("Deleted Names");
    const ada = await createContact(t.cookie, { first_name: "Ada", last_name: "Lovelace" });
    const deal = await dealWithPeople(t.cookie, t.tenantId, "Engines", [{ id: ada, role: "" }]);
    expect((await send(`/app/contacts/${ada}/delete`, { cookie: t.cookie, form: {} })).status).toBe(303);
    expect(await detailsOf(deal)).toEqual([[null, [{ id: ada, name: "Ada Lovelace", role: null }]]]);
  });
});
