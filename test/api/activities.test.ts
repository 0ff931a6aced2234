/**
 * /api/v1/activities as a client sees it: a call, meeting or email logged on a record through the app's
 * interactions service (the record's last contact, the timeline), listing by record, partial edits, validation
 * naming every field with nothing written, deletion, and another workspace's activity a 404.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newTenant } from "../helpers/tenants";
import { api, makeKey, problemOf } from "./helpers";

type Activity = { id: number; kind: string; occurred_at: string; outcome: string | null; notes: string | null };

async function logged(key: string, json: unknown): Promise<Activity> {
  const res = await api("/activities", { key, method: "POST", json });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Activity;
}

async function recordOf(key: string, path: string, json: unknown): Promise<number> {
  return ((await (await api(path, { key, method: "POST", json })).json()) as { id: number }).id;
}

const lastContacted = (id: number) =>
  env.DB.prepare("SELECT last_contacted_at FROM contacts WHERE id = ?")
    .bind(id)
    .first<number | null>("last_contacted_at");

describe("API activities", () => {
  it("log a call on a contact as the app does, list a record's, edit in part and delete", async () => {
    const owner = await newTenant("Activities API Co");
    const key = await makeKey(owner.cookie);
    const ada = await recordOf(key, "/contacts", { first_name: "Ada" });
    const deal = await recordOf(key, "/deals", { name: "Renewal" });
    const call = await logged(key, {
      subject_type: "contact",
      subject_id: ada,
      kind: "call",
      occurred_at: "2026-12-01T09:15:00+01:00",
      duration_minutes: 12,
      outcome: "Left voicemail",
    });
    expect(call).toMatchObject({
      subject_type: "contact",
      subject_id: ada,
      kind: "call",
      occurred_at: "2026-12-01T08:15:00.000Z",
      duration_minutes: 12,
      outcome: "voicemail",
      logged_by: expect.any(String),
    });
    expect(await lastContacted(ada)).toBe(Date.parse("2026-12-01T08:15:00Z"));
    const meeting = await logged(key, { subject_type: "deal", subject_id: deal, kind: "meeting", notes: "Demo" });
    const ofAda = (await (await api(`/activities?subject_type=contact&subject_id=${ada}`, { key })).json()) as {
      data: Activity[];
    };
    expect(ofAda.data.map((a) => a.id)).toEqual([call.id]);
    const all = (await (await api("/activities", { key })).json()) as { data: Activity[] };
    expect(all.data.map((a) => a.id)).toEqual([call.id, meeting.id]);

    const edited = await api(`/activities/${call.id}`, {
      key,
      method: "PATCH",
      json: { outcome: "connected", notes: "Yes" },
    });
    expect(await edited.json()).toMatchObject({ outcome: "connected", notes: "Yes", duration_minutes: 12 });
    const kinds = await env.DB.prepare(
      "SELECT kind FROM activities WHERE tenant_id = ? AND subject_type = 'contact' AND subject_id = ? ORDER BY id",
    )
      .bind(owner.tenantId, ada)
      .all<{ kind: string }>();
    expect(kinds.results.map((r) => r.kind)).toContain("call_edited");

    expect((await api(`/activities/${call.id}`, { key, method: "DELETE" })).status).toBe(204);
    expect((await api(`/activities/${call.id}`, { key })).status).toBe(404);
    expect(await lastContacted(ada)).toBeNull();
  });

  it("refuse bad bodies with every field named and another workspace's record or activity, writing nothing", async () => {
    const owner = await newTenant("Activities API Bad");
    const other = await newTenant("Activities API Other");
    const key = await makeKey(owner.cookie);
    const otherKey = await makeKey(other.cookie);
    const theirs = await recordOf(otherKey, "/contacts", { first_name: "Theirs" });
    const theirCall = await logged(otherKey, { subject_type: "contact", subject_id: theirs, kind: "email" });
    const ours = await recordOf(key, "/contacts", { first_name: "Ours" });
    const fields = async (method: string, path: string, json: unknown) => {
      const res = await api(path, { key, method, json });
      expect(res.status, JSON.stringify(json)).toBe(422);
      return (await problemOf(res)).errors!.map((e) => e.field).sort();
    };
    expect(await fields("POST", "/activities", { kind: "call", duration_minutes: 5000 })).toEqual([
      "duration_minutes",
      "outcome",
      "subject_id",
      "subject_type",
    ]);
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    expect(
      await fields("POST", "/activities", {
        subject_type: "contact",
        subject_id: ours,
        kind: "meeting",
        occurred_at: future,
      }),
    ).toEqual(["occurred_at"]);
    expect(await fields("POST", "/activities", { subject_type: "contact", subject_id: theirs, kind: "email" })).toEqual(
      ["subject_id"],
    );
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await api(`/activities/${theirCall.id}`, {
        key,
        method,
        json: method === "PATCH" ? { notes: "x" } : undefined,
      });
      expect(res.status, method).toBe(404);
    }
    const rows = await env.DB.prepare("SELECT tenant_id, notes FROM interactions WHERE tenant_id IN (?, ?)")
      .bind(owner.tenantId, other.tenantId)
      .all();
    expect(rows.results).toEqual([{ tenant_id: other.tenantId, notes: null }]);
  });
});
