/** /api/v1/search: the workspace's contacts, companies, deals and tasks matching a text, never another's. */
import { describe, expect, it } from "vitest";
import { newTenant } from "../helpers/tenants";
import { api, makeKey, problemOf } from "./helpers";

type Hits = { data: Record<string, unknown>[]; more: boolean };
type Results = { contacts: Hits; companies: Hits; deals: Hits; tasks: Hits };

describe("API search", () => {
  it("finds each kind by a part of a word, with a read-only key, and never another workspace's records", async () => {
    const owner = await newTenant("Search API Co");
    const other = await newTenant("Search API Other");
    const writer = await makeKey(owner.cookie, { name: "Writer" });
    const reader = await makeKey(owner.cookie, { scope: "read" });
    const theirs = await makeKey(other.cookie);
    const post = async (key: string, path: string, json: unknown) => {
      const res = await api(path, { key, method: "POST", json });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(201);
    };
    await post(writer, "/contacts", { first_name: "Grace", last_name: "Hopper", emails: ["grace@navy.example"] });
    await post(writer, "/companies", { name: "Hopper Labs", domain: "hopperlabs.example" });
    await post(writer, "/deals", { name: "Hopper renewal", amount_minor: 120000 });
    await post(writer, "/tasks", { title: "Call Hopper back", due_date: "2030-01-02" });
    await post(theirs, "/contacts", { first_name: "Other", last_name: "Hopper" });

    const res = await api(`/search?q=${encodeURIComponent("opper")}`, { key: reader });
    expect(res.status).toBe(200);
    const found = (await res.json()) as Results;
    expect(found.contacts.data).toEqual([
      expect.objectContaining({ name: "Grace Hopper", email: "grace@navy.example" }),
    ]);
    expect(found.companies.data).toEqual([expect.objectContaining({ name: "Hopper Labs" })]);
    expect(found.deals.data).toEqual([
      expect.objectContaining({ name: "Hopper renewal", amount_minor: 120000, status: "open" }),
    ]);
    expect(found.tasks.data).toEqual([expect.objectContaining({ title: "Call Hopper back", due_date: "2030-01-02" })]);
    expect(Object.values(found).every((g) => g.more === false)).toBe(true);

    // A limit of one shows one and says there are more.
    await post(writer, "/contacts", { first_name: "Hedy", last_name: "Hopperton" });
    const one = (await (await api("/search?q=hopper&limit=1", { key: reader })).json()) as Results;
    expect(one.contacts.data).toHaveLength(1);
    expect(one.contacts.more).toBe(true);
  });

  it("answers a missing, empty or unknown parameter with a 422 naming it, and FTS syntax as plain words", async () => {
    const owner = await newTenant("Search API Bad Co");
    const key = await makeKey(owner.cookie, { scope: "read" });
    for (const [query, field] of [
      ["", "q"],
      ["?q=", "q"],
      ["?q=%20%20", "q"],
      ["?q=ada&limit=0", "limit"],
      ["?q=ada&limit=26", "limit"],
      ["?q=ada&sort=name", "sort"],
    ] as const) {
      const res = await api(`/search${query}`, { key });
      expect(res.status, query).toBe(422);
      expect(
        (await problemOf(res)).errors?.map((e) => e.field),
        query,
      ).toContain(field);
    }
    const hostile = await api(`/search?q=${encodeURIComponent('" OR tenant:* NEAR(a b) ) %')}`, { key });
    expect(hostile.status).toBe(200);
    expect(((await hostile.json()) as Results).contacts.data).toEqual([]);
  });
});
