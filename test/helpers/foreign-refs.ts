/**
 * What another workspace may never find changed or named in this one (the foreign-ids tests of the app's forms and
 * the API): its rows of every table, and the reference columns of this workspace's rows. From the schema.
 */
import { env } from "cloudflare:workers";
import { workspace } from "./plans-workspace";

/** The table a reference column points into, by its name; null for a person. */
export const TABLE_OF: Record<string, string | null> = {
  company: "companies",
  contact: "contacts",
  deal: "deals",
  tag: "tags",
  stage: "pipeline_stages",
  target_stage: "pipeline_stages",
  pipeline: "pipelines",
  reason: "lost_reasons",
  field: "custom_fields",
  task: "tasks",
  note: "notes",
  owner: null,
  assignee: null,
  user: null,
  author: null,
  actor_user: null,
};

/** Every table with a tenant_id column, with its columns, from the schema. */
export async function tenantTables(): Promise<Map<string, string[]>> {
  const { results } = await env.DB.prepare(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%tenant_id%'",
  ).all<{ name: string; sql: string }>();
  const out = new Map<string, string[]>();
  for (const t of results) {
    const body = t.sql.slice(t.sql.indexOf("(") + 1);
    const columns = [...body.matchAll(/^\s*[`"]?(\w+)[`"]?\s+(?:integer|text|real|blob|numeric)/gim)].map((m) => m[1]!);
    if (columns.includes("tenant_id")) out.set(t.name, columns);
  }
  return out;
}

/** A workspace's rows of every table, as text, for comparing before and after. */
export async function snapshot(tables: Map<string, string[]>, tenantId: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of tables.keys()) {
    const { results } = await env.DB.prepare(`SELECT * FROM "${table}" WHERE tenant_id = ?`).bind(tenantId).all();
    out[table] = results.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

/**
 * Reference columns of `mine`'s rows that name a record of `theirs` or their user `theirUser`, and how many non-null
 * references were read. The audit trail is left out: it names what was asked for, refused or not.
 */
export async function pointingAt(
  tables: Map<string, string[]>,
  mine: string,
  theirs: string,
  theirUser: string,
): Promise<{ pointing: string[]; checked: number }> {
  const theirIds = new Map<string, Set<number>>();
  for (const table of new Set(Object.values(TABLE_OF).filter((t): t is string => t !== null))) {
    const { results } = await env.DB.prepare(`SELECT id FROM "${table}" WHERE tenant_id = ?`)
      .bind(theirs)
      .all<{ id: number }>();
    theirIds.set(table, new Set(results.map((row) => row.id)));
  }
  const pointing: string[] = [];
  let checked = 0;
  for (const [table, columns] of tables) {
    const refs = columns.filter((c) => c.replace(/_ids?$/, "") in TABLE_OF);
    if (refs.length === 0 || table === "audit_log") continue;
    const { results } = await env.DB.prepare(
      `SELECT ${refs.map((c) => `"${c}"`).join(", ")} FROM "${table}" WHERE tenant_id = ?`,
    )
      .bind(mine)
      .all<Record<string, unknown>>();
    for (const row of results)
      for (const c of refs) {
        const into = TABLE_OF[c.replace(/_ids?$/, "")];
        const value = row[c];
        if (value !== null) checked += 1;
        if (into === null ? value === theirUser : theirIds.get(into!)!.has(Number(value)))
          pointing.push(`${table}.${c} = ${String(value)}`);
      }
  }
  return { pointing, checked };
}

/** Two workspaces with a record of each kind: mine, theirs, and their owner's user id. */
export async function twoWorkspaces() {
  const mine = await workspace();
  const theirs = await workspace();
  const theirOwner = (await env.DB.prepare("SELECT user_id FROM memberships WHERE tenant_id = ?")
    .bind(theirs.tenantId)
    .first<string>("user_id"))!;
  return { mine, theirs, theirOwner };
}
