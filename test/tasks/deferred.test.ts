/**
 * My tasks reads with the session check in one round trip (deferSessionCheck): "me" is the session's
 * user and "today" the request's zone until the session says otherwise. Whatever the cookies claim, the
 * page shows the signed-in user's own tasks of their active workspace, on their own day.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { COOKIES } from "../../src/lib/cookies";
import { cookieHeader, send, textOf } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { memberOf, newTenant } from "../helpers/tenants";
import { addTask, sectionOf, todayIn } from "./helpers";

/** The cookie a browser holds after a page: the session and the workspace hint. */
async function withHint(cookie: string) {
  const full = cookieHeader(await send("/app", { cookie }), cookie);
  expect(full).toContain(`${COOKIES.workspace.name}=`);
  return full;
}

describe("my tasks in one round trip", () => {
  it("reads the page and the session in one batch, and shows only the reader's own tasks", async () => {
    const a = await newTenant("One trip");
    const colleague = await memberOf(a.tenantId, "member");
    await addTask(a.cookie, { title: "Owner's errand", due_date: todayIn("UTC") });
    await addTask(colleague.cookie, { title: "Colleague's errand", due_date: todayIn("UTC") });
    const cookie = await withHint(colleague.cookie);
    const counting = countingDb();
    const res = await send("/app/tasks?assignee=all", { cookie, env: { DB: counting.binding } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(sectionOf(html, "today")).toContain("Colleague&#39;s errand");
    expect(html).not.toContain("Owner&#39;s errand");
    const mine = await send("/app/tasks", { cookie, env: { DB: counting.binding } });
    expect(await mine.text()).toContain("Colleague&#39;s errand");
    const trips = countingDb();
    await send("/app/tasks", { cookie, env: { DB: trips.binding } });
    expect(trips.roundTrips.count).toBe(1);
  });

  it("answers a forged workspace hint with the session's own workspace, and no session with the login", async () => {
    const a = await newTenant("Hint A");
    const b = await newTenant("Hint B");
    await addTask(a.cookie, { title: "A's private follow-up", due_date: todayIn("UTC") });
    await addTask(b.cookie, { title: "B's own follow-up", due_date: todayIn("UTC") });
    const forged = `${b.cookie}; ${COOKIES.workspace.name}=${a.tenantId}`;
    const html = await textOf("/app/tasks", { cookie: forged });
    expect(html).toContain("B&#39;s own follow-up");
    expect(html).not.toContain("A&#39;s private follow-up");
    const anonymous = await send("/app/tasks", { cookie: `${COOKIES.workspace.name}=${a.tenantId}` });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
  });

  it("reads again for a reader whose own zone is on another day than the request's", async () => {
    const a = await newTenant("Far away");
    // A zone whose date differs from UTC's right now (UTC-11 before 11:00 UTC, UTC+14 from 10:00).
    const zone = new Date().getUTCHours() < 11 ? "Pacific/Pago_Pago" : "Pacific/Kiritimati";
    expect(todayIn(zone)).not.toBe(todayIn("UTC"));
    await env.DB.prepare("UPDATE users SET time_zone = ? WHERE email = ?").bind(zone, a.email).run();
    await addTask(a.cookie, { title: "Far today", due_date: todayIn(zone) });
    await addTask(a.cookie, { title: "Far yesterday", due_date: todayIn(zone, -1) });
    const html = await textOf("/app/tasks", { cookie: await withHint(a.cookie) });
    expect(sectionOf(html, "today")).toContain("Far today");
    expect(sectionOf(html, "overdue")).toContain("Far yesterday");
  });
});
