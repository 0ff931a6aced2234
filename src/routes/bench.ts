/**
 * The benchmark's floor: one indexed 50-row SELECT and a JSON answer, with no session and no page
 * rendering, so `npm run bench` can compare our pages against it on the same server in the same run.
 * Answers only with BENCH=1 outside production (the bench starts wrangler dev with both); otherwise 404.
 */
import { Hono } from "hono";
import { asc } from "drizzle-orm";
import type { AppEnv } from "../env";
import { contacts } from "../db/schema";
import { scoped } from "../db/scoped";
import { benchEnabled } from "../lib/dev-tools";
import { errorResponse } from "../lib/errors";

export const benchRoutes = new Hono<AppEnv>();

benchRoutes.get("/floor", async (c) => {
  if (!benchEnabled(c.env)) return errorResponse(c, 404);
  const t = scoped(c.get("db"), c.req.query("tenant") ?? "");
  const rows = await t.db
    .select({
      id: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      email: contacts.primaryEmail,
    })
    .from(contacts)
    .where(t.where(contacts))
    .orderBy(asc(contacts.nameSort), asc(contacts.id))
    .limit(50);
  return c.json(rows);
});
