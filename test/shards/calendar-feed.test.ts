/**
 * The calendar feed with workspaces on shards: a feed belongs to one membership, so reading it reads that
 * workspace's database and no other (docs/scale.md: nothing in a request reads two shards). Proven by breaking
 * every other database for the request: the feed still answers, with its own workspace's tasks only.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DatabaseName } from "../../src/services/shards/databases";
import { readFeed, turnOnFeed } from "../calendar/helpers";
import { send, signUp } from "../helpers/http";
import { database, directoryOf } from "./helpers";

/** A D1 binding that fails every call: a database the request must not touch. */
const broken = new Proxy(
  {},
  {
    get() {
      return () => {
        throw new Error("this database must not be read");
      };
    },
  },
) as D1Database;

async function addTask(cookie: string, title: string, shard: DatabaseName) {
  const res = await send("/app/tasks", { cookie, form: { title, due_date: "2026-12-24" } });
  expect(res.status).toBe(303);
  const row = await database(shard).prepare("SELECT id FROM tasks WHERE title = ?").bind(title).first<number>("id");
  expect(row, `${title} is on ${shard}`).not.toBeNull();
}

const workspacesOf = async (email: string) =>
  (
    await env.DB.prepare(
      "SELECT m.tenant_id AS id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ? ORDER BY m.created_at",
    )
      .bind(email)
      .all<{ id: string }>()
  ).results.map((r) => r.id);

describe("a member of two workspaces on two shards", () => {
  it("has a feed for each, and reading one reads only its workspace's shard", async () => {
    const owner = await signUp({ company_name: "Feeds On Zero" }, { env: { PLACEMENT_TARGETS: "SHARD_0" } });
    await addTask(owner.cookie, "Call the plumber about the feed", "SHARD_0");
    const zero = await turnOnFeed(owner.cookie);

    const made = await send("/app/workspaces", {
      cookie: owner.cookie,
      form: { name: "Feeds On One" },
      env: { PLACEMENT_TARGETS: "SHARD_1" },
    });
    expect(made.status).toBe(303);
    const [first, second] = await workspacesOf(owner.email);
    expect(await directoryOf(first!)).toEqual({ shard: "SHARD_0", state: "active" });
    expect(await directoryOf(second!)).toEqual({ shard: "SHARD_1", state: "active" });
    await addTask(owner.cookie, "Send the quote for the feed", "SHARD_1");
    const one = await turnOnFeed(owner.cookie);
    expect(one).not.toBe(zero);

    const everyOther = (keep: DatabaseName) =>
      Object.fromEntries(
        (["SHARD_0", "SHARD_1", "SHARD_2"] as const).filter((n) => n !== keep).map((n) => [n, broken]),
      ) as Partial<Cloudflare.Env>;
    for (const [path, shard, mine, theirs] of [
      [zero, "SHARD_0", "Call the plumber about the feed", "Send the quote for the feed"],
      [one, "SHARD_1", "Send the quote for the feed", "Call the plumber about the feed"],
    ] as const) {
      const res = await send(path, { env: everyOther(shard) });
      const text = await res.text();
      expect(res.status, text.slice(0, 200)).toBe(200);
      expect(text).toContain(`SUMMARY:${mine}`);
      expect(text).not.toContain(theirs);
    }
    // The feed's own shard broken: it fails, rather than answering an empty calendar.
    expect((await send(zero, { env: { SHARD_0: broken } })).status).toBe(500);
    // Without any broken binding, as a calendar app reads it.
    expect((await readFeed(one)).text).toContain("my tasks in Feeds On One");
  }, 120_000);
});
