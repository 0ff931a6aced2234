/**
 * Searching a phone number as the app shows it, or as people write it at home, finds its contact: in the
 * contacts list, the header's search and the API's ?q= (one reading of the query, src/services/records/search.ts).
 */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { api, makeKey } from "../api/helpers";
import { createContact, listedIds, post } from "./contact-helpers";

async function listed(q: string, cookie: string): Promise<number[]> {
  const res = await send(`/app/contacts?q=${encodeURIComponent(q)}`, { cookie });
  expect(res.status, q).toBe(200);
  return listedIds(await res.text()).sort((a, b) => a - b);
}

async function addNote(cookie: string, id: number, body: string) {
  expect((await post(`/app/contacts/${id}/notes`, cookie, { body })).status).toBeLessThan(400);
}

describe("phone numbers in the search", () => {
  it("finds a number typed with its country code or in its national form, and other searches as before", async () => {
    const t = await newTenant("Phone search");
    const london = await createContact(t.cookie, { first_name: "Alan", phones: ["+44 20 7946 0958"] });
    const berlin = await createContact(t.cookie, { first_name: "Konrad", phones: ["+49 30 1234567"] });
    const paris = await createContact(t.cookie, { first_name: "Marie", phones: ["+33 1 23 45 67 89"] });
    const sf = await createContact(t.cookie, { first_name: "Grace", phones: ["(415) 555-0123"] });
    const suite = await createContact(t.cookie, { first_name: "Office", last_name: "Lease" });
    await addNote(t.cookie, suite, "Moved to Suite 200 on the second floor");

    const cases: [string, number[]][] = [
      ["+44 20 7946 0958", [london]],
      ["020 7946 0958", [london]],
      ["0044 20 7946 0958", [london]],
      ["+44 (0)20 7946-0958", [london]],
      ["+49 30 1234567", [berlin]],
      ["030 1234567", [berlin]],
      ["+33 1 23 45 67 89", [paris]],
      ["01 23 45 67 89", [paris]],
      ["+1 (415) 555-0123", [sf]],
      ["415.555.0123", [sf]],
      // As before: words, and short runs of digits that are no phone number.
      ["Suite 200", [suite]],
      ["415 555", [sf]],
      ["0958", [london]],
      ["+44 20 7946 0000", []],
    ];
    for (const [q, expected] of cases)
      expect(await listed(q, t.cookie), q).toEqual([...expected].sort((a, b) => a - b));

    // The header's search and the API read the query the same way.
    const box = (await (
      await send(`/app/search?format=json&q=${encodeURIComponent("020 7946 0958")}`, { cookie: t.cookie })
    ).json()) as {
      contacts: { href: string }[];
    };
    expect(box.contacts.map((h) => h.href)).toEqual([`/app/contacts/${london}`]);
    const key = await makeKey(t.cookie, { scope: "read" });
    const res = await api(`/contacts?q=${encodeURIComponent("+33 1 23 45 67 89")}`, { key });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { id: number }[] };
    expect(body.data.map((c) => c.id)).toEqual([paris]);
  });
});
