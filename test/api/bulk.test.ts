/**
 * POST /api/v1/contacts/bulk and /companies/bulk as a client sees them: records created or updated (matched by
 * email, by domain), a result per record, invalid records refused alone, 1,000 records in chunks, the Free plan's
 * cap, scopes and another workspace; and the import the request leaves on the Import page, which undoes it.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { addEndpoint, eventsOf, receiverUrl } from "../webhooks/helpers";
import { HeldQueue, jobEnv, runCron } from "../jobs/helpers";
import { waitFor } from "../import/helpers";
import { api, makeKey, problemOf } from "./helpers";

type Result = { index: number; status: string; id: number | null; errors?: { field?: string; message: string }[] };
type Bulk = { import_id: string; results: Result[] };

async function bulk(key: string, kind: "contacts" | "companies", records: unknown[], env?: Partial<Cloudflare.Env>) {
  const res = await api(`/${kind}/bulk`, { key, method: "POST", json: { records }, env });
  return res;
}

async function bulkOk(key: string, kind: "contacts" | "companies", records: unknown[]): Promise<Bulk> {
  const res = await bulk(key, kind, records);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Bulk;
}

async function one<T>(query: string, ...args: unknown[]): Promise<T> {
  return (await env.DB.prepare(query)
    .bind(...args)
    .first()) as T;
}

describe("bulk upsert of contacts", () => {
  it("answers an unchanged record matched by a shared phone with its own id, not a colleague's on that line", async () => {
    const owner = await newTenant("Bulk Switchboard Co");
    const key = await makeKey(owner.cookie);
    const line = "+44 20 7946 0777";
    const made = async (first_name: string, last_name: string) =>
      (
        (await (
          await api("/contacts", { key, method: "POST", json: { first_name, last_name, phones: [line] } })
        ).json()) as { id: number }
      ).id;
    // Ada's id first, so the colleagues made after her come later in any order the lookup reads.
    const ada = await made("Ada", "Lovelace");
    await made("Bob", "Babbage");
    await made("Cy", "Clerk");
    const out = await bulkOk(key, "contacts", [{ first_name: "Ada", last_name: "Lovelace", phones: [line] }]);
    expect(out.results).toEqual([{ index: 0, status: "unchanged", id: ada }]);
  });

  it("creates new people and updates the ones it matches by email in any case, a result per record", async () => {
    const owner = await newTenant("Bulk Co");
    const key = await makeKey(owner.cookie);
    const ada = (await (
      await api("/contacts", { key, method: "POST", json: { first_name: "Ada", emails: ["ada@example.com"] } })
    ).json()) as { id: number };
    await addEndpoint(owner.cookie, receiverUrl("bulk-events"), ["contact.created", "contact.updated"]);

    const out = await bulkOk(key, "contacts", [
      { first_name: "Ada", last_name: "Lovelace", emails: ["ADA@Example.COM"], job_title: "Analyst", tags: ["VIP"] },
      {
        first_name: "Grace",
        last_name: "Hopper",
        emails: ["grace@example.com"],
        company: "Navy",
        note: "Met at a talk",
      },
      { first_name: "Ada", emails: ["ada@example.com"] },
    ]);
    expect(out.results[0]).toEqual({ index: 0, status: "updated", id: ada.id });
    expect(out.results[1]).toMatchObject({ index: 1, status: "created" });
    // The same person twice in one request: the second is refused, naming the first.
    expect(out.results[2]).toMatchObject({ index: 2, status: "error", id: null });
    expect(out.results[2]!.errors![0]!.message).toContain("Record 0");

    const updated = (await (await api(`/contacts/${ada.id}`, { key })).json()) as Record<string, unknown>;
    expect(updated).toMatchObject({ first_name: "Ada", last_name: "Lovelace", job_title: "Analyst" });
    expect((updated.tags as { name: string }[]).map((t) => t.name)).toEqual(["VIP"]);
    const grace = (await (await api(`/contacts/${out.results[1]!.id}`, { key })).json()) as Record<string, unknown>;
    // A contact the request created came through the API (the sources report counts it so), not from a file.
    expect(grace).toMatchObject({ emails: ["grace@example.com"], company: { name: "Navy" }, source: "api" });
    const sources = await env.DB.prepare(
      "SELECT source, sum(count) AS n FROM report_contact_days WHERE tenant_id = ? GROUP BY source",
    )
      .bind(owner.tenantId)
      .all();
    expect(sources.results).toEqual([{ source: "api", n: 2 }]);
    // Counters, the search index, notes and webhook events, as an import keeps them.
    const counters = await env.DB.prepare("SELECT contacts, companies, notes FROM tenant_counters WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first();
    expect(counters).toEqual({ contacts: 2, companies: 1, notes: 1 });
    const found = (await (await api("/contacts?q=hopp", { key })).json()) as { data: { id: number }[] };
    expect(found.data.map((c) => c.id)).toEqual([out.results[1]!.id]);
    const events = (await eventsOf(owner.tenantId)).map((e) => [e.type, JSON.parse(e.payload).id]);
    expect(events).toEqual(
      expect.arrayContaining([
        ["contact.updated", ada.id],
        ["contact.created", out.results[1]!.id],
      ]),
    );

    // A second run changes nothing: every record is unchanged, with its id.
    const again = await bulkOk(key, "contacts", [
      { first_name: "Ada", last_name: "Lovelace", emails: ["ada@example.com"] },
      { first_name: "Grace", last_name: "Hopper", emails: ["grace@example.com"] },
    ]);
    expect(again.results).toEqual([
      { index: 0, status: "unchanged", id: ada.id },
      { index: 1, status: "unchanged", id: out.results[1]!.id },
    ]);
    // Two records reaching one person through two of her addresses: the second is not applied, and says so.
    await api(`/contacts/${ada.id}`, {
      key,
      method: "PATCH",
      json: { emails: ["ada@example.com", "countess@example.com"] },
    });
    const twice = await bulkOk(key, "contacts", [
      { first_name: "Ada", emails: ["ada@example.com"], job_title: "Analyst" },
      { first_name: "Ada", emails: ["countess@example.com"], job_title: "Countess" },
    ]);
    expect(twice.results[0]).toEqual({ index: 0, status: "unchanged", id: ada.id });
    expect(twice.results[1]).toMatchObject({ index: 1, status: "error", id: null });
    expect(twice.results[1]!.errors![0]!.message).toContain("Record 0");
    // Someone else's address is never a merge: an error for that record, Ada unchanged.
    const other = await bulkOk(key, "contacts", [
      { first_name: "Bob", last_name: "Babbage", emails: ["ada@example.com"], job_title: "Engineer" },
    ]);
    expect(other.results[0]).toMatchObject({ status: "error", errors: [{ field: "emails" }] });
    expect(((await (await api(`/contacts/${ada.id}`, { key })).json()) as { job_title: string }).job_title).toBe(
      "Analyst",
    );
  });

  it("refuses invalid records one by one, and writes the others", async () => {
    const owner = await newTenant("Invalid Bulk Co");
    const key = await makeKey(owner.cookie);
    const out = await bulkOk(key, "contacts", [
      { first_name: "Ok", emails: ["ok@example.com"] },
      { first_name: "Typo", fist_name: "x" },
      { first_name: "Bad", emails: ["not an address"] },
      { first_name: 42 },
      { first_name: "Phone", phones: ["12"] },
      { custom_fields: { Nope: "x" }, first_name: "Custom" },
      {},
      "not an object",
    ]);
    expect(out.results.map((r) => r.status)).toEqual([
      "created",
      "error",
      "error",
      "error",
      "error",
      "error",
      "error",
      "error",
    ]);
    expect(out.results[1]!.errors).toEqual([{ field: "fist_name", message: "This field does not exist." }]);
    expect(out.results[2]!.errors![0]!.message).toContain("not an email address");
    expect(out.results[3]!.errors![0]!.field).toBe("first_name");
    expect(out.results[4]!.errors![0]!.message).toContain("phones[0]");
    expect(out.results[5]!.errors).toEqual([{ field: "custom_fields.Nope", message: expect.any(String) }]);
    expect(out.results[6]!.errors![0]!.message).toContain("no name, email or phone");
    expect(await one("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?", owner.tenantId)).toEqual({ n: 1 });
  });

  it("takes 1,000 records in chunks of 500, and refuses a request of more as a whole", async () => {
    const owner = await newTenant("Thousand Co");
    const key = await makeKey(owner.cookie);
    const records = Array.from({ length: 1000 }, (_, i) => ({
      first_name: `Person${i}`,
      last_name: "Bulk",
      emails: [`p${i}@bulk.example`],
    }));
    const out = await bulkOk(key, "contacts", records);
    expect(out.results.filter((r) => r.status === "created")).toHaveLength(1000);
    expect(new Set(out.results.map((r) => r.id)).size).toBe(1000);
    // Each id is the record of its own email.
    const sample = (await (await api(`/contacts/${out.results[777]!.id}`, { key })).json()) as { emails: string[] };
    expect(sample.emails).toEqual(["p777@bulk.example"]);
    const job = await env.DB.prepare(
      "SELECT status, chunk_count, chunks_done, created_count FROM import_jobs WHERE id = ?",
    )
      .bind(out.import_id)
      .first();
    expect(job).toEqual({ status: "done", chunk_count: 2, chunks_done: 2, created_count: 1000 });

    const tooMany = await bulk(key, "contacts", [...records, { first_name: "One more" }]);
    expect(tooMany.status).toBe(422);
    expect((await problemOf(tooMany)).errors![0]!.field).toBe("records");
    const huge = await bulk(key, "contacts", [{ first_name: "Big", note: "x".repeat(1024 * 1024) }]);
    expect(huge.status).toBe(413);
    expect(await one("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?", owner.tenantId)).toEqual({ n: 1000 });
  });

  it("stops at the Free plan's cap: a chunk past it writes nothing; nothing written at all is a 402", async () => {
    const owner = await newTenant("Capped Co");
    const key = await makeKey(owner.cookie);
    const limits = { FREE_MAX_CONTACTS: "3" };
    const people = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => ({ first_name: `Cap${from + i}`, emails: [`cap${from + i}@x.example`] }));
    expect((await bulk(key, "contacts", people(2), limits)).status).toBe(200);
    const past = await bulk(key, "contacts", people(2, 2), limits);
    expect(past.status).toBe(402);
    expect((await problemOf(past)).code).toBe("plan_limit");
    expect(await one("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?", owner.tenantId)).toEqual({ n: 2 });
    // Updates still go through at the cap.
    const update = await bulk(
      key,
      "contacts",
      [{ first_name: "Cap0", emails: ["cap0@x.example"], job_title: "Lead" }],
      limits,
    );
    expect(((await update.json()) as Bulk).results[0]).toMatchObject({ status: "updated" });
  });

  it("is refused to a read key, and never touches another workspace's people", async () => {
    const a = await newTenant("Bulk A");
    const b = await newTenant("Bulk B");
    const keyA = await makeKey(a.cookie);
    const keyB = await makeKey(b.cookie);
    const reader = await makeKey(a.cookie, { scope: "read" });
    const res = await bulk(reader, "contacts", [{ first_name: "Eve" }]);
    expect(res.status).toBe(403);
    expect((await problemOf(res)).code).toBe("insufficient_scope");
    const theirs = (await (
      await api("/contacts", { key: keyB, method: "POST", json: { first_name: "Sam", emails: ["sam@example.com"] } })
    ).json()) as { id: number };
    const out = await bulkOk(keyA, "contacts", [{ first_name: "Sam", emails: ["sam@example.com"], job_title: "Spy" }]);
    expect(out.results[0]).toMatchObject({ status: "created" });
    expect(out.results[0]!.id).not.toBe(theirs.id);
    expect(
      ((await (await api(`/contacts/${theirs.id}`, { key: keyB })).json()) as { job_title: unknown }).job_title,
    ).toBeNull();
  });

  it("is an import on the Import page, which undoes it", async () => {
    const owner = await newTenant("Undo Bulk Co");
    const key = await makeKey(owner.cookie, { name: "Website form" });
    const out = await bulkOk(key, "contacts", [{ first_name: "Undone", emails: ["undone@example.com"] }]);
    const page = await send("/app/import", { cookie: owner.cookie });
    expect(await page.text()).toContain("API: Website form");
    const undo = await send(`/app/import/${out.import_id}/undo`, { cookie: owner.cookie, form: {} });
    expect(undo.status).toBeLessThan(400);
    const job = await one<{ status: string }>("SELECT status FROM import_jobs WHERE id = ?", out.import_id);
    expect(["undoing", "undone"]).toContain(job.status);
  });
});

describe("bulk checkbox values", () => {
  type Record = { id: number; custom_fields: { [name: string]: { value: unknown } } };

  it("contacts: false unticks a box, as a file's 'no' does; null, a field left out and a box already clear change nothing", async () => {
    const owner = await newTenant("Bulk Untick Co");
    const key = await makeKey(owner.cookie);
    const field = await api("/custom_fields", {
      key,
      method: "POST",
      json: { entity: "contact", name: "Newsletter", kind: "checkbox" },
    });
    expect(field.status, await field.clone().text()).toBe(201);
    const made = async (first_name: string, email: string, ticked: boolean) =>
      (
        (await (
          await api("/contacts", {
            key,
            method: "POST",
            json: { first_name, emails: [email], custom_fields: { Newsletter: ticked } },
          })
        ).json()) as Record
      ).id;
    const ada = await made("Ada", "ada@example.com", true);
    const bob = await made("Bob", "bob@example.com", true);
    const cy = await made("Cy", "cy@example.com", true);
    const dee = await made("Dee", "dee@example.com", false);
    const newsletter = async (id: number) =>
      ((await (await api(`/contacts/${id}`, { key })).json()) as Record).custom_fields.Newsletter;

    const out = await bulkOk(key, "contacts", [
      { emails: ["ada@example.com"], custom_fields: { Newsletter: false } },
      { emails: ["bob@example.com"], custom_fields: { Newsletter: null } },
      { emails: ["cy@example.com"], first_name: "Cy" },
      { emails: ["dee@example.com"], custom_fields: { Newsletter: false } },
      { first_name: "Eve", emails: ["eve@example.com"], custom_fields: { Newsletter: false } },
    ]);
    expect(out.results.map((r) => r.status)).toEqual(["updated", "unchanged", "unchanged", "unchanged", "created"]);
    expect(await newsletter(ada)).toBeUndefined();
    expect(await newsletter(bob)).toMatchObject({ kind: "checkbox" });
    expect(await newsletter(cy)).toMatchObject({ kind: "checkbox" });
    expect(await newsletter(dee)).toBeUndefined();
    expect(await newsletter(out.results[4]!.id!)).toBeUndefined();
    expect(
      await one<{ n: number }>("SELECT count(*) AS n FROM custom_field_values WHERE tenant_id = ?", owner.tenantId),
    ).toEqual({ n: 2 });

    // The Import page's undo ticks Ada's box again.
    expect((await send(`/app/import/${out.import_id}/undo`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    const undone = await waitFor(out.import_id, ["undone"]);
    expect(JSON.parse(undone.undo_kept!)).toEqual({ total: 0, items: [] });
    expect(await newsletter(ada)).toMatchObject({ kind: "checkbox" });
  });

  it("companies: false unticks a box", async () => {
    const owner = await newTenant("Bulk Untick Companies Co");
    const key = await makeKey(owner.cookie);
    await api("/custom_fields", {
      key,
      method: "POST",
      json: { entity: "company", name: "Partner", kind: "checkbox" },
    });
    const acme = (await (
      await api("/companies", {
        key,
        method: "POST",
        json: { name: "Acme", domain: "acme.example", custom_fields: { Partner: true } },
      })
    ).json()) as Record;
    expect(acme.custom_fields.Partner).toMatchObject({ kind: "checkbox" });
    const out = await bulkOk(key, "companies", [
      { name: "Acme", domain: "acme.example", custom_fields: { Partner: false } },
    ]);
    expect(out.results).toEqual([{ index: 0, status: "updated", id: acme.id }]);
    const read = (await (await api(`/companies/${acme.id}`, { key })).json()) as Record;
    expect(read.custom_fields.Partner).toBeUndefined();
  });
});

describe("bulk tags and the webhooks of a big request", () => {
  it("takes each tag as one name: a comma or a leading '*' is part of it", async () => {
    const owner = await newTenant("Bulk Tags Co");
    const key = await makeKey(owner.cookie);
    const out = await bulkOk(key, "contacts", [
      { first_name: "Ada", tags: ["Partner, EMEA", "*VIP", "partner, emea"] },
    ]);
    const tags = await env.DB.prepare(
      "SELECT g.name FROM contact_tags ct JOIN tags g ON g.id = ct.tag_id WHERE ct.contact_id = ? ORDER BY g.name",
    )
      .bind(out.results[0]!.id)
      .all();
    expect(tags.results).toEqual([{ name: "*VIP" }, { name: "Partner, EMEA" }]);
    const refused = await bulk(key, "companies", [{ name: "Acme", tags: ["a;b"] }]);
    expect(((await refused.json()) as Bulk).results[0]).toMatchObject({
      status: "error",
      errors: [{ field: "tags[0]" }],
    });
  });

  it("a request of 250 new contacts has all its deliveries queued by the next cron run, not 100 a minute", async () => {
    const owner = await newTenant("Bulk Hooks Co");
    const key = await makeKey(owner.cookie);
    const endpoint = await addEndpoint(owner.cookie, receiverUrl("bulk-250"), ["contact.created"]);
    const records = Array.from({ length: 250 }, (_, i) => ({
      first_name: `Person ${i}`,
      emails: [`p${i}@example.com`],
    }));
    expect((await bulkOk(key, "contacts", records)).results.filter((r) => r.status === "created")).toHaveLength(250);
    const q = new HeldQueue();
    await runCron(jobEnv(q), Date.now());
    expect(q.held.filter((m) => m.type === "webhooks.deliver" && m.tenantId === owner.tenantId)).toHaveLength(250);
    // Their messages are held here, never sent: deleting the endpoint (its deliveries with it) keeps another test
    // file's cron, minutes later, from sending them again through the real queue, which every file shares.
    expect((await send(`/app/settings/webhooks/${endpoint}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(
      303,
    );
  });
});

describe("bulk upsert of companies", () => {
  it("matches by domain, normalised, and creates the rest", async () => {
    const owner = await newTenant("Bulk Companies Co");
    const key = await makeKey(owner.cookie);
    const acme = (await (
      await api("/companies", { key, method: "POST", json: { name: "Acme", domain: "acme.example" } })
    ).json()) as { id: number };
    const out = await bulkOk(key, "companies", [
      { name: "Acme Corp", domain: "https://www.ACME.example/", industry: "Anvils" },
      { name: "Globex", domain: "globex.example" },
      { name: "No Domain Ltd" },
      { domain: "nameless.example" },
    ]);
    expect(out.results.slice(0, 3).map((r) => r.status)).toEqual(["updated", "created", "created"]);
    expect(out.results[0]!.id).toBe(acme.id);
    expect(out.results[3]).toMatchObject({ status: "error" });
    const read = (await (await api(`/companies/${acme.id}`, { key })).json()) as Record<string, unknown>;
    expect(read).toMatchObject({ industry: "Anvils", domain: "acme.example" });
  });

  it("takes one company listed twice, with its domain and by its name alone, as one; same names, other domains as two", async () => {
    const owner = await newTenant("Bulk Same Company Co");
    const key = await makeKey(owner.cookie);
    const out = await bulkOk(key, "companies", [
      { name: "Initech", domain: "initech.example" },
      { name: "INITECH", industry: "Software" },
      { name: "Hooli" },
      { name: "hooli", domain: "hooli.example" },
      { name: "Acme", domain: "acme.example" },
      { name: "Acme", domain: "acme.de" },
    ]);
    expect(out.results.map((r) => r.status)).toEqual(["created", "error", "created", "error", "created", "created"]);
    expect(out.results[1]!.errors![0]!.message).toBe("Record 0 is the same company.");
    expect(out.results[3]!.errors![0]!.message).toBe("Record 2 is the same company.");
    expect(await one("SELECT count(*) AS n FROM companies WHERE tenant_id = ?", owner.tenantId)).toEqual({ n: 4 });
  });
});

describe("the bulk endpoints in the OpenAPI document", () => {
  it("describe each record by reference, and the record schemas are in the document", async () => {
    const doc = (await (await send("/api/v1/openapi.json")).json()) as {
      paths: Record<string, { post: { requestBody: { content: Record<string, { schema: unknown }> } } }>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    for (const [path, item] of [
      ["/contacts/bulk", "BulkContact"],
      ["/companies/bulk", "BulkCompany"],
    ] as const) {
      expect(JSON.stringify(doc.paths[path]!.post.requestBody.content["application/json"]!.schema)).toContain(
        `#/components/schemas/${item}`,
      );
      expect(Object.keys(doc.components.schemas[item]!.properties!)).toContain("tags");
    }
  });
});
