/**
 * The statements a chunk's batch writes for contacts and companies alike: the chunk's key, the tags
 * it names, each row's tag links, custom values and note, its timeline entry and import record, the
 * counters and the job's progress. Every statement is driven by the chunk's JSON through json_each
 * (alias `j`, one row of chunk.ts's types), so a chunk of any size is the same handful of statements,
 * each binding a few parameters (D1 allows 100).
 *
 * New records' ids: a chunk's new records go in with one INSERT ... SELECT in the JSON's order, so
 * they get consecutive AUTOINCREMENT ids at the top of the table (a batch is one transaction; nothing
 * else writes in between). Statements after it find row k's record as max(id) - (n - 1) + k, and
 * also check tenant and creation time, so they can never reach another record.
 */
import { sql, type SQL } from "drizzle-orm";
import type { SubjectType } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import { type WebhookEventType, webhookEventSql } from "../webhooks/events";
import { companyData, contactData, dealData, noteData } from "../webhooks/payloads";
import { TAG_COLORS } from "../records/tags";
import type { ChunkContext, TagRow } from "./chunk";
import { dealBefore, dealUpdateEvents, mergedDealHistory } from "./chunk-deals-sql";

const json = (v: unknown) => JSON.stringify(v);

/** How a statement reaches a chunk's rows and their records: a FROM clause over the JSON (alias `j`), each row's record id. */
export interface RowSource {
  from: SQL;
  id: SQL;
}

const TABLES = { contact: sql.raw("contacts"), company: sql.raw("companies"), deal: sql.raw("deals") } as const;
const TAG_LINKS = {
  contact: sql`INSERT INTO contact_tags (tenant_id, contact_id, tag_id)`,
  company: sql`INSERT INTO company_tags (tenant_id, company_id, tag_id)`,
  deal: sql`INSERT INTO deal_tags (tenant_id, deal_id, tag_id)`,
} as const;

/** The records a batch has just inserted from `rows` (alias `r`): row k's is max(id) - (n - 1) + k. */
export function insertedRecords(
  t: TenantDb,
  subject: SubjectType,
  rows: string,
  count: number,
  now: number,
): RowSource {
  const table = TABLES[subject];
  const id = sql`(SELECT /* all tenants: ids are global */ max(id) FROM ${table}) - ${sql.raw(String(count - 1))} + j.key`;
  return {
    from: sql`FROM json_each(${rows}) j CROSS JOIN ${table} r ON r.id = ${id} AND r.tenant_id = ${t.tenantId} AND r.created_at = ${now}`,
    id: sql`r.id`,
  };
}

/** The webhook events of a chunk's records (alias `r`), as the forms write them; a deal's updates: chunk-deals-sql.ts. */
function importEvents(t: TenantDb, subject: SubjectType, rows: RowSource, action: "created" | "updated", now: number) {
  if (subject === "deal" && action === "updated") return dealUpdateEvents(t, rows, now);
  const data = subject === "contact" ? contactData("r") : subject === "company" ? companyData("r") : dealData("r");
  const type = `${subject}.${action}` as WebhookEventType;
  return [webhookEventSql(t, type, data, sql`${rows.from} WHERE true`, now)];
}

/**
 * The records `rows` name by their `id` (alias `r`). json_each drives, one parse, each record found
 * by its key: SQLite put the table outside json_each in a plain join and parsed the JSON per record.
 */
export function namedRecords(t: TenantDb, subject: SubjectType, rows: string): RowSource {
  return {
    from: sql`FROM json_each(${rows}) j CROSS JOIN ${TABLES[subject]} r ON r.id = j.value ->> 'id' AND r.tenant_id = ${t.tenantId}`,
    id: sql`r.id`,
  };
}

/** The colour a new tag gets: picked from its name, as findOrCreateTag does. */
export function tagColor(key: string): string {
  let hash = 0;
  for (const ch of key) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return TAG_COLORS[hash % TAG_COLORS.length]!;
}

/** The tags a chunk names, by key (lower case), with the spelling of the first row naming each. */
export function collectTags(into: Map<string, string>, tags: string[]): void {
  for (const name of tags) if (!into.has(name.toLowerCase())) into.set(name.toLowerCase(), name);
}

/** The first statement of a batch: a replayed queue message fails on this key and its batch writes nothing. */
export function claimChunk(t: TenantDb, importId: string, phase: "commit" | "undo", n: number, now: number): SQL {
  return sql`INSERT INTO import_chunks (tenant_id, import_id, phase, chunk_no, created_at)
    VALUES (${t.tenantId}, ${importId}, ${phase}, ${n}, ${now})`;
}

/** What a chunk's batch adds to the tenant's record counts. */
export interface Added {
  contacts: number;
  companies: number;
  notes: number;
}

