/** Notes through real requests: add, edit, delete, who may, counters, the timeline, escaping and links. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { auditOf, counters, createCompanyThroughForm, insertContact, searchContacts } from "../companies/helpers";
import { noteRoutes } from "./helpers";

const HX = { "HX-Request": "true" };

async function notes(tenantId: string) {
  return (
    await env.DB.prepare(
      "SELECT id, subject_type, subject_id, author_id, body, created_at, updated_at FROM notes WHERE tenant_id = ? ORDER BY id",
    )
      .bind(tenantId)
      .all<Record<string, unknown>>()
  ).results;
}

async function userId(email: string) {
  return (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>())!.id;
}

async function addNote(cookie: string, path: string, body: string) {
  const res = await send(`${path}/notes`, { cookie, form: { body } });
  expect(res.status, await res.clone().text()).toBe(303);
  return res;
}

async function noteIds(tenantId: string) {
  return (await notes(tenantId)).map((n) => n.id as number);
}

describe("adding notes", () => {
  it("adds a note to a company: redirect back, counter, activity, last activity, and the timeline shows it", async () => {
    const owner = await newTenant("Notes Co");
    const member = await memberOf(owner.tenantId, "member");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Noted" });
    const before = (await env.DB.prepare("SELECT last_activity_at FROM companies WHERE id = ?")
      .bind(id)
      .first<number>("last_activity_at"))!;
    const res = await addNote(member.cookie, `/app/companies/${id}`, "  First call went well.\nFollow up Tuesday.  ");
    expect(res.headers.get("Location")).toBe(`/app/companies/${id}#timeline-company-${id}`);
    const [note] = await notes(owner.tenantId);
    expect(note).toMatchObject({
      subject_type: "company",
      subject_id: id,
      author_id: await userId(member.email),
      body: "First call went well.\nFollow up Tuesday.",
    });
    expect((await counters(owner.tenantId)).notes).toBe(1);
    expect(
      await env.DB.prepare("SELECT kind FROM activities WHERE subject_type = 'company' AND subject_id = ? ORDER BY id")
        .bind(id)
        .all(),
    ).toMatchObject({ results: [{ kind: "created" }, { kind: "note_added" }] });
    expect(
      await env.DB.prepare("SELECT last_activity_at FROM companies WHERE id = ?")
        .bind(id)
        .first<number>("last_activity_at"),
    ).toBeGreaterThanOrEqual(before);

    const html = await textOf(`/app/companies/${id}`, { cookie: owner.cookie });
    expect(html).toContain("<p>First call went well.<br>\nFollow up Tuesday.</p>");
    expect(html).toContain(`<article aria-label="Note by ${member.email}">`);
    expect(html).toContain("added a note");
    // Newest first: the note, then its "added a note" entry, then "created".
    expect(html.indexOf("First call went well")).toBeLessThan(html.indexOf("added a note"));
    expect(html.indexOf("added a note")).toBeLessThan(html.indexOf("created this record"));
  });

  it("adds a note to a contact, and the contacts search finds its words", async () => {
    const owner = await newTenant("Contact Notes");
    const contact = await insertContact(owner.tenantId, "Ada", "Lovelace");
    await addNote(owner.cookie, `/app/contacts/${contact}`, "Discussed the analytical engine");
    expect(await notes(owner.tenantId)).toMatchObject([{ subject_type: "contact", subject_id: contact }]);
    expect(await searchContacts(owner.tenantId, "analyt")).toEqual([contact]);
    expect((await counters(owner.tenantId)).notes).toBe(1);
  });

  it("with htmx, answers with the refreshed timeline fragment (and the form's error when refused)", async () => {
    const owner = await newTenant("Htmx Notes");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Fragments" });
    const res = await send(`/app/companies/${id}/notes`, {
      cookie: owner.cookie,
      form: { body: "Via htmx" },
      headers: HX,
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith(`<section class="timeline card" id="timeline-company-${id}"`)).toBe(true);
    expect(html).toContain("Via htmx");
    expect(html).toContain(`hx-post="/app/companies/${id}/notes"`);
    expect(html).toContain(`hx-target="#timeline-company-${id}"`);

    const bad = await send(`/app/companies/${id}/notes`, { cookie: owner.cookie, form: { body: "   " }, headers: HX });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain(`id="timeline-company-${id}-body-error"`);
    expect(badHtml).toContain(`aria-describedby="timeline-company-${id}-body-error timeline-company-${id}-body-hint"`);
    expect(badHtml).toContain("Enter note.");
    expect(await noteIds(owner.tenantId)).toHaveLength(1);
  });

  it.each([
    ["", "Enter note."],
    ["x".repeat(20_001), "at most 20000 characters"],
    ["bad\u0000byte", "cannot store"],
  ])("refuses the body %# with 422, the message beside the field, and stores nothing", async (body, message) => {
    const owner = await newTenant("Bad Notes");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Refuses" });
    const res = await send(`/app/companies/${id}/notes`, { cookie: owner.cookie, form: { body } });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('aria-describedby="note-new-body-error"');
    expect(html.match(/<p class="field-error" id="note-new-body-error">([^<]*)<\/p>/)?.[1]).toContain(message);
    expect(await notes(owner.tenantId)).toEqual([]);
    expect((await counters(owner.tenantId)).notes).toBe(0);
  });

  it("shows HTML and scripts as text, links http(s) URLs safely, and never links javascript:", async () => {
    const owner = await newTenant("Escape Notes");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Escapes" });
    await addNote(
      owner.cookie,
      `/app/companies/${id}`,
      `<b>bold</b> <script>alert(1)</script>\nSee https://example.com/a?b=1&c=2. And javascript:alert(1) or <a href="https://evil.example">x</a>`,
    );
    const html = await textOf(`/app/companies/${id}`, { cookie: owner.cookie });
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;<br>");
    expect(html).not.toContain("<b>bold</b>");
    expect(html).not.toContain("<script>alert");
    expect(html).toContain(
      '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow ugc" target="_blank">https://example.com/a?b=1&amp;c=2</a>.',
    );
    expect(html).not.toContain('href="javascript:');
    expect(html).not.toContain('<a href="https://evil.example">');
  });
});

describe("editing and deleting notes", () => {
  async function setup() {
    const owner = await newTenant("Note Rights");
    const author = await memberOf(owner.tenantId, "member");
    const other = await memberOf(owner.tenantId, "member");
    const admin = await memberOf(owner.tenantId, "admin");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Rights" });
    await addNote(author.cookie, `/app/companies/${id}`, "Author's note");
    const [noteId] = await noteIds(owner.tenantId);
    return { owner, author, other, admin, id, noteId: noteId! };
  }

  it("lets the author edit (a form page without JavaScript), records it, and marks the note edited", async () => {
    const { owner, author, id, noteId } = await setup();
    const form = await send(`/app/notes/${noteId}/edit`, { cookie: author.cookie });
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(formHtml).toContain(`action="/app/notes/${noteId}"`);
    expect(formHtml).toContain("Author&#39;s note");
    const res = await send(`/app/notes/${noteId}`, { cookie: author.cookie, form: { body: "Edited by author" } });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/app/companies/${id}#note-${noteId}`);
    expect(await notes(owner.tenantId)).toMatchObject([{ body: "Edited by author" }]);
    expect(
      await env.DB.prepare(
        "SELECT count(*) AS n FROM activities WHERE subject_type = 'company' AND subject_id = ? AND kind = 'note_edited'",
      )
        .bind(id)
        .first("n"),
    ).toBe(1);
    const html = await textOf(`/app/companies/${id}`, { cookie: owner.cookie });
    expect(html).toContain("Edited by author");
    expect(html).toContain("edited a note");
    expect((await counters(owner.tenantId)).notes).toBe(1);

    const bad = await send(`/app/notes/${noteId}`, { cookie: author.cookie, form: { body: "" } });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain(`id="note-${noteId}-body-error"`);
    expect(await notes(owner.tenantId)).toMatchObject([{ body: "Edited by author" }]);
  });

  it("edits inline with htmx: the form replaces the note, and saving swaps the whole timeline back", async () => {
    const { author, id, noteId } = await setup();
    const form = await send(`/app/notes/${noteId}/edit`, { cookie: author.cookie, headers: HX });
    const formHtml = await form.text();
    expect(formHtml.startsWith(`<li class="timeline-note editing" id="note-${noteId}">`)).toBe(true);
    expect(formHtml).toContain(`hx-target="#note-${noteId}"`);
    const res = await send(`/app/notes/${noteId}`, {
      cookie: author.cookie,
      form: { body: "Inline edit" },
      headers: HX,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("HX-Retarget")).toBe(`#timeline-company-${id}`);
    expect(res.headers.get("HX-Reswap")).toBe("outerHTML");
    expect(await res.text()).toContain("Inline edit");
    const bad = await send(`/app/notes/${noteId}`, { cookie: author.cookie, form: { body: "" }, headers: HX });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("HX-Retarget")).toBeNull();
    expect((await bad.text()).startsWith(`<li class="timeline-note editing"`)).toBe(true);
  });

  it("refuses another member (403, audited, nothing changed) and shows them no controls; admins and owners may", async () => {
    const { owner, other, admin, id, noteId } = await setup();
    const page = await textOf(`/app/companies/${id}`, { cookie: other.cookie });
    expect(page).toContain("Author's note");
    expect(page).not.toContain(`/app/notes/${noteId}/edit`);
    expect(page).not.toContain(`/app/notes/${noteId}/delete`);
    for (const [path, method, form] of noteRoutes(noteId, "Hijacked")) {
      const res = await send(path, { cookie: other.cookie, method, form });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect(await notes(owner.tenantId)).toMatchObject([{ body: "Author's note" }]);
    const denied = await auditOf(owner.tenantId, "permission.denied");
    expect(denied.filter((d) => d.target_type === "note")).toHaveLength(4);

    const adminPage = await textOf(`/app/companies/${id}`, { cookie: admin.cookie });
    expect(adminPage).toContain(`/app/notes/${noteId}/edit`);
    expect((await send(`/app/notes/${noteId}`, { cookie: admin.cookie, form: { body: "Moderated" } })).status).toBe(
      303,
    );
    expect(await notes(owner.tenantId)).toMatchObject([{ body: "Moderated" }]);
    expect((await send(`/app/notes/${noteId}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    expect(await notes(owner.tenantId)).toEqual([]);
  });

  it("deletes: the counter follows, the timeline records it, and htmx gets the refreshed timeline", async () => {
    const { owner, author, id, noteId } = await setup();
    await addNote(author.cookie, `/app/companies/${id}`, "Second note");
    expect((await counters(owner.tenantId)).notes).toBe(2);
    const res = await send(`/app/notes/${noteId}/delete`, { cookie: author.cookie, form: {} });
    expect(res.status).toBe(303);
    // The record's page, with the Undo of the note just moved to the trash.
    expect(res.headers.get("Location")).toMatch(
      new RegExp(`^/app/companies/${id}\\?trashed=\\d+#timeline-company-${id}$`),
    );
    expect((await counters(owner.tenantId)).notes).toBe(1);
    const [second] = await noteIds(owner.tenantId);
    const hx = await send(`/app/notes/${second}`, { cookie: author.cookie, method: "DELETE", headers: HX });
    expect(hx.status).toBe(200);
    const html = await hx.text();
    // The Undo first, then the refreshed timeline (htmx puts both where the timeline was).
    expect(html.startsWith('<div class="flash ok trash-undo" role="status">')).toBe(true);
    expect(html).toContain(`<section class="timeline card" id="timeline-company-${id}"`);
    expect(html).not.toContain("Second note");
    expect(html).toContain("deleted a note");
    expect((await counters(owner.tenantId)).notes).toBe(0);
    expect(await notes(owner.tenantId)).toEqual([]);
    // Deleting again: gone.
    expect((await send(`/app/notes/${second}`, { cookie: author.cookie, method: "DELETE", headers: HX })).status).toBe(
      404,
    );
    expect((await counters(owner.tenantId)).notes).toBe(0);
  });

  it("a viewer sees notes but no form and no controls", async () => {
    const { owner, id } = await setup();
    const viewer = await memberOf(owner.tenantId, "viewer");
    const html = await textOf(`/app/companies/${id}`, { cookie: viewer.cookie });
    expect(html).toContain("Author's note");
    expect(html).not.toContain("Add a note");
    expect(html).not.toContain("/edit");
  });
});
