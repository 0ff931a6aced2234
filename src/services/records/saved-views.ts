/**
 * Saved views (issue 18): a named list state, stored as the list's canonical query string (never SQL),
 * private to its owner or shared with the workspace, and each user's default view per list. The contacts
 * and deals lists have them (`entity`); a view of one list is never found through the other's routes.
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { savedViewDefaults, savedViews, type SavedView } from "../../db/schema";
import { CONTACT_SORTS } from "../contacts/sort";
import { DEAL_SORTS } from "../deals/list-sort";
import { BUILTIN_COLUMNS } from "../contacts/columns";
import { cleanName } from "../../lib/setting-names";
import { numberFormat } from "../../lib/money";
import { listCustomFields } from "./custom-fields";

export const MAX_VIEWS_PER_USER = 50;
export const MAX_VIEW_NAME = 60;

export type ViewEntity = "contact" | "deal";

/** The list parameters a view keeps, per list, and the sorts it may name; anything else is dropped. */
const KEPT: Record<ViewEntity, RegExp> = {
  contact: /^(q|tag|owner|company|sort|dir|cols|cf_\d{1,12})$/,
  deal: /^(q|pipeline|owner|mine|tag|close_month|amount_min|amount_max|status|sort|dir|cf_\d{1,12})$/,
};
const SORTS: Record<ViewEntity, readonly string[]> = { contact: CONTACT_SORTS, deal: DEAL_SORTS };

/**
 * A list's query string in canonical form: only the parameters a view keeps, each once, bounded in
 * length, in a fixed order. The list re-validates them against the workspace whenever the view opens.
 */
export function canonicalViewQuery(params: URLSearchParams, entity: ViewEntity = "contact"): string {
  const out = new URLSearchParams();
  const keys = [...new Set([...params.keys()].filter((k) => KEPT[entity].test(k)))].sort().slice(0, 20);
  for (const key of keys) {
    const value = (params.get(key) ?? "").trim().slice(0, 200);
    if (!value) continue;
    if (key === "sort" && !SORTS[entity].includes(value)) continue;
    if (key === "dir" && value !== "asc" && value !== "desc") continue;
    if (key === "cols") {
      const cols = value
        .split(",")
        .filter((c) => (BUILTIN_COLUMNS as readonly string[]).includes(c) || /^cf_\d{1,12}$/.test(c));
      if (cols.length) out.set(key, cols.slice(0, 30).join(","));
      continue;
    }
    out.set(key, value);
  }
  return out.toString();
}

/**
 * A view's name as stored (cleaned as tag and field names are: no zero-width or bidi characters hiding what it
 * says, NFC, single spaces), or the message to show by the field.
 */
export function parseViewName(raw: unknown): { ok: true; name: string } | { ok: false; message: string } {
  const name = typeof raw === "string" ? cleanName(raw) : "";
  if (!name) return { ok: false, message: "Give the view a name." };
  if (name.length > MAX_VIEW_NAME) return { ok: false, message: `Keep the name to ${MAX_VIEW_NAME} characters.` };
  return { ok: true, name };
}

/** A view of this workspace the user may see (their own or a shared one), or null. */
export async function visibleView(
  t: TenantDb,
  userId: string,
  id: number,
  entity: ViewEntity = "contact",
): Promise<SavedView | null> {
  const rows = await t.db
    .select()
    .from(savedViews)
    .where(
      t.where(
        savedViews,
        eq(savedViews.id, id),
        eq(savedViews.entity, entity),
        sql`(${savedViews.shared} = 1 OR ${savedViews.ownerUserId} = ${userId})`,
      ),
    );
  return rows[0] ?? null;
}

/**
 * Saves a view at the end of the tabs; false when the user already has MAX_VIEWS_PER_USER. One
 * statement, so two saves at once cannot pass the limit together. Its query's numbers are canonical.
 */
export async function createView(
  t: TenantDb,
  userId: string,
  v: { name: string; shared: boolean; query: string },
  entity: ViewEntity = "contact",
): Promise<number | null> {
  const rows = await t.db.all<{ id: number }>(sql`INSERT INTO ${savedViews}
      (tenant_id, owner_user_id, entity, name, shared, query, numbers_canonical, position, created_at)
    SELECT ${t.tenantId}, ${userId}, ${entity}, ${v.name}, ${v.shared ? 1 : 0}, ${v.query}, 1,
      (SELECT coalesce(max(position), 0) + 1 FROM ${savedViews} WHERE tenant_id = ${t.tenantId} AND entity = ${entity}),
      ${Date.now()}
    WHERE (SELECT count(*) FROM ${savedViews} WHERE tenant_id = ${t.tenantId} AND owner_user_id = ${userId})
      < ${MAX_VIEWS_PER_USER}
    RETURNING id`);
  return rows[0]?.id ?? null;
}

export async function renameView(t: TenantDb, id: number, name: string): Promise<void> {
  await t.update(savedViews, { name }, eq(savedViews.id, id));
}

/** Saves a view's list state again (its canonical query, numbers too), as refined since it was opened. */
export async function updateViewQuery(t: TenantDb, id: number, query: string): Promise<void> {
  await t.update(savedViews, { query, numbersCanonical: true }, eq(savedViews.id, id));
}

