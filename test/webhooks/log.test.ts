/**
 * An endpoint's delivery log as its admin reads and works it: 100 deliveries a page with Older links through the
 * whole 30 days, a status filter, times to the minute in the workspace's zone, and "Replay failed deliveries",
 * which re-queues this endpoint's failed ones in one bounded UPDATE (the sweep sends them), once. Replays on a
 * disabled endpoint are refused, with nothing queued.
 */
import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { post } from "../contacts/contact-helpers";
import { send } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { statementsProblems } from "../helpers/query-plans";
import { newTenant } from "../helpers/tenants";
import { HeldQueue, jobEnv } from "../jobs/helpers";
import { addEndpoint, receiverUrl } from "./helpers";

const DAY = 86_400_000;
const hex = () => crypto.randomUUID().replaceAll("-", "");

interface Seed {
  status: "pending" | "succeeded" | "failed";
  at: number;
  attempts?: number;
  next?: number;
}

const seeded = new Set<string>();

// The files of a worker share its storage and its one queue: deliveries left pending here would be sent by any
// later file's cron run, a thousand queue messages in the way of that file's own jobs.
afterAll(async () => {
  await env.DB.prepare("DELETE FROM webhook_deliveries WHERE endpoint_id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify([...seeded]))
    .run();
});

/** Writes deliveries of `endpoint` as the consumer leaves them (each with an event of its own); returns their ids. */
async function seed(tenantId: string, endpoint: string, rows: Seed[]): Promise<string[]> {
  seeded.add(endpoint);
  const items = rows.map((r) => ({
    id: hex(),
    event: `msg_${hex()}`,
    status: r.status,
    at: r.at,
    attempts: r.attempts ?? (r.status === "pending" ? 0 : 1),
    next: r.next ?? r.at,
    last: r.status === "succeeded" ? 200 : r.status === "failed" ? 500 : null,
    response: r.status === "failed" ? "receiver failed with 500" : null,
  }));
  for (let i = 0; i < items.length; i += 500) {
    const json = JSON.stringify(items.slice(i, i + 500));
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO webhook_events (id, tenant_id, type, payload, created_at)
         SELECT json_extract(value, '$.event'), ?, 'webhook.test', '{}', json_extract(value, '$.at') FROM json_each(?)`,
      ).bind(tenantId, json),
      env.DB.prepare(
        `INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, status, attempts, next_attempt_at,
           queued_at, last_status, duration_ms, response, created_at, updated_at)
         SELECT json_extract(value, '$.id'), ?, ?, json_extract(value, '$.event'), json_extract(value, '$.status'),
           json_extract(value, '$.attempts'), json_extract(value, '$.next'), json_extract(value, '$.at'),
           json_extract(value, '$.last'), 12, json_extract(value, '$.response'), json_extract(value, '$.at'),
           json_extract(value, '$.at')
         FROM json_each(?)`,
      ).bind(tenantId, endpoint, json),
    ]);
  }
  return items.map((i) => i.id);
}

/** The deliveries a log page lists, by the ids in their Replay buttons, in the page's order. */
const listed = (html: string) => [...html.matchAll(/\/deliveries\/([0-9a-f]{32})\/replay/g)].map((m) => m[1]!);
const olderLink = (html: string) =>
  html.match(/<a href="([^"]*before=[^"]*)">Older<\/a>/)?.[1]?.replaceAll("&amp;", "&");

async function statusesOf(endpoint: string) {
  const rows = (
    await env.DB.prepare("SELECT status, count(*) AS n FROM webhook_deliveries WHERE endpoint_id = ? GROUP BY status")
      .bind(endpoint)
      .all<{ status: string; n: number }>()
  ).results;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

describe("the delivery log", () => {
  it("shows 100 a page with an Older link to the rest of the 30 days, by status; a bad cursor shows the first page", async () => {
    const t = await newTenant("Log Pages");
    const endpoint = await addEndpoint(t.cookie, receiverUrl("log-pages"), ["contact.created"]);
    const now = Date.now();
    const statuses = ["failed", "succeeded", "pending"] as const;
    const ids = await seed(
      t.tenantId,
      endpoint,
      Array.from({ length: 150 }, (_, i) => ({ status: statuses[i % 3]!, at: now - (i + 1) * 60_000 })),
    );
    // Past the log's 30 days: never listed.
    const [tooOld] = await seed(t.tenantId, endpoint, [{ status: "failed", at: now - 31 * DAY }]);
    const page = (query = "") => send(`/app/settings/webhooks/${endpoint}${query}`, { cookie: t.cookie });

    const first = await (await page()).text();
    expect(listed(first)).toEqual(ids.slice(0, 100));
    // Every link within the page (the filters, Older, the skip link) lands on an element of the page, not at its top.
    const here = `/app/settings/webhooks/${endpoint}`;
    const fragments = [...first.matchAll(/href="([^"#]*)#([^"]+)"/g)]
      .filter((m) => m[1] === "" || m[1]!.split("?")[0] === here)
      .map((m) => m[2]!);
    expect(fragments).toContain("deliveries-heading");
    for (const fragment of fragments) expect(first, fragment).toContain(`id="${fragment}"`);
    const older = olderLink(first);
    expect(older).toBeDefined();
    const second = await (await send(older!, { cookie: t.cookie })).text();
    expect(listed(second)).toEqual(ids.slice(100));
    expect(olderLink(second)).toBeUndefined();
    expect(second).toContain(">Newest</a>");
    expect([...listed(first), ...listed(second)]).not.toContain(tooOld);

    for (const bad of ["garbage", "1.x", `99999999999999999999.${ids[5]}`, "'; DROP TABLE webhook_deliveries;--"]) {
      const res = await page(`?before=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(200);
      expect(listed(await res.text()), bad).toEqual(ids.slice(0, 100));
    }

    // Without statistics (as on D1), an older page by status walks this endpoint's index, not the workspace.
    const counting = countingDb();
    const filtered = await send(
      `/app/settings/webhooks/${endpoint}?status=failed&before=${now - 10 * 60_000}.${ids[9]}`,
      {
        cookie: t.cookie,
        env: { DB: counting.binding },
      },
    );
    expect(listed(await filtered.text())).toEqual(ids.filter((_, i) => i % 3 === 0 && i > 9));
    expect(await statementsProblems(counting.bound, "older failed")).toEqual([]);

    const failed = await (await page("?status=failed")).text();
    expect(listed(failed)).toEqual(ids.filter((_, i) => i % 3 === 0));
    expect(failed).toContain('<strong aria-current="page">failed</strong>');
    expect(listed(await (await page("?status=succeeded")).text())).toEqual(ids.filter((_, i) => i % 3 === 1));
    expect(listed(await (await page("?status=pending")).text())).toEqual(ids.filter((_, i) => i % 3 === 2));
    expect(listed(await (await page("?status=exploded")).text())).toEqual(ids.slice(0, 100));
  });

  it("shows when each delivery was made, its next attempt and the endpoint's failing since, to the minute", async () => {
    const t = await newTenant("Log Times");
    await env.DB.batch([
      env.DB.prepare("UPDATE tenants SET time_zone = 'Asia/Tokyo', locale = 'en-GB' WHERE id = ?").bind(t.tenantId),
      env.DB.prepare("UPDATE users SET time_zone = NULL, locale = NULL WHERE email = ?").bind(t.email),
    ]);
    const endpoint = await addEndpoint(t.cookie, receiverUrl("log-times"), ["contact.created"]);
    // 14:03:27 in Tokyo (05:03:27 UTC) two days ago; its next attempt at 15:07 there.
    const day = new Date(Date.now() - 2 * DAY);
    const at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 5, 3, 27);
    await seed(t.tenantId, endpoint, [{ status: "pending", at, attempts: 2, next: at + 64 * 60_000 }]);
    await env.DB.prepare("UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?").bind(at, endpoint).run();

    const html = await (await send(`/app/settings/webhooks/${endpoint}`, { cookie: t.cookie })).text();
    const created = html.match(/<td data-label="Created"><time[^>]*>([^<]*)<\/time>/)?.[1];
    expect(created).toContain("14:03");
    expect(html.match(/Next attempt <time[^>]*>([^<]*)<\/time>/)?.[1]).toContain("15:07");
    expect(html.match(/Failing since <time[^>]*>([^<]*)<\/time>/)?.[1]).toContain("14:03");
  });
});

