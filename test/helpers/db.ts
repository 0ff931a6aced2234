/** Direct reads of the test D1, for asserting what was (or was not) written. */
import { env } from "cloudflare:workers";

/** Counts the rows of a table (optionally with a WHERE clause and its bound values). */
export async function countRows(table: string, where = "1=1", ...values: unknown[]): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...values)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Counts of every table the foundation owns. */
export async function tableCounts() {
  return {
    tenants: await countRows("tenants"),
    users: await countRows("users"),
    memberships: await countRows("memberships"),
    sessions: await countRows("sessions"),
  };
}

/** Every row a query returns, with its values bound (for asserting what was written). */
export async function queryRows<Row = Record<string, unknown>>(sql: string, ...values: unknown[]): Promise<Row[]> {
  return (
    await env.DB.prepare(sql)
      .bind(...values)
      .all<Row>()
  ).results;
}
