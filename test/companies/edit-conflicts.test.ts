/**
 * A company edit based on an old version (the form opened before someone else saved, or before a merge filled it
 * in; a PATCH whose read went stale) is refused with 409 and writes nothing: it never wipes the newer values.
 * Races are made with the real D1 binding (test/helpers/batch-race.ts).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { raceBeforeBatch } from "../helpers/batch-race";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { api, makeKey, problemOf } from "../api/helpers";
import { companyRow, createCompanyThroughForm, crmSnapshot, insertContact, insertField, insertTag } from "./helpers";

const versionOf = (html: string) => html.match(/name="version" value="(\d+)"/)?.[1] ?? null;

async function editForm(cookie: string, id: number) {
  const res = await send(`/app/companies/${id}/edit`, { cookie });
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(versionOf(html)).toMatch(/^\d+$/);
  return { html, version: versionOf(html)! };
}

const tagIdsOf = async (id: number) =>
  (
    await env.DB.prepare("SELECT tag_id FROM company_tags WHERE company_id = ? ORDER BY tag_id")
      .bind(id)
      .all<{ tag_id: number }>()
  ).results.map((r) => r.tag_id);

describe("editing a company someone else changed meanwhile", () => {
  it("refuses the old form with 409 after another save changed its domain and tags, keeping theirs", async () => {
    const owner = await newTenant("Stale Edit Co");
    const vip = await insertTag(owner.tenantId, "VIP");
    const lead = await insertTag(owner.tenantId, "Lead");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Acme", industry: "Anvils", tag_ids: String(vip) });
    const mine = await editForm(owner.cookie, id);
    const theirs = await editForm(owner.cookie, id);

    // Someone else saves first: a domain and another tag.
    const first = await send(`/app/companies/${id}`, {
      cookie: owner.cookie,
      form: {
        version: theirs.version,
        name: "Acme",
        industry: "Anvils",
        domain: "acme.example",
        tag_ids: String(lead),
      },
    });
    expect(first.status).toBe(303);
    const before = await crmSnapshot(owner.tenantId);

    // My form, opened before their save, changes only the industry; it would have blanked their domain and tag.
    const stale = await send(`/app/companies/${id}`, {
      cookie: owner.cookie,
      form: { version: mine.version, name: "Acme", industry: "Rockets", tag_ids: String(vip) },
    });
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html).toContain("Someone else changed this company since you opened it");
    expect(html).toContain('value="Rockets"'); // what I typed is kept in the form
    const newVersion = versionOf(html);
    expect(newVersion).not.toBeNull();
    expect(newVersion).not.toBe(mine.version);
    expect(await crmSnapshot(owner.tenantId)).toEqual(before);
    expect(await companyRow(id)).toMatchObject({ domain: "acme.example", industry: "Anvils" });
    expect(await tagIdsOf(id)).toEqual([lead]);

    // Saving again from the refreshed form replaces their change, deliberately.
    const again = await send(`/app/companies/${id}`, {
      cookie: owner.cookie,
      form: { version: newVersion!, name: "Acme", industry: "Rockets", domain: "acme.example", tag_ids: String(lead) },
    });
    expect(again.status).toBe(303);
    expect(await companyRow(id)).toMatchObject({ domain: "acme.example", industry: "Rockets" });
  });

  it("refuses a form opened before a merge filled the company in, so the merged domain stays", async () => {
    const owner = await newTenant("Merge Then Edit Co");
    const kept = await createCompanyThroughForm(owner.cookie, { name: "Acme" });
    const other = await createCompanyThroughForm(owner.cookie, { name: "ACME", domain: "acme.example" });
    const mine = await editForm(owner.cookie, kept);

    const review = await (await send(`/app/companies/${kept}/merge?with=${other}`, { cookie: owner.cookie })).text();
    const value = (name: string) => review.match(new RegExp(`name="${name}" value="(\\d+)"`))![1]!;
    const merged = await send(`/app/companies/${kept}/merge`, {
      cookie: owner.cookie,
      form: { with: String(other), kept_version: value("kept_version"), merged_version: value("merged_version") },
    });
    expect(merged.status).toBe(303);
    expect(await companyRow(kept)).toMatchObject({ domain: "acme.example" });

    const stale = await send(`/app/companies/${kept}`, {
      cookie: owner.cookie,
      form: { version: mine.version, name: "Acme", industry: "Anvils" },
    });
    expect(stale.status).toBe(409);
    expect(await companyRow(kept)).toMatchObject({ domain: "acme.example", industry: null });
  });

  it("writes nothing of a save that loses the race between its read and its write: no tag, value, rename or entry", async () => {
    const owner = await newTenant("Edit Race Co");
    const vip = await insertTag(owner.tenantId, "VIP");
    const tier = await insertField(owner.tenantId, "company", "Tier");
    const region = await insertField(owner.tenantId, "company", "Region");
    const id = await createCompanyThroughForm(owner.cookie, {
      name: "Acme",
      tag_ids: String(vip),
      [`cf_${region}`]: "West",
    });
    await insertContact(owner.tenantId, "Wile", "Coyote", { id, name: "Acme" });
    const mine = await editForm(owner.cookie, id);
    let meanwhile: Awaited<ReturnType<typeof crmSnapshot>> | null = null;
    // Another save lands after this request read the company and just before its batch.
    const DB = raceBeforeBatch(env.DB, /^update "companies"/i, async () => {
      await env.DB.prepare(
        "UPDATE companies SET domain = 'meanwhile.example', updated_at = updated_at + 1000000 WHERE id = ?",
      )
        .bind(id)
        .run();
      meanwhile = await crmSnapshot(owner.tenantId);
    });
    const res = await send(`/app/companies/${id}`, {
      cookie: owner.cookie,
      // A rename (its contacts' copy), a new tag, untagging VIP, a value set and a value cleared.
      form: { version: mine.version, name: "Acme Corp", new_tag: "Fresh", [`cf_${tier}`]: "Gold" },
      env: { DB },
    });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("Someone else changed this company since you opened it");
    expect(meanwhile).not.toBeNull();
    expect(await crmSnapshot(owner.tenantId)).toEqual(meanwhile);
  });
});

describe("PATCH /api/v1/companies/{id} racing another change", () => {
  it("answers 409 conflict and writes nothing when the company changed after the request read it", async () => {
    const owner = await newTenant("Patch Race Co");
    const key = await makeKey(owner.cookie);
    const vip = await insertTag(owner.tenantId, "VIP");
    const created = await api("/companies", { key, method: "POST", json: { name: "Acme", tag_ids: [vip] } });
    const { id } = (await created.json()) as { id: number };
    let meanwhile: Awaited<ReturnType<typeof crmSnapshot>> | null = null;
    const DB = raceBeforeBatch(env.DB, /^update "companies"/i, async () => {
      await env.DB.prepare(
        "UPDATE companies SET domain = 'meanwhile.example', updated_at = updated_at + 1000000 WHERE id = ?",
      )
        .bind(id)
        .run();
      meanwhile = await crmSnapshot(owner.tenantId);
    });
    const res = await api(`/companies/${id}`, {
      key,
      method: "PATCH",
      json: { name: "Acme Corp", industry: "Anvils", tag_ids: [] },
      env: { DB },
    });
    expect(res.status).toBe(409);
    expect((await problemOf(res)).code).toBe("conflict");
    expect(await crmSnapshot(owner.tenantId)).toEqual(meanwhile);
    expect(await companyRow(id)).toMatchObject({ name: "Acme", domain: "meanwhile.example", industry: null });

    // Read again and retried: it applies.
    const retried = await api(`/companies/${id}`, { key, method: "PATCH", json: { industry: "Anvils" } });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ domain: "meanwhile.example", industry: "Anvils" });
  });
});
