/** Who may log, edit and delete a logged activity, and what another workspace's ids answer. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { HX, interactionRows, lastContacted, logThroughForm, workspaceWithRecords } from "./helpers";

/** A workspace with a call logged on its contact by a member; the member, another member, an admin, a viewer. */
async function loggedByMember(name: string) {
  const { owner, records } = await workspaceWithRecords(name);
  const author = await memberOf(owner.tenantId, "member");
  const other = await memberOf(owner.tenantId, "member");
  const admin = await memberOf(owner.tenantId, "admin");
  const viewer = await memberOf(owner.tenantId, "viewer");
  await logThroughForm(author.cookie, "contacts", records.contacts, {
    kind: "call",
    occurred_at: "2026-02-02T10:00",
    outcome: "connected",
    notes: "First words",
  });
  const [row] = await interactionRows(owner.tenantId);
  return { owner, records, author, other, admin, viewer, id: row!.id };
}

const EDIT = {
  kind: "meeting",
  occurred_at: "2026-02-03T11:00",
  duration_minutes: "45",
  outcome: "",
  notes: "Met instead",
};

describe("who changes a logged activity", () => {
  it("the one who logged it edits it: the row, the timeline and last contacted follow", async () => {
    const w = await loggedByMember("Edit Rights Co");
    const page = await textOf(`/app/interactions/${w.id}/edit`, { cookie: w.author.cookie });
    expect(page).toContain('value="2026-02-02T10:00"');
    expect(page).toContain('value="connected"');
    const res = await send(`/app/interactions/${w.id}`, { cookie: w.author.cookie, form: EDIT });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/app/contacts/${w.records.contacts}#interaction-${w.id}`);
    expect(await interactionRows(w.owner.tenantId)).toMatchObject([
      {
        kind: "meeting",
        occurred_at: Date.UTC(2026, 1, 3, 11),
        duration_minutes: 45,
        outcome: null,
        notes: "Met instead",
      },
    ]);
    expect(await lastContacted("contacts", w.records.contacts)).toBe(Date.UTC(2026, 1, 3, 11));
    const html = await textOf(`/app/contacts/${w.records.contacts}`, { cookie: w.owner.cookie });
    expect(html).toContain("Met instead");
    expect(html).toContain("edited a logged meeting");
  });

  it("another member may neither edit nor delete it (403, nothing changes), and sees no buttons for it", async () => {
    const w = await loggedByMember("Other Member Co");
    for (const [path, method, form] of [
      [`/app/interactions/${w.id}/edit`, "GET", undefined],
      [`/app/interactions/${w.id}`, "POST", EDIT],
      [`/app/interactions/${w.id}/delete`, "POST", {}],
      [`/app/interactions/${w.id}`, "DELETE", undefined],
    ] as const) {
      expect((await send(path, { method, form, cookie: w.other.cookie })).status, `${method} ${path}`).toBe(403);
    }
    expect(await interactionRows(w.owner.tenantId)).toMatchObject([{ kind: "call", notes: "First words" }]);
    const html = await textOf(`/app/contacts/${w.records.contacts}`, { cookie: w.other.cookie });
    expect(html).toContain("First words");
    expect(html).not.toContain(`/app/interactions/${w.id}/edit`);
  });

  it("an admin deletes another's: gone from the timeline, last contacted recomputed from what is left", async () => {
    const w = await loggedByMember("Admin Delete Co");
    await logThroughForm(w.other.cookie, "contacts", w.records.contacts, {
      kind: "email",
      occurred_at: "2026-01-15T09:00",
    });
    expect(await lastContacted("contacts", w.records.contacts)).toBe(Date.UTC(2026, 1, 2, 10));
    const res = await send(`/app/interactions/${w.id}`, { method: "DELETE", cookie: w.admin.cookie, headers: HX });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain("First words");
    expect((await interactionRows(w.owner.tenantId)).map((r) => r.kind)).toEqual(["email"]);
    expect(await lastContacted("contacts", w.records.contacts)).toBe(Date.UTC(2026, 0, 15, 9));
    // The last one going leaves the contact never contacted.
    const [email] = await interactionRows(w.owner.tenantId);
    expect((await send(`/app/interactions/${email!.id}/delete`, { cookie: w.owner.cookie, form: {} })).status).toBe(
      303,
    );
    expect(await lastContacted("contacts", w.records.contacts)).toBeNull();
    const html = await textOf(`/app/contacts/${w.records.contacts}`, { cookie: w.owner.cookie });
    expect(html).toContain("deleted a logged call");
  });

  it("a viewer cannot log (403, nothing written) and sees no form", async () => {
    const w = await loggedByMember("Viewer Co");
    for (const kind of ["contacts", "companies", "deals"] as const) {
      const res = await send(`/app/${kind}/${w.records[kind]}/interactions`, {
        cookie: w.viewer.cookie,
        form: { kind: "call", outcome: "connected" },
      });
      expect(res.status, kind).toBe(403);
    }
    expect(await interactionRows(w.owner.tenantId)).toHaveLength(1);
    const html = await textOf(`/app/contacts/${w.records.contacts}`, { cookie: w.viewer.cookie });
    expect(html).toContain("First words");
    expect(html).not.toContain("Log activity");
  });

  it("another workspace's record or interaction is not found (404), and nothing is written", async () => {
    const w = await loggedByMember("Victim Co");
    const intruder = await newTenant("Intruder Co");
    for (const kind of ["contacts", "companies", "deals"] as const) {
      const res = await send(`/app/${kind}/${w.records[kind]}/interactions`, {
        cookie: intruder.cookie,
        form: { kind: "call", outcome: "connected" },
      });
      expect(res.status, kind).toBe(404);
    }
    for (const [path, method, form] of [
      [`/app/interactions/${w.id}/edit`, "GET", undefined],
      [`/app/interactions/${w.id}`, "POST", EDIT],
      [`/app/interactions/${w.id}/delete`, "POST", {}],
      [`/app/interactions/${w.id}`, "DELETE", undefined],
    ] as const) {
      expect((await send(path, { method, form, cookie: intruder.cookie })).status, `${method} ${path}`).toBe(404);
    }
    const count = await env.DB.prepare("SELECT count(*) AS n FROM interactions WHERE tenant_id = ?")
      .bind(intruder.tenantId)
      .first<{ n: number }>();
    expect(count!.n).toBe(0);
    expect(await interactionRows(w.owner.tenantId)).toMatchObject([{ kind: "call", notes: "First words" }]);
  });
});