/** A list in import_records.after that a later chunk adds to: the union of both (a JSON array). */
const unionOf = (key: string) => {
  const path = `$.${key}`;
  return sql`CASE WHEN import_records.after -> ${path} IS NOT NULL OR excluded.after -> ${path} IS NOT NULL THEN
    json((SELECT json_group_array(value) FROM (SELECT value FROM json_each(import_records.after, ${path})
      UNION SELECT value FROM json_each(excluded.after, ${path})))) END`;
};

/** The notes earlier chunks added (after.notes), with the record's note so far and its time (written_at). */
const earlierNotes = sql`CASE WHEN import_records.after -> '$.note' IS NOT NULL OR import_records.after -> '$.notes' IS NOT NULL
  THEN json((SELECT json_group_array(json(value)) FROM (SELECT value FROM json_each(import_records.after, '$.notes')
    UNION ALL SELECT json_object('body', import_records.after ->> 'note', 'at', import_records.written_at)
    WHERE import_records.after ->> 'note' IS NOT NULL))) END`;

/**
 * A contact's or company's import record merged with a later chunk's update of it (the upsert's SET).
 * `before` keeps each field's value from the first change (json_patch drops a null it carries; undo
 * reads a missing field as null); `after` takes the later values, the union of added emails, phones
 * and tags, and earlier notes with their times. written_at moves on, so a record the import created
 * and a later chunk updated is still unedited since. (A deal's after carries nulls
 * json_patch would drop: mergedDealHistory.)
 */
const mergedHistory = sql`before = json_patch(excluded.before, import_records.before),
  after = json_patch(json_patch(import_records.after, excluded.after), json_object('emails', ${unionOf("emails")},
    'phones', ${unionOf("phones")}, 'tagKeys', ${unionOf("tagKeys")}, 'note', excluded.after ->> 'note', 'notes', ${earlierNotes})),
  written_at = excluded.written_at`;

