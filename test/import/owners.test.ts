/**
 * The Owner column as other CRMs write it: Pipedrive's "Deal - Owner" and HubSpot's "Deal owner" hold names,
 * not emails. A name links the one member who goes by it (any case); an owner that names no member (or two)
 * is listed in the preview and the result, as unknown companies and contacts are, never dropped unsaid.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { importFile, jobId, upload, waitFor } from "./helpers";

async function setName(cookie: string, name: string) {
  expect((await send("/app/settings/profile/name", { cookie, form: { name } })).status).toBe(303);
}

async function userId(email: string): Promise<string> {
  return (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>())!.id;
}

/** The "not in this workspace" section of an import's page, as text. */
function unlinkedSection(page: string): string {
  const start = page.indexOf('id="unlinked-heading"');
  return start < 0 ? "" : page.slice(start, page.indexOf("</section>", start));
}

describe("imports: owners by name", () => {
  it("a deal's owner named as a member's display name links that member; an unknown name is listed, in the preview and after", async () => {
    const owner = await newTenant();
    await setName(owner.cookie, "Jane Admin");
    const id = jobId(
      await upload(owner.cookie, "Name,Amount,Currency,Deal owner\nX,10,USD,jane ADMIN\nY,20,USD,Nobody Known\n", {
        kind: "deals",
      }),
    );
    expect(await waitFor(id, ["ready", "failed"])).toMatchObject({ status: "ready", new_count: 2, invalid_count: 0 });
    const listed =
      /<td data-label="Row">2<\/td>\s*<td data-label="Deal">Y<\/td>\s*<td data-label="What">owner<\/td>\s*<td data-label="Named in the file">Nobody Known<\/td>/;
    const previewed = unlinkedSection(await textOf(`/app/import/${id}`, { cookie: owner.cookie }));
    expect(previewed).toContain("These deals will be imported without the company, contact or owner");
    expect(previewed).toMatch(listed);
    expect((await send(`/app/import/${id}/commit`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    expect((await waitFor(id, ["done", "failed"])).status).toBe("done");
    const deals = await env.DB.prepare("SELECT name, owner_id FROM deals WHERE tenant_id = ? ORDER BY id")
      .bind(owner.tenantId)
      .all();
    expect(deals.results).toEqual([
      { name: "X", owner_id: await userId(owner.email) },
      { name: "Y", owner_id: null },
    ]);
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    const section = unlinkedSection(page);
    expect(section).toContain("Companies, contacts and owners not in this workspace");
    expect(section).toMatch(listed);
    expect(section).not.toContain("jane ADMIN");
    const review = await textOf(`/app/import/${id}/review.csv`, { cookie: owner.cookie });
    expect(review).toContain("2,Y,Imported without this owner: no member of that email or name,,,owner,,Nobody Known");
  });

  it("the preview lists a contact's owner no member goes by, and a name two members share links neither", async () => {
    const owner = await newTenant();
    await setName(owner.cookie, "Jane Admin");
    const member = await memberOf(owner.tenantId, "member");
    await setName(member.cookie, "Sam Lee");
    const twin = await memberOf(owner.tenantId, "member");
    await setName(twin.cookie, "sam lee");
    const res = await importFile(
      owner.cookie,
      "First name,Last name,Contact owner\nAda,Lovelace,Jane Admin\nAlan,Turing,Sam Lee\nGrace,Hopper,Nobody Known\n",
    );
    expect(res.result.status).toBe("done");
    const contacts = await env.DB.prepare("SELECT first_name, owner_id FROM contacts WHERE tenant_id = ? ORDER BY id")
      .bind(owner.tenantId)
      .all();
    expect(contacts.results).toEqual([
      { first_name: "Ada", owner_id: await userId(owner.email) },
      { first_name: "Alan", owner_id: null },
      { first_name: "Grace", owner_id: null },
    ]);
    const section = unlinkedSection(await textOf(`/app/import/${res.id}`, { cookie: owner.cookie }));
    expect(section).toContain("Owners not in this workspace");
    expect(section).toContain("Sam Lee");
    expect(section).toContain("Nobody Known");
    expect(section).not.toContain("Jane Admin");
  });
});
