/**
 * /api/v1/notes as a client sees it: a Markdown note on a record through the app's notes service (a member's
 * @email becomes their mention and tells them; note.created; the timeline), listing by record, editing the
 * body, validation naming every field with nothing written, the trash, isolation.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { memberOf, newTenant } from "../helpers/tenants";
import { addEndpoint, eventsOf, receiverUrl } from "../webhooks/helpers";
import { api, makeKey, problemOf } from "./helpers";

type Note = { id: number; subject_type: string; subject_id: number; body: string; author: string | null };

async function created(key: string, json: unknown): Promise<Note> {
  const res = await api("/notes", { key, method: "POST", json });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Note;
}

async function recordOf(key: string, path: string, json: unknown): Promise<number> {
  return ((await (await api(path, { key, method: "POST", json })).json()) as { id: number }).id;
}

const notifications = (tenantId: string) =>
  env.DB.prepare("SELECT user_id, note_id FROM notifications WHERE tenant_id = ? ORDER BY id").bind(tenantId).all();

describe("API notes", () => {
  it("add a note with a mention as the app does, list a record's notes, edit and delete to the trash", async () => {
    const owner = await newTenant("Notes API Co");
    const key = await makeKey(owner.cookie);
    const member = await memberOf(owner.tenantId, "member");
    await addEndpoint(owner.cookie, receiverUrl("notes-api"), ["note.created"]);
    const ada = await recordOf(key, "/contacts", { first_name: "Ada" });
    const deal = await recordOf(key, "/deals", { name: "Renewal" });

    const note = await created(key, {
      subject_type: "contact",
      subject_id: ada,
      body: `**Called.** Over to @${member.email} for the quote.`,
    });
    expect(note).toMatchObject({ subject_type: "contact", subject_id: ada, author: owner.email });
    // The address became the member's mention, and they were told.
    expect(note.body).not.toContain(`@${member.email}`);
    const memberId = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(member.email).first("id");
    expect((await notifications(owner.tenantId)).results).toEqual([{ user_id: memberId, note_id: note.id }]);
    expect((await eventsOf(owner.tenantId)).map((e) => e.type)).toEqual(["note.created"]);

    const onDeal = await created(key, { subject_type: "deal", subject_id: deal, body: "Budget approved." });
    const ofAda = (await (await api(`/notes?subject_type=contact&subject_id=${ada}`, { key })).json()) as {
      data: Note[];
    };
    expect(ofAda.data.map((n) => n.id)).toEqual([note.id]);
    const all = (await (await api("/notes", { key })).json()) as { data: Note[] };
    expect(all.data.map((n) => n.id)).toEqual([note.id, onDeal.id]);

    const edited = await api(`/notes/${onDeal.id}`, { key, method: "PATCH", json: { body: "Budget approved: 12k." } });
    expect(await edited.json()).toMatchObject({ id: onDeal.id, body: "Budget approved: 12k.", subject_id: deal });
    const kinds = await env.DB.prepare(
      "SELECT kind FROM activities WHERE tenant_id = ? AND subject_type = 'deal' AND subject_id = ? ORDER BY id",
    )
      .bind(owner.tenantId, deal)
      .all<{ kind: string }>();
    expect(kinds.results.map((r) => r.kind)).toEqual(["created", "note_added", "note_edited"]);

    expect((await api(`/notes/${onDeal.id}`, { key, method: "DELETE" })).status).toBe(204);
    expect((await api(`/notes/${onDeal.id}`, { key })).status).toBe(404);
    const trashed = await env.DB.prepare("SELECT kind FROM trash_items WHERE tenant_id = ? AND record_id = ?")
      .bind(owner.tenantId, onDeal.id)
      .first("kind");
    expect(trashed).toBe("note");
  });

  it("refuse bad bodies with every field named and another workspace's record or note, writing nothing", async () => {
    const owner = await newTenant("Notes API Bad");
    const other = await newTenant("Notes API Other");
    const key = await makeKey(owner.cookie);
    const otherKey = await makeKey(other.cookie);
    const theirs = await recordOf(otherKey, "/contacts", { first_name: "Theirs" });
    const theirNote = await created(otherKey, { subject_type: "contact", subject_id: theirs, body: "Private" });
    const ours = await recordOf(key, "/contacts", { first_name: "Ours" });
    const note = await created(key, { subject_type: "contact", subject_id: ours, body: "Kept" });
    const fields = async (method: string, path: string, json: unknown) => {
      const res = await api(path, { key, method, json });
      expect(res.status, JSON.stringify(json)).toBe(422);
      return (await problemOf(res)).errors!.map((e) => e.field).sort();
    };
    expect(await fields("POST", "/notes", { body: "" })).toEqual(["body", "subject_id", "subject_type"]);
    expect(await fields("POST", "/notes", { subject_type: "contact", subject_id: theirs, body: "x" })).toEqual([
      "subject_id",
    ]);
    expect(
      await fields("POST", "/notes", { subject_type: "contact", subject_id: ours, body: "x".repeat(20_001) }),
    ).toEqual(["body"]);
    expect(await fields("PATCH", `/notes/${note.id}`, { subject_id: theirs, body: "" })).toEqual([
      "body",
      "subject_id",
    ]);
    expect(await fields("GET", "/notes?subject_type=deal", undefined)).toEqual(["subject_id"]);
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await api(`/notes/${theirNote.id}`, {
        key,
        method,
        json: method === "PATCH" ? { body: "x" } : undefined,
      });
      expect(res.status, method).toBe(404);
    }
    const rows = await env.DB.prepare("SELECT tenant_id, body FROM notes WHERE tenant_id IN (?, ?) ORDER BY id")
      .bind(owner.tenantId, other.tenantId)
      .all();
    expect(rows.results).toEqual([
      { tenant_id: other.tenantId, body: "Private" },
      { tenant_id: owner.tenantId, body: "Kept" },
    ]);
  });
});
