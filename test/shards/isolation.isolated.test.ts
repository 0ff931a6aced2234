/**
 * Tenant isolation across shards, as an attacker would try it: with two workspaces on two shards, each one's ids
 * answer 404 to the other through the pages and the API, and a forged workspace hint cookie (the one that lets the
 * list read in the session check's round trip, now naming a shard too) never shows another workspace's records.
 */
import { describe, expect, it } from "vitest";
import { api, makeKey } from "../api/helpers";
import { send } from "../helpers/http";
import { moveWhole, seededWorkspace } from "./helpers";

/** The browser's cookies with the workspace hint replaced by `value`. */
const withHint = (cookie: string, value: string) =>
  `${cookie
    .split("; ")
    .filter((c) => !c.startsWith("__Host-tenant="))
    .join("; ")}; __Host-tenant=${value}`;

describe("two workspaces on two shards", () => {
  it("answer 404 for each other's records, and a forged hint shows only the session's own workspace", async () => {
    const a = await seededWorkspace("Shard One Ltd");
    const b = await seededWorkspace("Shard Two Ltd");
    await moveWhole(a.tenantId, "SHARD_1");
    await moveWhole(b.tenantId, "SHARD_2");
    const [theirs] = b.contacts;

    expect((await send(`/app/contacts/${theirs}`, { cookie: a.cookie })).status).toBe(404);
    expect((await send(`/app/contacts/${theirs}/edit`, { cookie: a.cookie })).status).toBe(404);
    const edit = await send(`/app/contacts/${theirs}`, { cookie: a.cookie, form: { first_name: "Hijacked" } });
    expect(edit.status).toBe(404);
    const key = await makeKey(a.cookie, { scope: "read_write" });
    expect((await api(`/contacts/${theirs}`, { key })).status).toBe(404);
    expect((await api(`/contacts/${theirs}`, { key, method: "PATCH", json: { first_name: "Hijacked" } })).status).toBe(
      404,
    );
    const theirPage = await send(`/app/contacts/${theirs}`, { cookie: b.cookie });
    expect(await theirPage.text()).not.toContain("Hijacked");

    // The hint names B's workspace and shard: the session is A's, so A's list is read again and shown.
    for (const hint of [`${b.tenantId}.SHARD_2`, `${b.tenantId}.SHARD_1`, `${a.tenantId}.SHARD_2`, "garbage.SHARD_9"]) {
      const page = await send("/app/contacts", { cookie: withHint(a.cookie, hint) });
      expect(page.status, hint).toBe(200);
      const html = await page.text();
      expect(html, hint).toContain("ShardOneLtd");
      expect(html, hint).not.toContain("ShardTwoLtd");
    }
  }, 120_000);
});
