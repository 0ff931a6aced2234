/**
 * The tenant-scoped handle: what goes through it reaches one workspace's rows only, whatever ids the
 * caller passes, and what it inserts carries that workspace's id.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { scoped } from "../../src/db/scoped";
import { tags } from "../../src/db/schema";
import { newTenant } from "../helpers/tenants";

describe("scoped(db, tenantId)", () => {
  it("reads, updates and deletes only its own workspace's rows, and inserts with its id", async () => {
    const db = createDb(env.DB);
    const a = scoped(db, (await newTenant("Scope A")).tenantId);
    const b = scoped(db, (await newTenant("Scope B")).tenantId);
    await a.insert(tags, { name: "Gold", nameKey: "gold", color: "blue", createdAt: 1 });
    const [mine] = await db
      .select()
      .from(tags)
      .where(a.where(tags, eq(tags.nameKey, "gold")));
    expect(mine).toMatchObject({ tenantId: a.tenantId, name: "Gold" });

    // B names A's row by its id: nothing is found, changed or deleted.
    expect(
      await db
        .select()
        .from(tags)
        .where(b.where(tags, eq(tags.id, mine!.id))),
    ).toEqual([]);
    await b.update(tags, { name: "Stolen" }, eq(tags.id, mine!.id));
    await b.delete(tags, eq(tags.id, mine!.id));
    expect(await db.select({ name: tags.name }).from(tags).where(eq(tags.id, mine!.id))).toEqual([{ name: "Gold" }]);

    // A's own handle does both, in one batch.
    await db.batch([
      a.update(tags, { name: "Gold tier" }, eq(tags.id, mine!.id)),
      a.delete(tags, eq(tags.nameKey, "nothing")),
    ]);
    expect(await db.select({ name: tags.name }).from(tags).where(eq(tags.id, mine!.id))).toEqual([
      { name: "Gold tier" },
    ]);
    await a.delete(tags, eq(tags.id, mine!.id));
    expect(await db.select().from(tags).where(eq(tags.id, mine!.id))).toEqual([]);
  });
});
