/**
 * The statements a company's create and update batches share: attaching its tags (a new tag created first) and
 * setting its custom values, each optionally guarded so an update's batch writes them only at its version.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { companyTags, customFieldValues, tags } from "../../db/schema";
import { cleanName, nameKeyOf } from "../../lib/setting-names";
import { guardedValue } from "../billing/limits";
import { TAG_COLORS, tagRoomLeft } from "../records/tags";
import type { CompanyFormContext, CompanyInput } from "./form";

/**
 * Statements that attach tags to a company: the checked tag ids (one JSON parameter, however many)
 * and the new tag by name, created first if it does not exist. `companyId` may be a subquery; with
 * `guard`, each statement writes only while it holds (an update's version).
 */
export function tagStatements(
  t: TenantDb,
  companyId: number | SQL,
  input: CompanyInput,
  ctx: CompanyFormContext,
  now: number,
  guard: SQL = sql`true`,
) {
  const statements = [];
  const newKey = input.newTag ? nameKeyOf(input.newTag) : null;
  if (input.newTag && newKey) {
    const color = TAG_COLORS[ctx.tags.length % TAG_COLORS.length]!;
    // NULL past the workspace's tag limit (unless the tag exists): NOT NULL fails and the batch writes nothing.
    const allowed = sql`(${tagRoomLeft(t)} OR EXISTS (SELECT 1 FROM tags WHERE tenant_id = ${t.tenantId} AND name_key = ${newKey}))`;
    statements.push(
      t.db
        .insert(tags)
        .select(
          sql`SELECT NULL, ${t.tenantId}, ${cleanName(input.newTag)}, ${guardedValue(allowed, newKey)}, ${color}, ${now}
            WHERE ${guard}`,
        )
        .onConflictDoNothing(),
    );
  }
  if (input.tagIds.length || newKey) {
    statements.push(
      t.db
        .insert(companyTags)
        .select(
          t.db
            .select({
              tenantId: sql<string>`${t.tenantId}`.as("tenant_id"),
              companyId: sql<number>`${companyId}`.as("company_id"),
              tagId: tags.id,
            })
            .from(tags)
            .where(
              t.where(
                tags,
                sql`(${tags.id} IN (SELECT value FROM json_each(${JSON.stringify(input.tagIds)}))
                  OR ${tags.nameKey} = ${newKey})`,
                guard,
              ),
            ),
        )
        .onConflictDoNothing(),
    );
  }
  return statements;
}

/**
 * Statements that set a company's custom values (`companyId` may be a subquery) and clear those set to null. Set
 * values are joined with the workspace's company fields, so a field deleted during the request is skipped, as
 * contacts and deals do, instead of failing the batch on the foreign key. With `guard`, only while it holds.
 */
export function valueStatements(
  t: TenantDb,
  companyId: number | SQL,
  values: Map<number, string | null>,
  guard: SQL = sql`true`,
) {
  const set: Record<string, string> = {};
  for (const [fieldId, value] of values) if (value !== null) set[String(fieldId)] = value;
  const cleared = new Map([...values].filter(([, value]) => value === null));
  const statements = [];
  if (Object.keys(set).length)
    statements.push(
      t.db
        .insert(customFieldValues)
        .select(
          sql`SELECT f.tenant_id, f.id, ${companyId}, j.value FROM json_each(${JSON.stringify(set)}) j
            JOIN custom_fields f ON f.id = CAST(j.key AS INTEGER) AND f.tenant_id = ${t.tenantId} AND f.entity = 'company'
            WHERE ${guard}`,
        )
        .onConflictDoUpdate({
          target: [customFieldValues.tenantId, customFieldValues.fieldId, customFieldValues.entityId],
          set: { value: sql`excluded.value` },
        }),
    );
  // Clearing needs no join (deleting a deleted field's value deletes nothing); a new company has none to clear.
  if (typeof companyId === "number" && cleared.size)
    statements.push(
      t.delete(
        customFieldValues,
        eq(customFieldValues.entityId, companyId),
        sql`${customFieldValues.fieldId} IN (SELECT value FROM json_each(${JSON.stringify([...cleared.keys()])}))`,
        guard,
      ),
    );
  return statements;
}
