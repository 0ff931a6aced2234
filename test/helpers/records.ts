/** Records written directly with SQL, for tests whose subject is not how they are created (setup only). */
import { env } from "cloudflare:workers";

/** A tag of the tenant. */
export async function insertTag(tenantId: string, name: string, color = "blue"): Promise<number> {
  const row = await env.DB.prepare(
    "INSERT INTO tags (tenant_id, name, name_key, color, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
  )
    .bind(tenantId, name, name.toLowerCase(), color, Date.now())
    .first<{ id: number }>();
  return row!.id;
}