describe("Replay failed deliveries", () => {
  it("re-queues this endpoint's failed deliveries of 30 days in a few statements, once; others' ids are a 404", async () => {
    const t = await newTenant("Bulk Replay");
    const other = await newTenant("Bulk Replay Other");
    const endpoint = await addEndpoint(t.cookie, receiverUrl("bulk-a"), ["contact.created"]);
    const sibling = await addEndpoint(t.cookie, receiverUrl("bulk-b"), ["contact.created"]);
    const theirs = await addEndpoint(other.cookie, receiverUrl("bulk-c"), ["contact.created"]);
    const now = Date.now();
    // More than one request could re-queue one statement a row (1,000 queries, 100 bound parameters).
    const failed = await seed(
      t.tenantId,
      endpoint,
      Array.from({ length: 1_200 }, (_, i) => ({ status: "failed" as const, at: now - DAY - i * 1_000 })),
    );
    await seed(t.tenantId, endpoint, [
      ...Array.from({ length: 10 }, (_, i) => ({ status: "succeeded" as const, at: now - i * 1_000 })),
      { status: "failed", at: now - 31 * DAY },
      // Retention deletes its event in two days, before three days of retries could end: not replayed.
      { status: "failed", at: now - 28 * DAY },
    ]);
    await seed(
      t.tenantId,
      sibling,
      Array.from({ length: 5 }, () => ({ status: "failed" as const, at: now - DAY })),
    );
    await seed(
      other.tenantId,
      theirs,
      Array.from({ length: 5 }, () => ({ status: "failed" as const, at: now - DAY })),
    );

    // Another workspace's endpoint: a 404 either way round, and nothing moves.
    const q = new HeldQueue();
    expect((await send(`/app/settings/webhooks/${theirs}/replay-failed`, { cookie: t.cookie, form: {} })).status).toBe(
      404,
    );
    expect((await post(`/app/settings/webhooks/${endpoint}/replay-failed`, other.cookie, {})).status).toBe(404);
    expect(await statusesOf(theirs)).toEqual({ failed: 5 });
    expect(await statusesOf(endpoint)).toEqual({ failed: 1_202, succeeded: 10 });

    const counting = countingDb();
    const res = await send(`/app/settings/webhooks/${endpoint}/replay-failed`, {
      cookie: t.cookie,
      form: {},
      env: { ...jobEnv(q), DB: counting.binding },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(
      `/app/settings/webhooks/${endpoint}?notice=failed_replayed#deliveries-heading`,
    );
    expect(counting.roundTrips.count).toBeLessThan(20);
    // Pending again, from the start: no attempts, three days of retries from now; the old one past 30 days stays.
    const requeued = (
      await env.DB.prepare(
        "SELECT id, attempts, created_at, last_status FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending'",
      )
        .bind(endpoint)
        .all<{ id: string; attempts: number; created_at: number; last_status: number | null }>()
    ).results;
    expect(requeued.map((r) => r.id).sort()).toEqual([...failed].sort());
    expect(requeued.every((r) => r.attempts === 0 && r.created_at >= now && r.last_status === null)).toBe(true);
    expect(await statusesOf(endpoint)).toEqual({ pending: 1_200, succeeded: 10, failed: 2 });
    expect(await statusesOf(sibling)).toEqual({ failed: 5 });
    expect(await statusesOf(theirs)).toEqual({ failed: 5 });
    // Without statistics (as on D1) the UPDATE walks this endpoint's index, not the workspace's deliveries.
    expect(await statementsProblems(counting.bound, "replay failed")).toEqual([]);
    // The first hundred are sent at once; the sweep sends the rest (they are due and never queued).
    expect(q.held).toHaveLength(100);
    expect(q.held.every((m) => m.type === "webhooks.deliver" && failed.includes(m.deliveryId))).toBe(true);
    const unsent = await env.DB.prepare(
      "SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending' AND queued_at IS NULL AND next_attempt_at <= ?",
    )
      .bind(endpoint, Date.now())
      .first<{ n: number }>();
    expect(unsent!.n).toBe(1_100);

    // Pressed again: nothing is failed, nothing more is queued.
    const again = await send(`/app/settings/webhooks/${endpoint}/replay-failed`, {
      cookie: t.cookie,
      form: {},
      env: jobEnv(q),
    });
    expect(again.headers.get("Location")).toBe(
      `/app/settings/webhooks/${endpoint}?notice=none_failed#deliveries-heading`,
    );
    expect(await statusesOf(endpoint)).toEqual({ pending: 1_200, succeeded: 10, failed: 2 });
    expect(q.held).toHaveLength(100);
    const page = await (
      await send(`/app/settings/webhooks/${endpoint}?notice=none_failed`, { cookie: t.cookie })
    ).text();
    expect(page).toContain("No failed deliveries to replay from the last 27 days");
  });

  it("on a disabled endpoint, both replays are refused with why, and nothing is queued", async () => {
    const t = await newTenant("Replay Disabled");
    const endpoint = await addEndpoint(t.cookie, receiverUrl("replay-off"), ["contact.created"]);
    const ids = await seed(
      t.tenantId,
      endpoint,
      Array.from({ length: 3 }, (_, i) => ({ status: "failed" as const, at: Date.now() - (i + 1) * 60_000 })),
    );
    expect((await post(`/app/settings/webhooks/${endpoint}/disable`, t.cookie, {})).status).toBe(303);
    const q = new HeldQueue();
    for (const path of [`/${endpoint}/replay-failed`, `/deliveries/${ids[0]}/replay`]) {
      const res = await send(`/app/settings/webhooks${path}`, { cookie: t.cookie, form: {}, env: jobEnv(q) });
      expect(res.status, path).toBe(409);
      const html = await res.text();
      expect(html, path).toContain("Enable the endpoint first");
      expect(html, path).not.toContain("queued again");
    }
    expect(await statusesOf(endpoint)).toEqual({ failed: 3 });
    expect(q.held).toHaveLength(0);

    expect((await post(`/app/settings/webhooks/${endpoint}/enable`, t.cookie, {})).status).toBe(303);
    const res = await send(`/app/settings/webhooks/${endpoint}/replay-failed`, {
      cookie: t.cookie,
      form: {},
      env: jobEnv(q),
    });
    expect(res.status).toBe(303);
    expect(await statusesOf(endpoint)).toEqual({ pending: 3 });
  });
});