/** The statements both planners share, for one chunk of one import. */
export function chunkSql(t: TenantDb, ctx: ChunkContext, now: number) {
  const tenant = t.tenantId;
  /**
   * note.created for each note extras() just added to `rows`' records. Its one INSERT gave them the top ids of the
   * table (as insertedRecords' records): only those, and each on its row's record with its body at this time.
   */
  const noteEvents = (subject: SubjectType, rows: RowSource) =>
    webhookEventSql(
      t,
      "note.created",
      noteData("n"),
      sql`${rows.from} CROSS JOIN notes n ON n.tenant_id = ${tenant} AND n.subject_type = ${subject}
        AND n.subject_id = ${rows.id} AND n.created_at = ${now} AND n.body = j.value ->> 'note'
      WHERE n.id > (SELECT /* all tenants: ids are global */ max(id) FROM notes)
        - (SELECT count(*) ${rows.from} WHERE j.value ->> 'note' IS NOT NULL)`,
      now,
    );
  return {
    /** Creates the tags a chunk names that the tenant lacks, and records them for undo. */
    tags(names: Map<string, string>): SQL[] {
      if (names.size === 0) return [];
      const list: TagRow[] = [...names].map(([key, name]) => ({ key, name, color: tagColor(key) }));
      return [
        // Recorded first, while only the tags that already exist are there: those are not the import's.
        sql`INSERT INTO import_records (tenant_id, import_id, entity_type, entity_id, action, row_no, before, after, written_at)
          SELECT ${tenant}, ${ctx.importId}, 'tag', -1 - j.key, 'created', 0, NULL, j.value, ${now}
          FROM json_each(${json(list.map((tag) => tag.key))}) j
          WHERE NOT EXISTS (SELECT 1 FROM tags t WHERE t.tenant_id = ${tenant} AND t.name_key = j.value)`,
        sql`INSERT INTO tags (tenant_id, name, name_key, color, created_at)
          SELECT ${tenant}, j.value ->> 'name', j.value ->> 'key', j.value ->> 'color', ${now}
          FROM json_each(${json(list)}) j WHERE true ON CONFLICT DO NOTHING`,
        // Now that they exist, the placeholder ids become the tags' ids.
        sql`UPDATE import_records SET entity_id = (SELECT t.id FROM tags t
            WHERE t.tenant_id = import_records.tenant_id AND t.name_key = import_records.after)
          WHERE tenant_id = ${tenant} AND import_id = ${ctx.importId} AND entity_type = 'tag' AND entity_id < 0`,
      ];
    },

    /**
     * Each row's tag links (tagKeys), custom values (custom: "" deletes the record's) and note. A select value whose
     * option was removed since the file was read stays out (write.ts leaves it out of the plan; this, should it go
     * between the plan and the batch): no form could keep it, as undo and the trash's restore do not put one back.
     */
    extras(subject: SubjectType, rows: RowSource): SQL[] {
      return [
        sql`${TAG_LINKS[subject]} SELECT ${tenant}, ${rows.id}, t.id ${rows.from}
          CROSS JOIN json_each(j.value, '$.tagKeys') k JOIN tags t ON t.tenant_id = ${tenant} AND t.name_key = k.value
          WHERE true ON CONFLICT DO NOTHING`,
        sql`DELETE FROM custom_field_values WHERE tenant_id = ${tenant} AND (field_id, entity_id) IN
          (SELECT f.id, ${rows.id} ${rows.from} CROSS JOIN json_each(j.value, '$.custom') v
            JOIN custom_fields f ON f.id = CAST(v.key AS INTEGER) AND f.tenant_id = ${tenant} AND f.entity = ${subject}
            WHERE v.value = '')`,
        sql`INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) SELECT ${tenant}, f.id, ${rows.id}, v.value
          ${rows.from} CROSS JOIN json_each(j.value, '$.custom') v
          JOIN custom_fields f ON f.id = CAST(v.key AS INTEGER) AND f.tenant_id = ${tenant} AND f.entity = ${subject}
          WHERE v.value <> ''
            AND (f.kind <> 'select' OR EXISTS (SELECT 1 FROM json_each(f.options) o WHERE o.value = v.value))
          ON CONFLICT DO UPDATE SET value = excluded.value`,
        sql`INSERT INTO notes (tenant_id, subject_type, subject_id, author_id, body, created_at, updated_at)
          SELECT ${tenant}, ${subject}, ${rows.id}, ${ctx.actorId}, j.value ->> 'note', ${now}, ${now}
          ${rows.from} WHERE j.value ->> 'note' IS NOT NULL`,
      ];
    },

    /**
     * Each row's timeline entry and import record: "created", or "updated" with the values before and
     * after. A record a later chunk of the same import updates again gets one record merged per field
     * (mergedHistory, mergedDealHistory), so undo restores what either chunk changed. Called right after extras()
     * of the same rows, with no note written between, it ends with the note.created events of their notes.
     */
    history(subject: SubjectType, rows: RowSource, action: "created" | "updated"): SQL[] {
      if (action === "created")
        return [
          sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
            SELECT ${tenant}, ${subject}, ${rows.id}, ${ctx.actorId}, 'created', ${json({ import: ctx.importId })}, ${now}
            ${rows.from}`,
          sql`INSERT INTO import_records (tenant_id, import_id, entity_type, entity_id, action, row_no, before, after, written_at)
            SELECT ${tenant}, ${ctx.importId}, ${subject}, ${rows.id}, 'created', j.value ->> 'rowNo', NULL, NULL, ${now}
            ${rows.from}`,
          ...importEvents(t, subject, rows, action, now),
          noteEvents(subject, rows),
        ];
      return [
        ...importEvents(t, subject, rows, action, now),
        sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
          SELECT ${tenant}, ${subject}, ${rows.id}, ${ctx.actorId}, 'updated',
            json_set(j.value -> 'changes', '$.import', ${ctx.importId}), ${now}
          ${rows.from}`,
        sql`INSERT INTO import_records (tenant_id, import_id, entity_type, entity_id, action, row_no, before, after, written_at)
          SELECT ${tenant}, ${ctx.importId}, ${subject}, ${rows.id}, 'updated', j.value ->> 'rowNo',
            ${subject === "deal" ? dealBefore(now) : sql`j.value -> 'before'`}, j.value -> 'after', ${now}
          ${rows.from} WHERE true ON CONFLICT DO UPDATE SET ${subject === "deal" ? mergedDealHistory : mergedHistory}`,
        noteEvents(subject, rows),
      ];
    },

    /** The counters the chunk moves (record counts live in tenant_counters), and the job's progress. */
    finish(chunkNo: number, added: Added, progress: { created: number; updated: number }): SQL[] {
      const counters =
        added.contacts + added.companies + added.notes === 0
          ? []
          : [
              sql`INSERT INTO tenant_counters (tenant_id, contacts, companies, notes)
                VALUES (${tenant}, ${added.contacts}, ${added.companies}, ${added.notes})
                ON CONFLICT (tenant_id) DO UPDATE SET contacts = contacts + ${added.contacts},
                  companies = companies + ${added.companies}, notes = notes + ${added.notes}`,
            ];
      return [
        ...counters,
        sql`UPDATE import_jobs SET chunks_done = ${chunkNo + 1}, created_count = created_count + ${progress.created},
          updated_count = updated_count + ${progress.updated}, updated_at = ${now}
          WHERE tenant_id = ${tenant} AND id = ${ctx.importId}`,
      ];
    },
  };
}