/** Deletes a view; the defaults that named it go with it (foreign key, cascade). */
export async function deleteView(t: TenantDb, id: number): Promise<void> {
  await t.db.batch([
    t.delete(savedViewDefaults, eq(savedViewDefaults.viewId, id)),
    t.delete(savedViews, eq(savedViews.id, id)),
  ]);
}

/** Makes a view the user's default for its list, or clears it (null). */
export async function setDefaultView(
  t: TenantDb,
  userId: string,
  viewId: number | null,
  entity: ViewEntity = "contact",
): Promise<void> {
  const mine = and(eq(savedViewDefaults.userId, userId), eq(savedViewDefaults.entity, entity));
  if (viewId === null) {
    await t.delete(savedViewDefaults, mine);
    return;
  }
  await t.insert(savedViewDefaults, { userId, entity, viewId }).onConflictDoUpdate({
    target: [savedViewDefaults.tenantId, savedViewDefaults.userId, savedViewDefaults.entity],
    set: { viewId },
  });
}

/**
 * A list's saved views for its page's batch: the views `viewer` sees (own and shared, in tab order) as
 * JSON, and their default view's id. `viewer` is the user's id, or the session's when the session is
 * checked in the same batch.
 */
export function viewsContextSql(t: TenantDb, entity: ViewEntity, viewer: SQL) {
  const visible = sql`${savedViews.tenantId} = ${t.tenantId} AND ${savedViews.entity} = ${entity}
    AND (${savedViews.shared} = 1 OR ${savedViews.ownerUserId} = ${viewer})`;
  return {
    views: sql<string>`(SELECT json_group_array(json_object('id', id, 'name', name, 'shared', shared,
        'ownerUserId', owner_user_id, 'query', query, 'numbersCanonical', numbers_canonical))
      FROM (SELECT * FROM ${savedViews} WHERE ${visible} ORDER BY ${savedViews.position}, ${savedViews.id}))`,
    defaultView: sql<number | null>`(SELECT ${savedViewDefaults.viewId} FROM ${savedViewDefaults}
      WHERE ${savedViewDefaults.tenantId} = ${t.tenantId} AND ${savedViewDefaults.entity} = ${entity}
        AND ${savedViewDefaults.userId} = ${viewer}
        AND ${savedViewDefaults.viewId} IN (SELECT ${savedViews.id} FROM ${savedViews} WHERE ${visible}))`,
  };
}

/** A saved view as a list reads it. */
export interface ListedView {
  id: number;
  name: string;
  shared: boolean;
  ownerUserId: string | null;
  query: string;
  /** Its numbers are plain decimals (saved since migration 0044); false: as its saver typed them. */
  numbersCanonical: boolean;
}

/** The views and default that viewsContextSql read. */
export function listedViews(views: string, defaultView: number | null) {
  type Row = Omit<ListedView, "shared" | "numbersCanonical"> & { shared: number; numbersCanonical: number };
  const listed = (JSON.parse(views) as Row[]).map((v) => ({
    ...v,
    shared: Boolean(v.shared),
    numbersCanonical: Boolean(v.numbersCanonical),
  }));
  return { savedViews: listed as ListedView[], defaultViewId: defaultView };
}

/** A number as a view keeps it: plain decimal text, no grouping, no trailing zeros ("1500", "-12.5"). */
const CANONICAL_NUMBER = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;

/** The keys of a list's query holding numbers: its number fields' cf_<id>, and the deal list's amounts. */
export function numberKeysOf(entity: ViewEntity, fields: readonly { id: number; kind: string }[]): Set<string> {
  const keys = fields.filter((f) => f.kind === "number").map((f) => `cf_${f.id}`);
  return new Set(entity === "deal" ? [...keys, "amount_min", "amount_max"] : keys);
}

/** A view as its links need it: its query, and whether its numbers are canonical. */
export type ViewQuery = Pick<ListedView, "query" | "numbersCanonical">;

/**
 * A view's stored query as the list's filter inputs show it to a reader: its numbers written in `locale`
 * ("1234.5" → "1234,5" in de; no grouping), which the list reads back in that locale to the same value. A view
 * saved before views kept numbers canonical passes through as typed: its "1.234" (1234 typed in de) looks
 * canonical, and would become a de reader's "1,234", a thousandth. Each reader's list reads it as before.
 */
export function viewQueryInLocale(view: ViewQuery, numberKeys: ReadonlySet<string>, locale: string): string {
  if (!view.numbersCanonical) return view.query;
  const params = new URLSearchParams(view.query);
  const format = numberFormat(locale, { useGrouping: false, maximumFractionDigits: 15 });
  for (const [key, value] of [...params])
    if (numberKeys.has(key) && CANONICAL_NUMBER.test(value)) params.set(key, format.format(Number(value)));
  return params.toString();
}

/** viewQueryInLocale, reading the entity's number fields first when the query names a custom field. */
export async function viewQueryForReader(
  t: TenantDb,
  entity: ViewEntity,
  view: ViewQuery,
  locale: string,
): Promise<string> {
  if (!view.numbersCanonical) return view.query;
  const fields = /(^|&)cf_/.test(view.query) ? await listCustomFields(t, entity) : [];
  return viewQueryInLocale(view, numberKeysOf(entity, fields), locale);
}
