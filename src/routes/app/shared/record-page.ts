/**
 * A contact's or a company's page: its own reads and its deals, in one round trip with the session
 * check (withSessionBatch). Every statement is scoped by tenant and id, so another tenant's id reads
 * nothing and the page answers 404.
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { Context } from "hono";
import type { TenantDb } from "../../../db/scoped";
import type { AppEnv } from "../../../env";
import { withSessionBatch } from "../../../middleware/session";

type Statements = (t: TenantDb, id: number) => readonly BatchItem<"sqlite">[];

/** The results of the page's statements and of its deals' statements; for a null id, nothing is read. */
export async function readRecordWithDeals(
  c: Context<AppEnv>,
  id: number | null,
  pageStatements: Statements,
  dealsStatements: Statements,
): Promise<{ ok: true; page: unknown[]; deals: unknown[] } | { ok: false; response: Response }> {
  let pageCount = 0;
  const batch = await withSessionBatch(c, async (t) => {
    if (id === null) return [];
    const page = pageStatements(t, id);
    pageCount = page.length;
    return [...page, ...dealsStatements(t, id)];
  });
  if (!batch.ok) return batch;
  return { ok: true, page: batch.results.slice(0, pageCount), deals: batch.results.slice(pageCount) };
}
