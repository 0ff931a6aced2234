/**
 * Two requests on one note, or on a note and its record, at once: each write holds only if what it
 * checked is still there when its batch runs, so counters, the timeline and the trash stay true.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { raceBeforeBatch } from "../helpers/batch-race";
import { memberOf, newTenant } from "../helpers/tenants";
import { counters, createCompanyThroughForm } from "../companies/helpers";
import { companyWithNote } from "./helpers";

const HX = { "HX-Request": "true" };

async function count(sql: string, ...binds: unknown[]) {
  return (await env.DB.prepare(sql)
    .bind(...binds)
    .first<number>("n"))!;
}

const occurrences = (html: string, text: string) => html.split(text).length - 1;

describe("a note changed by two requests at once", () => {
  it("deleting the same note twice at once lowers the counter and the timeline by one", async () => {
    const owner = await newTenant("Double Delete");
    const { company, noteId } = await companyWithNote(owner, "Twice", "First note");
    await send(`/app/companies/${company}/notes`, { cookie: owner.cookie, form: { body: "Second note" } });
    expect((await counters(owner.tenantId)).notes).toBe(2);

    const answers = await Promise.all([
      send(`/app/notes/${noteId}`, { cookie: owner.cookie, method: "DELETE", headers: HX }),
      send(`/app/notes/${noteId}`, { cookie: owner.cookie, method: "DELETE", headers: HX }),
    ]);
    // One delete did it; the other found it gone.
    expect(answers.map((r) => r.status).sort()).toEqual([200, 404]);
    expect((await counters(owner.tenantId)).notes).toBe(1);
    const html = await textOf(`/app/companies/${company}`, { cookie: owner.cookie });
    expect(html).toContain("Second note");
    expect(html).not.toContain("First note");
    expect(occurrences(html, "deleted a note")).toBe(1);
    expect(await count("SELECT count(*) AS n FROM trash_items WHERE tenant_id = ?", owner.tenantId)).toBe(1);
  });

  it("the second of two deletes whose checks both passed finds nothing: 404, counted once", async () => {
    const owner = await newTenant("Late Delete");
    const { company, noteId } = await companyWithNote(owner, "Late", "Only note");
    // The first request's batch waits until a second delete has run whole.
    const other = () => send(`/app/notes/${noteId}`, { cookie: owner.cookie, method: "DELETE", headers: HX });
    const DB = raceBeforeBatch(env.DB, /delete from "notes"/i, other);
    const late = await send(`/app/notes/${noteId}`, {
      cookie: owner.cookie,
      method: "DELETE",
      headers: HX,
      env: { DB },
    });
    expect(late.status).toBe(404);
    expect((await counters(owner.tenantId)).notes).toBe(0);
    const html = await textOf(`/app/companies/${company}`, { cookie: owner.cookie });
    expect(occurrences(html, "deleted a note")).toBe(1);
  });

  it("an edit whose note is deleted before it is saved answers 404, not 500, and tells no one", async () => {
    const owner = await newTenant("Edit Meets Delete");
    const colleague = await memberOf(owner.tenantId, "member");
    const { company, noteId } = await companyWithNote(owner, "Edited", "Draft");
    const remove = () => send(`/app/notes/${noteId}`, { cookie: owner.cookie, method: "DELETE", headers: HX });
    const DB = raceBeforeBatch(env.DB, /update "notes"/i, remove);
    const res = await send(`/app/notes/${noteId}`, {
      cookie: owner.cookie,
      form: { body: `Over to you @${colleague.email}` },
      headers: HX,
      env: { DB },
    });
    expect(res.status).toBe(404);
    expect(await count("SELECT count(*) AS n FROM notifications WHERE tenant_id = ?", owner.tenantId)).toBe(0);
    const html = await textOf(`/app/companies/${company}`, { cookie: owner.cookie });
    expect(html).not.toContain("edited a note");
    expect(occurrences(html, "deleted a note")).toBe(1);
  });

  it("a note added to a record deleted after its page loaded answers 404 and leaves no orphan", async () => {
    const owner = await newTenant("Note Meets Delete");
    const company = await createCompanyThroughForm(owner.cookie, { name: "Going" });
    const remove = () => send(`/app/companies/${company}`, { cookie: owner.cookie, method: "DELETE", headers: HX });
    const DB = raceBeforeBatch(env.DB, /insert into "?notes"?/i, remove);
    const res = await send(`/app/companies/${company}/notes`, {
      cookie: owner.cookie,
      form: { body: "Too late" },
      headers: HX,
      env: { DB },
    });
    expect(res.status).toBe(404);
    expect(await count("SELECT count(*) AS n FROM notes WHERE tenant_id = ?", owner.tenantId)).toBe(0);
    expect((await counters(owner.tenantId)).notes).toBe(0);
    expect(await count("SELECT count(*) AS n FROM webhook_events WHERE tenant_id = ?", owner.tenantId)).toBe(0);
    expect((await send(`/app/companies/${company}`, { cookie: owner.cookie })).status).toBe(404);
  });

  it("a note restored while its company is deleted at the same moment stays in the trash: 409, nothing back", async () => {
    const owner = await newTenant("Restore Meets Delete");
    const { company, noteId } = await companyWithNote(owner, "Vanishing", "Bring me back");
    await send(`/app/notes/${noteId}/delete`, { cookie: owner.cookie, form: {} });
    const item = await count("SELECT id AS n FROM trash_items WHERE kind = 'note' AND record_id = ?", noteId);
    // The restore checked the company; its batch runs only after the company went to the trash.
    const remove = () => send(`/app/companies/${company}/delete`, { cookie: owner.cookie, form: {} });
    const DB = raceBeforeBatch(env.DB, /insert into "notes"/i, remove);
    const res = await send(`/app/trash/${item}/restore`, { cookie: owner.cookie, form: {}, env: { DB } });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("Its company Vanishing is in the trash too: restore the company first.");
    expect(await count("SELECT count(*) AS n FROM notes WHERE id = ?", noteId)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM trash_items WHERE id = ?", item)).toBe(1);
    expect((await counters(owner.tenantId)).notes).toBe(0);
    expect(
      await count(
        "SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND action = 'record.restored'",
        owner.tenantId,
      ),
    ).toBe(0);
  });
});
