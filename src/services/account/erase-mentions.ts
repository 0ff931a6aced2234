/**
 * What a deleted account leaves in colleagues' notes and bells: a note stores a mention as the person's name (or
 * address) with their id (`@[Bea](user:<id>)`), and a mention's bell entry says "Bea mentioned you". Deleting the
 * account turns the first into "@former member" (in the notes, their copies in the trash and the titles the trash
 * lists them by, and in note.created webhook events) and the second into "A former member mentioned you"; the notes'
 * words and the bell entries stay. Statements for the deletion's batch on each database, before the notes lose
 * their author.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { mentionTitle } from "../../mail/mention-messages";
import { noteTitleSql } from "../trash/parts";

/** Notes rewritten in one statement: each body is bound inside one JSON parameter. */
const NOTES_PER_STATEMENT = 50;
const FORMER_MEMBER = "former member";
const SUBJECT_TYPES = ["contact", "company", "deal"] as const;

export async function erasedMentionStatements(db: Database, userId: string): Promise<SQL[]> {
  const marker = `](user:${userId})`;
  const notes = await db.all<{ id: number; body: string }>(
    sql`SELECT id, body FROM notes /* all tenants: a user id is global, and only their workspaces' notes name it */
        WHERE instr(body, ${marker}) > 0`,
  );
  const mention = new RegExp(`@\\[[^\\]\\n]{1,100}\\]\\(user:${userId}\\)`, "g");
  const rewritten = notes.map((n) => [n.id, n.body.replace(mention, `@${FORMER_MEMBER}`)] as const);
  const statements: SQL[] = [];
  for (let i = 0; i < rewritten.length; i += NOTES_PER_STATEMENT)
    statements.push(sql`UPDATE notes SET body = json_extract(j.value, '$[1]')
      FROM json_each(${JSON.stringify(rewritten.slice(i, i + NOTES_PER_STATEMENT))}) j
      WHERE notes.id = json_extract(j.value, '$[0]') /* all tenants: the ids read above */`);
  // Copies of those notes: in the trash (a restore would bring the name back) and in webhook events kept for replay.
  const [trashed, events] = await Promise.all([
    db.all<{ id: number; data: string }>(
      sql`SELECT id, data FROM trash_rows /* all tenants: as the notes above */
          WHERE table_name = 'notes' AND instr(data, ${marker}) > 0`,
    ),
    db.all<{ id: string; data: string }>(
      sql`SELECT id, payload AS data FROM webhook_events /* all tenants: as the notes above */
          WHERE type = 'note.created' AND instr(payload, ${marker}) > 0`,
    ),
  ]);
  const rewrite = (value: unknown): unknown =>
    typeof value === "string"
      ? value.replace(mention, `@${FORMER_MEMBER}`)
      : Array.isArray(value)
        ? value.map(rewrite)
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]))
          : value;
  const copies = (rows: { id: number | string; data: string }[]) =>
    rows.map((r) => [r.id, JSON.stringify(rewrite(JSON.parse(r.data)))] as const);
  for (const [table, column, rows] of [
    ["trash_rows", "data", copies(trashed)],
    ["webhook_events", "payload", copies(events)],
  ] as const)
    for (let i = 0; i < rows.length; i += NOTES_PER_STATEMENT)
      statements.push(sql`UPDATE ${sql.identifier(table)} SET ${sql.identifier(column)} = json_extract(j.value, '$[1]')
        FROM json_each(${JSON.stringify(rows.slice(i, i + NOTES_PER_STATEMENT))}) j
        WHERE ${sql.identifier(table)}.id = json_extract(j.value, '$[0]') /* all tenants: the ids read above */`);
  // A trashed note's title in the trash list (and its export) is the start of its body: named again from the copy.
  if (trashed.length)
    statements.push(sql`UPDATE trash_items SET title = (SELECT ${sql.raw(noteTitleSql("x.body"))}
        FROM (SELECT json_extract(tr.data, '$.body') AS body FROM trash_rows tr
          WHERE tr.item_id = trash_items.id AND tr.table_name = 'notes' LIMIT 1) x)
      WHERE kind = 'note' AND id IN (SELECT item_id FROM trash_rows /* all tenants: the rows read above */
        WHERE id IN (SELECT value FROM json_each(${JSON.stringify(trashed.map((r) => r.id))})))`);
  // The bell entries their mentions made, in whichever workspace: the author's name goes, the entry stays.
  const titles = sql.join(
    SUBJECT_TYPES.map((type) => sql`WHEN ${type} THEN ${mentionTitle(`A ${FORMER_MEMBER}`, type)}`),
    sql` `,
  );
  statements.push(sql`UPDATE notifications SET title = (SELECT CASE n.subject_type ${titles} END
      FROM notes n WHERE n.id = notifications.note_id)
    WHERE note_id IN (SELECT id FROM notes /* all tenants: the notes they wrote */ WHERE author_id = ${userId})`);
  return statements;
}
