/**
 * Who a task is given to: a member, admin or owner, never a viewer (who cannot complete it), on the form, the API and
 * the bulk reassign; a member made a viewer hands their open tasks to the owner, as one removed does.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, makeKey, problemOf } from "../api/helpers";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { addTask, taskRow, userIdOf } from "./helpers";

describe("a viewer as assignee", () => {
  it("is not offered, and is refused by the form, the API and the bulk reassign with the field's message", async () => {
    const a = await newTenant("No viewer tasks");
    const viewer = await memberOf(a.tenantId, "viewer");
    const member = await memberOf(a.tenantId, "member");
    const viewerId = await userIdOf(viewer.email);
    const memberId = await userIdOf(member.email);
    // The form and the tasks page (its filter and bulk reassign) list the member, not the viewer.
    const form = await textOf("/app/tasks/new", { cookie: a.cookie });
    expect(form).toContain(member.email);
    expect(form).not.toContain(viewer.email);
    const task = await addTask(a.cookie, { title: "Chase the invoice" });
    const page = await textOf("/app/tasks", { cookie: a.cookie });
    expect(page).toContain(`value="${memberId}"`);
    expect(page).not.toContain(viewerId);

    const created = await send("/app/tasks", {
      cookie: a.cookie,
      form: { title: "For the viewer", due_date: "2031-01-10", assignee: viewerId },
    });
    expect(created.status).toBe(422);
    expect(await created.text()).toContain("Choose someone from the list.");
    const edited = await send(`/app/tasks/${task.id}`, {
      cookie: a.cookie,
      form: { title: "Chase the invoice", due_date: "2026-12-24", assignee: viewerId },
    });
    expect(edited.status).toBe(422);
    expect(await edited.text()).toContain("Choose someone from the list.");

    const key = await makeKey(a.cookie);
    const byApi = await api("/tasks", {
      key,
      method: "POST",
      json: { title: "API for the viewer", due_date: "2031-01-10", assignee_id: viewerId },
    });
    expect(byApi.status).toBe(422);
    expect((await problemOf(byApi)).errors?.map((e) => e.field)).toEqual(["assignee_id"]);
    const patched = await api(`/tasks/${task.id}`, { key, method: "PATCH", json: { assignee_id: viewerId } });
    expect(patched.status).toBe(422);
    expect((await problemOf(patched)).errors?.map((e) => e.field)).toEqual(["assignee_id"]);

    const bulk = await send("/app/tasks/bulk", {
      cookie: a.cookie,
      form: { action: "reassign", assignee: viewerId, ids: String(task.id) },
    });
    expect(bulk.status).toBe(400);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM tasks WHERE assignee_id = ?").bind(viewerId).first(),
    ).toEqual({ n: 0 });
    // A member still takes one, on each of them.
    const toMember = await send("/app/tasks/bulk", {
      cookie: a.cookie,
      form: { action: "reassign", assignee: memberId, ids: String(task.id) },
    });
    expect(toMember.headers.get("Location")).toContain("n=1");
    expect((await taskRow(task.id))!.assignee_id).toBe(memberId);

    // A task given to them before (while a member, or before viewers were refused): its form still shows them,
    // chosen, so saving another change does not hand it to someone else.
    const legacy = await addTask(a.cookie, { title: "Given long ago" });
    await env.DB.prepare("UPDATE tasks SET assignee_id = ? WHERE id = ?").bind(viewerId, legacy.id).run();
    const legacyForm = await textOf(`/app/tasks/${legacy.id}/edit`, { cookie: a.cookie });
    expect(legacyForm).toMatch(new RegExp(`<option value="${viewerId}" selected="">`));
    const kept = await send(`/app/tasks/${legacy.id}`, {
      cookie: a.cookie,
      form: { title: "Given long ago, renamed", due_date: "2026-12-24", assignee: viewerId },
    });
    expect(kept.status).toBe(303);
    expect((await taskRow(legacy.id))!.assignee_id).toBe(viewerId);
  });

  it("made of a member hands their open tasks to the owner (reminded in the owner's zone); their done ones stay theirs", async () => {
    const a = await newTenant("Demoted");
    const member = await memberOf(a.tenantId, "member");
    await env.DB.prepare("UPDATE users SET time_zone = 'Asia/Tokyo' WHERE email = ?").bind(member.email).run();
    const memberId = await userIdOf(member.email);
    const ownerId = await userIdOf(a.email);
    const open = await addTask(member.cookie, { title: "Open one", due_date: "2031-06-02", remind: "0" });
    expect(new Date(open.remind_at!).toISOString()).toBe("2031-06-01T23:00:00.000Z");
    const done = await addTask(member.cookie, { title: "Done one" });
    expect((await send(`/app/tasks/${done.id}/complete`, { cookie: member.cookie, form: {} })).status).toBe(303);

    const res = await send(`/app/settings/team/members/${memberId}/role`, {
      cookie: a.cookie,
      form: { role: "viewer" },
    });
    expect(res.headers.get("Location")).toBe("/app/settings/team?notice=role_changed");
    expect(await taskRow(open.id)).toMatchObject({ assignee_id: ownerId, status: "open" });
    expect(new Date((await taskRow(open.id))!.remind_at!).toISOString()).toBe("2031-06-02T08:00:00.000Z");
    expect(await taskRow(done.id)).toMatchObject({ assignee_id: memberId, status: "done" });
    // Made a member again, they take new tasks; the handed-over one stays the owner's.
    await send(`/app/settings/team/members/${memberId}/role`, { cookie: a.cookie, form: { role: "member" } });
    expect(await addTask(a.cookie, { title: "Back at work", assignee: memberId })).toMatchObject({
      assignee_id: memberId,
    });
    expect((await taskRow(open.id))!.assignee_id).toBe(ownerId);
  });
});
