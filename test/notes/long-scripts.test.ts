/**
 * Long notes in non-Latin scripts, posted as the timeline's forms post them (urlencoded, htmx): every text
 * within the 20,000-character limit is saved, and one over it is refused by the field with the text kept.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { counters, createCompanyThroughForm } from "../companies/helpers";
import { HX, interactionRows, workspaceWithRecords } from "../interactions/helpers";

/** `n` characters of a script, cycling through `alphabet` (each a single UTF-16 unit). */
const textOf = (alphabet: string, n: number) =>
  Array.from({ length: n }, (_, i) => alphabet[i % alphabet.length]).join("");
const JAPANESE = "日本語の文章を書きます顧客との打ち合わせ";
const CYRILLIC = "Встречаскиентомпрошлахорошо";

async function noteBodies(tenantId: string) {
  const rows = await env.DB.prepare("SELECT body FROM notes WHERE tenant_id = ? ORDER BY id")
    .bind(tenantId)
    .all<{ body: string }>();
  return rows.results.map((r) => r.body);
}

describe("long notes in any script", () => {
  it.each([
    ["20,000 Japanese characters", textOf(JAPANESE, 20_000)],
    ["11,000 Cyrillic characters", textOf(CYRILLIC, 11_000)],
  ])("adds a note of %s through the timeline's form: saved and shown", async (_label, body) => {
    const owner = await newTenant("Long Notes");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Long" });
    const res = await send(`/app/companies/${id}/notes`, { cookie: owner.cookie, form: { body }, headers: HX });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith(`<section class="timeline card" id="timeline-company-${id}"`)).toBe(true);
    expect(html).toContain(body);
    expect(await noteBodies(owner.tenantId)).toEqual([body]);
    expect((await counters(owner.tenantId)).notes).toBe(1);
  });

  it("edits a note to 20,000 Japanese characters in place", async () => {
    const owner = await newTenant("Long Edit");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Long edit" });
    await send(`/app/companies/${id}/notes`, { cookie: owner.cookie, form: { body: "short" }, headers: HX });
    const noteId = (await env.DB.prepare("SELECT id FROM notes WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<number>("id"))!;
    const body = textOf(JAPANESE, 20_000);
    const res = await send(`/app/notes/${noteId}`, { cookie: owner.cookie, form: { body }, headers: HX });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(body);
    expect(await noteBodies(owner.tenantId)).toEqual([body]);
  });

  it("refuses 20,001 Japanese characters with 422, the message by the field and the text kept", async () => {
    const owner = await newTenant("Too Long Notes");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Too long" });
    const body = textOf(JAPANESE, 20_001);
    const res = await send(`/app/companies/${id}/notes`, { cookie: owner.cookie, form: { body }, headers: HX });
    expect(res.status).toBe(422);
    const html = await res.text();
    // The timeline again (what htmx swaps in), its note box holding the text and the message.
    expect(html.startsWith(`<section class="timeline card" id="timeline-company-${id}"`)).toBe(true);
    expect(html).toMatch(
      new RegExp(`<p class="field-error" id="timeline-company-${id}-body-error">[^<]*at most 20000 characters`),
    );
    expect(html).toContain(`${body}</textarea>`);
    expect(await noteBodies(owner.tenantId)).toEqual([]);
  });

  it("logs a call whose notes are 20,000 Japanese characters through the timeline's form", async () => {
    const { owner, records } = await workspaceWithRecords("Long Calls");
    const notes = textOf(JAPANESE, 20_000);
    const res = await send(`/app/contacts/${records.contacts}/interactions`, {
      cookie: owner.cookie,
      form: { kind: "call", occurred_at: "", duration_minutes: "", outcome: "connected", notes },
      headers: HX,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(notes);
    expect(await interactionRows(owner.tenantId)).toMatchObject([{ kind: "call", notes }]);
  });
});
