/**
 * What the import and the bulk API store, the company form and PATCH accept again: a long industry or address,
 * and an owner who has since left the workspace. Such a company stays editable, and a save never drops its owner.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { api, makeKey, problemOf } from "../api/helpers";
import { companyRow } from "./helpers";

/** What a browser submits for a select: its selected option, else its first. */
function submittedSelect(html: string, name: string): string {
  const select = html.match(new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`))?.[1] ?? "";
  const options = [...select.matchAll(/<option value="([^"]*)"( selected="")?>/g)];
  return (options.find((o) => o[2]) ?? options[0])?.[1] ?? "";
}

const htmlText = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The edit form's values as a browser would post them back unchanged (text inputs, textareas, selects). */
async function editFormAsIs(cookie: string, id: number): Promise<{ html: string; form: Record<string, string> }> {
  const res = await send(`/app/companies/${id}/edit`, { cookie });
  expect(res.status).toBe(200);
  const html = await res.text();
  const form: Record<string, string> = {};
  for (const m of html.matchAll(/<input([^>]*)>/g)) {
    const name = m[1]!.match(/name="([^"]+)"/)?.[1];
    const type = m[1]!.match(/type="([^"]+)"/)?.[1] ?? "text";
    if (!name || ["checkbox", "submit"].includes(type)) continue;
    form[name] = htmlText(m[1]!.match(/value="([^"]*)"/)?.[1] ?? "");
  }
  for (const m of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
    form[m[1]!] = htmlText(m[2]!);
  for (const name of ["size", "owner_id"]) form[name] = submittedSelect(html, name);
  return { html, form };
}

describe("a company stored by the bulk API with values longer than the form used to take", () => {
  it("is changed by PATCH {name} and saved by its edit form, its long industry and address kept", async () => {
    const owner = await newTenant("Long Values Co");
    const key = await makeKey(owner.cookie);
    const industry = "Precision mechanical calculating engines and assorted difference machinery ".repeat(2).trim();
    const address = `${"Dorset Street 1, Marylebone, London ".repeat(22).trim()}`;
    expect(industry.length).toBeGreaterThan(100);
    expect(address.length).toBeGreaterThan(500);
    const bulk = await api("/companies/bulk", {
      key,
      method: "POST",
      json: { records: [{ name: "Babbage", industry, address }] },
    });
    expect(bulk.status, await bulk.clone().text()).toBe(200);
    const [result] = ((await bulk.json()) as { results: { status: string; id: number }[] }).results;
    expect(result!.status).toBe("created");
    const id = result!.id;

    const patched = await api(`/companies/${id}`, { key, method: "PATCH", json: { name: "Babbage & Co" } });
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect(await patched.json()).toMatchObject({ name: "Babbage & Co", industry, address });

    const { html, form } = await editFormAsIs(owner.cookie, id);
    expect(html).toMatch(/name="industry"[^>]*maxlength="(\d+)"/);
    expect(Number(html.match(/name="industry"[^>]*maxlength="(\d+)"/)![1])).toBeGreaterThanOrEqual(industry.length);
    const saved = await send(`/app/companies/${id}`, { cookie: owner.cookie, form: { ...form, name: "Babbage Ltd" } });
    expect(saved.status, await saved.clone().text()).toBe(303);
    expect(await companyRow(id)).toMatchObject({ name: "Babbage Ltd", industry, address });
  });
});

describe("a company whose owner left the workspace", () => {
  async function ownedByFormerMember() {
    const owner = await newTenant("Former Owner Co");
    const key = await makeKey(owner.cookie);
    const member = await memberOf(owner.tenantId, "member");
    const memberId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?")
      .bind(member.email)
      .first<string>("id"))!;
    const created = await api("/companies", { key, method: "POST", json: { name: "Globex", owner_id: memberId } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const removed = await send(`/app/settings/team/members/${memberId}/remove`, { cookie: owner.cookie, form: {} });
    expect(removed.status).toBe(303);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM memberships WHERE tenant_id = ? AND user_id = ?")
        .bind(owner.tenantId, memberId)
        .first("n"),
    ).toBe(0);
    return { owner, key, member, memberId, id };
  }

  it("keeps them through a PATCH that does not change the owner; another non-member is still refused", async () => {
    const { key, memberId, id } = await ownedByFormerMember();
    const patched = await api(`/companies/${id}`, { key, method: "PATCH", json: { name: "Globex Corp" } });
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect(await patched.json()).toMatchObject({ name: "Globex Corp", owner_id: memberId });
    const same = await api(`/companies/${id}`, { key, method: "PATCH", json: { industry: "Gas", owner_id: memberId } });
    expect(same.status).toBe(200);

    const outsider = await newTenant("Not A Member Co");
    const outsiderId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?")
      .bind(outsider.email)
      .first<string>("id"))!;
    const refused = await api(`/companies/${id}`, { key, method: "PATCH", json: { owner_id: outsiderId } });
    expect(refused.status).toBe(422);
    expect((await problemOf(refused)).errors?.map((e) => e.field)).toEqual(["owner_id"]);
    expect(await companyRow(id)).toMatchObject({ owner_id: memberId, industry: "Gas" });
  });

  it("shows them in the edit form as a former member, selected, so saving keeps them and records no owner change", async () => {
    const { owner, member, memberId, id } = await ownedByFormerMember();
    const { html, form } = await editFormAsIs(owner.cookie, id);
    expect(html).toContain(`<option value="${memberId}" selected="">${member.email} (former member)</option>`);
    expect(form.owner_id).toBe(memberId);
    const saved = await send(`/app/companies/${id}`, { cookie: owner.cookie, form: { ...form, industry: "Gas" } });
    expect(saved.status, await saved.clone().text()).toBe(303);
    expect(await companyRow(id)).toMatchObject({ owner_id: memberId, industry: "Gas" });
    const detail = await env.DB.prepare(
      "SELECT detail FROM activities WHERE subject_type = 'company' AND subject_id = ? AND kind = 'updated'",
    )
      .bind(id)
      .first<string>("detail");
    expect(JSON.parse(detail!)).toEqual({ industry: [null, "Gas"] });
  });
});
