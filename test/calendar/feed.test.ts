/**
 * The private calendar feed: turned on from the profile, read by a calendar app with no cookie at
 * /cal/<secret>.ics, valid iCalendar by RFC 5545's rules (CRLF, folding at 75 octets, escaping, UID,
 * DTSTAMP, UTC times), only the user's own open tasks and deals in workspaces they still belong to;
 * a rotated, revoked or made-up address is the plain 404.
 */
import { env } from "cloudflare:workers";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { calendarFeedStatements, FEED_TASK_LIMIT } from "../../src/services/calendar/feed";
import { createContact } from "../contacts/contact-helpers";
import { insertDeal, userIdOf } from "../deals/data-helpers";
import { GOOD_PASSWORD, send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { eventsOf, insertTask, readFeed, turnOnFeed, unescapeText, unfold } from "./helpers";

const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

async function feedRow(userId: string) {
  return env.DB.prepare("SELECT secret_hash, created_at, last_read_at FROM calendar_feeds WHERE user_id = ?")
    .bind(userId)
    .first<{ secret_hash: string; created_at: number; last_read_at: number | null }>();
}

describe("the calendar feed", () => {
  it("carries the member's open tasks and open deals' close dates in one workspace as valid iCalendar, and nothing else", async () => {
    const owner = await newTenant("Feed Co");
    const member = await memberOf(owner.tenantId, "member");
    const memberId = await userIdOf(member.email);
    const ownerId = await userIdOf(owner.email);
    const ownWorkspace = (await env.DB.prepare(
      "SELECT tenant_id AS id FROM memberships WHERE user_id = ? AND tenant_id <> ?",
    )
      .bind(memberId, owner.tenantId)
      .first<{ id: string }>())!.id;
    const stranger = await newTenant("Not Theirs Co");
    const ada = await createContact(owner.cookie, {
      first_name: "Ada",
      last_name: "Lovelace",
      emails: "ada.private@example.com",
      phones: "+14155550123",
    });
    // Long, with every character TEXT escapes, and multi-byte characters where the folds fall.
    const title = `Call back; ask about the engine, the C:\\path\nand then 🚀 ${"Ünïcödé 🎉 ".repeat(8)}done`;
    const timed = await insertTask(owner.tenantId, {
      title,
      assigneeId: memberId,
      dueDate: "2026-12-05",
      dueTime: "15:04",
      timeZone: "Europe/Berlin",
      dueAt: Date.UTC(2026, 11, 5, 14, 4),
      description: "SECRET DESCRIPTION",
      subject: { type: "contact", id: ada },
    });
    const dated = await insertTask(ownWorkspace, {
      title: "Send the contract",
      assigneeId: memberId,
      dueDate: "2026-12-24",
    });
    await insertTask(owner.tenantId, {
      title: "Already done",
      assigneeId: memberId,
      dueDate: "2026-12-06",
      status: "done",
    });
    await insertTask(owner.tenantId, { title: "The owner's own task", assigneeId: ownerId, dueDate: "2026-12-06" });
    await insertTask(stranger.tenantId, { title: "Not their workspace", assigneeId: memberId, dueDate: "2026-12-06" });
    const deal = await insertDeal(owner.tenantId, { name: "Engine No. 2", ownerId: memberId, closeDate: "2027-01-15" });
    await insertDeal(owner.tenantId, {
      name: "Won already",
      ownerId: memberId,
      closeDate: "2027-01-16",
      status: "won",
    });
    await insertDeal(owner.tenantId, { name: "Undated deal", ownerId: memberId });
    await insertDeal(owner.tenantId, { name: "The owner's deal", ownerId, closeDate: "2027-01-17" });

    const path = await turnOnFeed(member.cookie);
    const { status, text, res } = await readFeed(path);
    expect(status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("no-store");

    // RFC 5545 3.1: CRLF only, each line at most 75 octets, folds never inside a character.
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const physical = text.split("\r\n").slice(0, -1);
    for (const line of physical) {
      expect(encoder.encode(line).length, line).toBeLessThanOrEqual(75);
      expect(line).not.toMatch(LONE_SURROGATE);
    }
    expect(physical.filter((l) => l.startsWith(" ")).length).toBeGreaterThan(2);
    const lines = unfold(text);
    expect(lines.slice(0, 2)).toEqual(["BEGIN:VCALENDAR", "VERSION:2.0"]);
    expect(lines).toContain("CALSCALE:GREGORIAN");
    expect(lines.some((l) => l.startsWith("PRODID:"))).toBe(true);
    expect(lines).toContain("X-WR-CALNAME:CustomerTrackr: my tasks in Feed Co");
    expect(lines.at(-1)).toBe("END:VCALENDAR");

    const events = eventsOf(text);
    expect(events.map((e) => e.UID).sort()).toEqual([`task-${timed}@localhost`, `deal-${deal}@localhost`].sort());
    for (const e of events) expect(e.DTSTAMP, e.UID).toMatch(/^\d{8}T\d{6}Z$/);
    const timedEvent = events.find((e) => e.UID === `task-${timed}@localhost`)!;
    expect(timedEvent.DTSTART).toBe("20261205T140400Z");
    expect(timedEvent.DTEND).toBe("20261205T143400Z");
    expect(unescapeText(timedEvent.SUMMARY!)).toBe(`${title} — Ada Lovelace`);
    expect(timedEvent.SUMMARY).toContain("Call back\\; ask about the engine\\, the C:\\\\path\\nand then");
    const open = (path: string) =>
      `http://localhost/app/workspaces/open/${owner.tenantId}?to=${encodeURIComponent(path)}`;
    expect(timedEvent.URL).toBe(open(`/app/contacts/${ada}`));
    const dealEvent = events.find((e) => e.UID === `deal-${deal}@localhost`)!;
    expect(dealEvent["DTSTART;VALUE=DATE"]).toBe("20270115");
    expect(unescapeText(dealEvent.SUMMARY!)).toContain("Engine No. 2");
    expect(dealEvent.URL).toBe(open(`/app/deals/${deal}`));

    for (const absent of [
      "Send the contract", // their own workspace's: in that workspace's feed (below)
      "Already done",
      "owner's own",
      "Not their workspace",
      "Won already",
      "Undated deal",
      "owner's deal",
      "ada.private@example.com",
      "4155550123",
      "SECRET DESCRIPTION",
      member.email,
    ])
      expect(text, absent).not.toContain(absent);

    // Only the secret's hash is stored; reading the feed noted when, at most hourly.
    const row = (await feedRow(memberId))!;
    const secret = path.slice("/cal/".length, -".ics".length);
    expect(row.secret_hash).not.toContain(secret);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.last_read_at).not.toBeNull();
    await readFeed(path);
    expect((await feedRow(memberId))!.last_read_at).toBe(row.last_read_at);
    await env.DB.prepare("UPDATE calendar_feeds SET last_read_at = last_read_at - 3600001 WHERE user_id = ?")
      .bind(memberId)
      .run();
    await readFeed(path);
    expect((await feedRow(memberId))!.last_read_at).toBeGreaterThan(row.last_read_at! - 3600001);

    // Their other workspace has a feed of its own, turned on while in it: its tasks only, its own address.
    const switched = await send("/app/workspaces/switch", { cookie: member.cookie, form: { tenant_id: ownWorkspace } });
    expect(switched.status).toBe(303);
    expect(await textOf("/app/settings/profile", { cookie: member.cookie })).toContain("Turn on the calendar feed");
    const ownPath = await turnOnFeed(member.cookie);
    expect(ownPath).not.toBe(path);
    const own = await readFeed(ownPath);
    expect(unfold(own.text)).toContain("X-WR-CALNAME:CustomerTrackr: my tasks in Own workspace of a member");
    const ownEvents = eventsOf(own.text);
    expect(ownEvents.map((e) => e.UID)).toEqual([`task-${dated}@localhost`]);
    expect(ownEvents[0]!["DTSTART;VALUE=DATE"]).toBe("20261224");
    expect(ownEvents[0]!["DTEND;VALUE=DATE"]).toBe("20261225");
    expect(ownEvents[0]!.SUMMARY).toBe("Send the contract");
    expect((await readFeed(path)).text).not.toContain("Send the contract");
  });

  it("links each event to its record in the feed's workspace, even from a browser working in another one", async () => {
    const owner = await newTenant("Linked Feed Co");
    const member = await memberOf(owner.tenantId, "member");
    const memberId = await userIdOf(member.email);
    const ownWorkspace = (await env.DB.prepare(
      "SELECT tenant_id AS id FROM memberships WHERE user_id = ? AND tenant_id <> ?",
    )
      .bind(memberId, owner.tenantId)
      .first<{ id: string }>())!.id;
    const ada = await createContact(owner.cookie, { first_name: "Ada", last_name: "Linked" });
    const task = await insertTask(owner.tenantId, {
      title: "Call Ada",
      assigneeId: memberId,
      dueDate: "2026-12-20",
      subject: { type: "contact", id: ada },
    });
    const deal = await insertDeal(owner.tenantId, { name: "Linked deal", ownerId: memberId, closeDate: "2027-01-15" });
    const feed = await turnOnFeed(member.cookie);
    // The browser now works in the member's own workspace, where the records' own addresses are 404s.
    expect(
      (await send("/app/workspaces/switch", { cookie: member.cookie, form: { tenant_id: ownWorkspace } })).status,
    ).toBe(303);
    expect((await send(`/app/contacts/${ada}`, { cookie: member.cookie })).status).toBe(404);

    const events = eventsOf((await readFeed(feed)).text);
    for (const [uid, record, words] of [
      [`task-${task}@localhost`, `/app/contacts/${ada}`, "Ada Linked"],
      [`deal-${deal}@localhost`, `/app/deals/${deal}`, "Linked deal"],
    ] as const) {
      const url = new URL(events.find((e) => e.UID === uid)!.URL!);
      expect(url.origin).toBe("http://localhost");
      const offer = await send(url.pathname + url.search, { cookie: member.cookie });
      expect(offer.status, uid).toBe(200);
      const html = await offer.text();
      expect(html).toContain("Switch to Linked Feed Co and open it");
      const next = html.match(/name="next" value="([^"]+)"/)![1]!;
      expect(next).toBe(record);
      const switched = await send("/app/workspaces/switch", {
        cookie: member.cookie,
        form: { tenant_id: owner.tenantId, next },
      });
      expect(switched.headers.get("Location")).toBe(record);
      expect(await textOf(record, { cookie: member.cookie })).toContain(words);
      // Back in the other workspace for the next link.
      await send("/app/workspaces/switch", { cookie: member.cookie, form: { tenant_id: ownWorkspace } });
    }
  });

  it("a new address stops the old one at once; turning it off stops it too; turning it on twice keeps the first", async () => {
    const user = await newTenant("Rotate Co");
    const userId = await userIdOf(user.email);
    await insertTask(user.tenantId, { title: "Rotate me", assigneeId: userId, dueDate: "2026-12-07" });
    const first = await turnOnFeed(user.cookie);
    expect((await readFeed(first)).text).toContain("Rotate me");

    const again = await send("/app/settings/profile/calendar-feed", { cookie: user.cookie, form: {} });
    expect(again.status).toBe(303);
    expect((await readFeed(first)).status).toBe(200);

    const second = await turnOnFeed(user.cookie, "/app/settings/profile/calendar-feed/rotate");
    expect(second).not.toBe(first);
    expect((await readFeed(first)).status).toBe(404);
    expect((await readFeed(second)).text).toContain("Rotate me");

    const off = await send("/app/settings/profile/calendar-feed/off", { cookie: user.cookie, form: {} });
    expect(off.status).toBe(303);
    expect(await feedRow(userId)).toBeNull();
    const gone = await readFeed(second);
    expect(gone.status).toBe(404);
    expect(gone.text).not.toContain("Rotate me");
    const audit = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE tenant_id = ? AND action LIKE 'calendar_feed.%' ORDER BY id",
    )
      .bind(user.tenantId)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual([
      "calendar_feed.on",
      "calendar_feed.rotated",
      "calendar_feed.off",
    ]);
  });

  it("answers a made-up, malformed or oversized address with the plain 404, never a 500", async () => {
    const user = await newTenant("Garbage Co");
    const path = await turnOnFeed(user.cookie);
    const secret = path.slice("/cal/".length, -".ics".length);
    for (const bad of [
      "/cal/x.ics",
      `/cal/${"a".repeat(500)}.ics`,
      "/cal/%00.ics",
      `/cal/${secret.slice(0, -1)}%00.ics`,
      `/cal/${"a".repeat(52)}.ics`,
      `/cal/${secret.toUpperCase()}.ics`,
      `/cal/${secret}`,
      `/cal/${secret}.ics.ics`,
      `/cal/${secret}.ICS`,
      `/cal/%2e%2e%2f${secret}.ics`,
    ]) {
      const res = await send(bad);
      expect(res.status, bad).toBe(404);
      expect(res.headers.get("Content-Type"), bad).toMatch(/^text\/html/);
    }
  });

  it("stops for a closed workspace and goes with the membership of a member removed", async () => {
    const owner = await newTenant("Leaving Co");
    const member = await memberOf(owner.tenantId, "member");
    const memberId = await userIdOf(member.email);
    await insertTask(owner.tenantId, { title: "Task while a member", assigneeId: memberId, dueDate: "2026-12-08" });
    await insertDeal(owner.tenantId, { name: "Deal while a member", ownerId: memberId, closeDate: "2027-02-01" });
    const path = await turnOnFeed(member.cookie);
    expect((await readFeed(path)).text).toContain("Task while a member");
    expect((await readFeed(path)).text).toContain("Deal while a member");

    await env.DB.prepare("UPDATE tenants SET closed_at = ? WHERE id = ?").bind(Date.now(), owner.tenantId).run();
    const closed = await readFeed(path);
    expect(closed.status).toBe(404);
    expect(closed.text).not.toContain("Task while a member");
    await env.DB.prepare("UPDATE tenants SET closed_at = NULL WHERE id = ?").bind(owner.tenantId).run();
    expect((await readFeed(path)).text).toContain("Task while a member");

    // Removed from the team by the owner, as the Team page does it.
    const removed = await send(`/app/settings/team/members/${memberId}/remove`, { cookie: owner.cookie, form: {} });
    expect(removed.status).toBe(303);
    expect(await feedRow(memberId)).toBeNull();
    const after = await readFeed(path);
    expect(after.status).toBe(404);
    expect(after.text).not.toContain("Task while a member");
    expect(after.text).not.toContain("Deal while a member");
  });

  it("goes with the account: deleting it deletes the feed, and its address stops working", async () => {
    const owner = await newTenant("Erased Co");
    const member = await memberOf(owner.tenantId, "member");
    const memberId = await userIdOf(member.email);
    // Only a member here, as an invited member is (memberOf also gave them a workspace of their own).
    await env.DB.prepare("DELETE FROM memberships WHERE user_id = ? AND tenant_id <> ?")
      .bind(memberId, owner.tenantId)
      .run();
    await insertTask(owner.tenantId, { title: "Before erasure", assigneeId: memberId, dueDate: "2026-12-09" });
    const path = await turnOnFeed(member.cookie);
    expect((await readFeed(path)).text).toContain("Before erasure");
    const deleted = await send("/app/settings/profile/delete", {
      cookie: member.cookie,
      form: { delete_password: GOOD_PASSWORD, confirm_delete: "on" },
    });
    expect(deleted.status).toBe(303);
    expect(await feedRow(memberId)).toBeNull();
    expect((await readFeed(path)).status).toBe(404);
  });

  it("is bounded: the next tasks first, read through the tenant-leading indexes", async () => {
    const user = await newTenant("Busy Co");
    const userId = await userIdOf(user.email);
    // FEED_TASK_LIMIT + 1 open tasks from tomorrow on, and one overdue: the farthest ones are left out.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
       INSERT INTO tasks (tenant_id, title, due_date, assignee_id, created_at, updated_at)
       SELECT ?1, 'Bulk ' || i, date(?4, '+' || (i / 10) || ' days'), ?2, 0, 0 FROM n`,
    )
      .bind(user.tenantId, userId, FEED_TASK_LIMIT, tomorrow)
      .run();
    await insertTask(user.tenantId, { title: "Overdue one", assigneeId: userId, dueDate: "2020-01-01" });
    const events = eventsOf((await readFeed(await turnOnFeed(user.cookie))).text);
    expect(events).toHaveLength(FEED_TASK_LIMIT);
    const titles = new Set(events.map((e) => e.SUMMARY));
    expect(titles.has("Bulk 0")).toBe(true);
    expect(titles.has(`Bulk ${FEED_TASK_LIMIT - 1}`)).toBe(true);
    expect(titles.has(`Bulk ${FEED_TASK_LIMIT}`)).toBe(false);
    expect(titles.has("Overdue one")).toBe(false);

    const dialect = new SQLiteAsyncDialect();
    const [tasksPlan, dealsPlan] = await Promise.all(
      calendarFeedStatements(user.tenantId, userId, tomorrow).map(async (s) => {
        const q = dialect.sqlToQuery(s.getSQL());
        const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
          .bind(...q.params)
          .all<{ detail: string }>();
        return rows.results.map((r) => r.detail).join(" | ");
      }),
    );
    expect(tasksPlan).toMatch(
      /SEARCH k USING INDEX tasks_tenant_assignee_idx \(tenant_id=\? AND assignee_id=\? AND status=\?/,
    );
    expect(dealsPlan).toMatch(/SEARCH d USING INDEX deals_tenant_owner_idx \(tenant_id=\? AND owner_id=\?/);
    expect(`${tasksPlan} ${dealsPlan}`).not.toMatch(/SCAN (k|d|tasks|deals)\b/);
  });
});
