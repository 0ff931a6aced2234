/**
 * What a deleted account leaves in colleagues' notes and bells: a note stores a mention as the person's name (or
 * address) with their id (`@[Bea](user:<id>)`), and a mention's bell entry says "Bea mentioned you". Deleting the
 * account turns the first into "@former member" and the second into "A former member mentioned you"; the notes'
 * words and the bell entries stay. Statements for the deletion's batch on each database, before the notes lose
 * their author.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { mentionTitle } from "../../mail/mention-messages";

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
