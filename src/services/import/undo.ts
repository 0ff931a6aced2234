/**
 * Undoing an import, a page of its records at a time, each page one batch: records it created are
 * deleted and fields it changed are restored — except where someone edited them since, which are
 * kept and listed. Contacts go first, then companies (a contacts import may have created companies
 * for them). A processed record's history row is deleted in the same batch, so a resumed undo
 * continues with what is left; the page's key in import_chunks makes a replayed message harmless.
 */
import { sql, type SQLWrapper } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { SubjectType } from "../../db/schema";
import { deleteNotesOfStatements } from "../records/notes";

type RecordType = SubjectType | "tag";

export const UNDO_PAGE = 200;
/** How many kept records the job lists (the count is always exact). */
const KEPT_LISTED = 500;

export interface KeptRecord {
  type: RecordType;
  id: number;
  name: string;
  fields: string[];
}

export interface KeptList {
  total: number;
  items: KeptRecord[];
}

interface HistoryRow {
  entity_type: RecordType;
  entity_id: number;
  action: "created" | "updated";
  before: string | null;
  after: string | null;
  written_at: number;
}

interface CurrentRow {
  id: number;
  name: string;
  updated_at: number;
  last_activity_at: number;
  contacts: number;
  f: string | null;
  l: string | null;
  jt: string | null;
  ad: string | null;
  ow: string | null;
  cn: string | null;
  d: string | null;
  i: string | null;
  sz: string | null;
  ph: string | null;
  emails: string;
  phones: string;
  tags: string;
  custom: string;
}

const json = (v: unknown) => JSON.stringify(v);

const LABELS: Record<string, string> = {
  f: "first name",
  l: "last name",
  jt: "job title",
  ad: "address",
  ow: "owner",
  cs: "company",
  name: "name",
  d: "domain",
  i: "industry",
  sz: "size",
  ph: "phone",
};

async function currentOf(
  db: Database,
  tenantId: string,
  type: RecordType,
  ids: number[],
): Promise<Map<number, CurrentRow>> {
  const idList = json(ids);
  if (type === "tag") {
    // A tag's "contacts" are the records that still carry it.
    const rows = await db.all<CurrentRow>(sql`
      SELECT t.id, t.name, t.created_at AS updated_at, t.created_at AS last_activity_at,
        (SELECT count(*) FROM contact_tags WHERE tag_id = t.id) + (SELECT count(*) FROM company_tags WHERE tag_id = t.id) AS contacts
      FROM json_each(${idList}) j CROSS JOIN tags t ON t.id = j.value AND t.tenant_id = ${tenantId}`);
    return new Map(rows.map((r) => [r.id, r]));
  }
  const rows =
    type === "contact"
      ? await db.all<CurrentRow>(sql`
          SELECT c.id, trim(c.first_name || ' ' || c.last_name) AS name, c.updated_at, c.last_activity_at, 0 AS contacts,
            c.first_name AS f, c.last_name AS l, c.job_title AS jt, c.address AS ad, c.owner_id AS ow, c.company_name AS cn,
            NULL AS d, NULL AS i, NULL AS sz, NULL AS ph,
            (SELECT json_group_array(email) FROM contact_emails WHERE contact_id = c.id) AS emails,
            (SELECT json_group_array(phone) FROM contact_phones WHERE contact_id = c.id) AS phones,
            (SELECT json_group_array(t.name_key) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.tenant_id = c.tenant_id AND ct.contact_id = c.id) AS tags,
            (SELECT json_group_object(v.field_id, v.value) FROM custom_field_values v JOIN custom_fields f ON f.id = v.field_id AND f.entity = 'contact'
              WHERE v.tenant_id = c.tenant_id AND v.entity_id = c.id) AS custom
          FROM json_each(${idList}) j CROSS JOIN contacts c ON c.id = j.value AND c.tenant_id = ${tenantId}`)
      : await db.all<CurrentRow>(sql`
          SELECT co.id, co.name, co.updated_at, co.last_activity_at,
            (SELECT count(*) FROM contacts WHERE tenant_id = co.tenant_id AND company_id = co.id) AS contacts,
            NULL AS f, NULL AS l, NULL AS jt, co.address AS ad, co.owner_id AS ow, NULL AS cn,
            co.domain AS d, co.industry AS i, co.size AS sz, co.phone AS ph, '[]' AS emails, '[]' AS phones,
            (SELECT json_group_array(t.name_key) FROM company_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.tenant_id = co.tenant_id AND ct.company_id = co.id) AS tags,
            (SELECT json_group_object(v.field_id, v.value) FROM custom_field_values v JOIN custom_fields f ON f.id = v.field_id AND f.entity = 'company'
              WHERE v.tenant_id = co.tenant_id AND v.entity_id = co.id) AS custom
          FROM json_each(${idList}) j CROSS JOIN companies co ON co.id = j.value AND co.tenant_id = ${tenantId}`);
  return new Map(rows.map((r) => [r.id, r]));
}

/** The statements that delete records of one type with everything hanging off them (as deleting by hand does). */
function deleteStatements(db: Database, tenantId: string, type: RecordType, ids: number[]): SQLWrapper[] {
  if (ids.length === 0) return [];
  const list = json(ids);
  if (type === "tag") {
    // Only tags no record carries (checked again here, inside the batch).
    return [
      sql`DELETE FROM tags WHERE tenant_id = ${tenantId} AND id IN (SELECT value FROM json_each(${list}))
      AND NOT EXISTS (SELECT 1 FROM contact_tags WHERE tag_id = tags.id) AND NOT EXISTS (SELECT 1 FROM company_tags WHERE tag_id = tags.id)`,
    ];
  }
  const table = type === "contact" ? "contacts" : "companies";
  const counter = type === "contact" ? "contacts" : "companies";
  const inIds = (col: string) => sql`${sql.raw(col)} IN (SELECT value FROM json_each(${list}))`;
  return [
    sql`UPDATE tenant_counters SET ${sql.raw(counter)} = max(0, ${sql.raw(counter)} - (SELECT count(*) FROM ${sql.raw(table)} WHERE tenant_id = ${tenantId} AND ${inIds("id")}))
      WHERE tenant_id = ${tenantId}`,
    // The notes and their counter, as deleting records by hand does.
    ...deleteNotesOfStatements(db, tenantId, type, ids),
    sql`DELETE FROM custom_field_values WHERE tenant_id = ${tenantId} AND ${inIds("entity_id")}
      AND field_id IN (SELECT id FROM custom_fields WHERE tenant_id = ${tenantId} AND entity = ${type})`,
    sql`DELETE FROM activities WHERE tenant_id = ${tenantId} AND subject_type = ${type} AND ${inIds("subject_id")}`,
    sql`DELETE FROM recent_views WHERE tenant_id = ${tenantId} AND subject_type = ${type} AND ${inIds("subject_id")}`,
    // Emails, phones and tag links go by foreign-key cascade.
    sql`DELETE FROM ${sql.raw(table)} WHERE tenant_id = ${tenantId} AND ${inIds("id")}`,
  ];
}

/** Whether a value the import wrote is still there. */
const unchangedSince = (current: string | null, written: unknown) =>
  (current ?? null) === ((written as string | null) ?? null) || ((current ?? "") === "" && (written ?? "") === "");

export interface UndoPage {
  /** Records handled in this page; 0 when the undo is complete. */
  handled: number;
  statements: SQLWrapper[];
  kept: KeptRecord[];
}

/**
 * Plans the next page of an import's undo. `pageNo` keys the batch; `keptSoFar` is the job's list,
 * which the page's last statement rewrites with this page's kept records appended.
 */
export async function planUndoPage(
  db: Database,
  tenantId: string,
  importId: string,
  actorId: string | null,
  pageNo: number,
  keptSoFar: KeptList,
  now: number,
): Promise<UndoPage> {
  const history = await db.all<HistoryRow>(sql`
    SELECT entity_type, entity_id, action, before, after, written_at FROM import_records
    WHERE tenant_id = ${tenantId} AND import_id = ${importId}
    ORDER BY CASE entity_type WHEN 'contact' THEN 0 WHEN 'company' THEN 1 ELSE 2 END, entity_id LIMIT ${UNDO_PAGE}`);
  if (history.length === 0) return { handled: 0, statements: [], kept: [] };
  // One type per page keeps the statements simple: contacts first, then companies, then tags.
  const type = history[0]!.entity_type;
  const page = history.filter((h) => h.entity_type === type);
  const current = await currentOf(
    db,
    tenantId,
    type,
    page.map((h) => h.entity_id),
  );

  const kept: KeptRecord[] = [];
  const toDelete: number[] = [];
  const restores: Record<string, unknown>[] = [];
  for (const h of page) {
    const now_ = current.get(h.entity_id);
    if (!now_) continue; // deleted since: nothing to undo
    if (h.action === "created") {
      const edited = now_.updated_at > h.written_at || now_.last_activity_at > h.written_at;
      if (type === "tag") {
        if (now_.contacts > 0)
          kept.push({ type, id: h.entity_id, name: now_.name, fields: ["records still carry it"] });
        else toDelete.push(h.entity_id);
      } else if (edited) kept.push({ type, id: h.entity_id, name: now_.name, fields: ["edited after the import"] });
      else if (type === "company" && now_.contacts > 0)
        kept.push({ type, id: h.entity_id, name: now_.name, fields: ["contacts still belong to it"] });
      else toDelete.push(h.entity_id);
      continue;
    }
    const before = JSON.parse(h.before ?? "{}") as Record<string, unknown>;
    const after = JSON.parse(h.after ?? "{}") as Record<string, unknown>;
    const s: Record<string, unknown> = {};
    const keptFields: string[] = [];
    const changes: Record<string, [unknown, unknown]> = {};
    const currentValue: Record<string, string | null> = {
      f: now_.f,
      l: now_.l,
      jt: now_.jt,
      ad: now_.ad,
      ow: now_.ow,
      name: now_.name,
      d: now_.d,
      i: now_.i,
      sz: now_.sz,
      ph: now_.ph,
    };
    // A contact's "ph" in `after` is the phones it added (a list), not a company's phone field.
    for (const field of type === "contact"
      ? ["f", "l", "jt", "ad", "ow"]
      : ["ad", "ow", "name", "d", "i", "sz", "ph"]) {
      if (!(field in after)) continue;
      if (unchangedSince(currentValue[field] ?? null, after[field])) {
        s[field] = before[field] ?? null;
        changes[LABELS[field]!] = [after[field], before[field] ?? null];
      } else keptFields.push(LABELS[field]!);
    }
    if ("f" in s || "l" in s)
      s.ns =
        `${(("l" in s ? s.l : now_.l) as string | null) ?? ""} ${(("f" in s ? s.f : now_.f) as string | null) ?? ""}`
          .trim()
          .toLowerCase();
    if ("name" in s) s.ns = String(s.name).toLowerCase();
    if ("cs" in after) {
      if ((now_.cn?.toLowerCase() ?? null) === after.cs) {
        const was = (before.cn as string | null) ?? null;
        s.cs = was ? was.toLowerCase() : null;
        changes.company = [now_.cn, was];
      } else keptFields.push(LABELS.cs!);
    }
    const haveCustom = JSON.parse(now_.custom) as Record<string, string>;
    const cfRestore: Record<string, string | null> = {};
    for (const [fieldId, value] of Object.entries((after.cf as Record<string, string>) ?? {})) {
      if (haveCustom[fieldId] === value)
        cfRestore[fieldId] = (before.cf as Record<string, string | null>)?.[fieldId] ?? null;
      else keptFields.push("a custom field");
    }
    // Everything restored: the record's times go back too and the import's timeline entry goes, so it
    // is exactly as it was. Otherwise the undo is itself a change, with its own entry.
    const whole = keptFields.length === 0;
    if (whole) {
      s.u = before.u ?? null;
      s.la = before.la ?? null;
    }
    restores.push({
      id: h.entity_id,
      s,
      em: after.em ?? [],
      ph: after.ph ?? [],
      tk: after.tk ?? [],
      cf: cfRestore,
      no: after.no ?? null,
      w: h.written_at,
      ch: whole ? {} : changes,
      whole,
    });
    if (keptFields.length) kept.push({ type, id: h.entity_id, name: now_.name, fields: keptFields });
  }

  const statements: SQLWrapper[] = [
    sql`INSERT INTO import_chunks (tenant_id, import_id, phase, chunk_no, created_at) VALUES (${tenantId}, ${importId}, 'undo', ${pageNo}, ${now})`,
  ];
  statements.push(...deleteStatements(db, tenantId, type, toDelete));
  if (restores.length) {
    const rows = json(restores);
    const has = (path: string) => sql.raw(`json_type(u.value, '$.s.${path}') IS NOT NULL`);
    const val = (path: string) => sql.raw(`u.value ->> '$.s.${path}'`);
    const companyId = sql`(SELECT id FROM companies WHERE tenant_id = ${tenantId} AND name_sort = u.value ->> '$.s.cs' ORDER BY id LIMIT 1)`;
    if (type === "contact") {
      // An upsert onto the rows themselves, driven by the JSON (see import-write.ts for why not UPDATE ... FROM).
      statements.push(sql`INSERT INTO contacts (id, tenant_id, first_name, last_name, name_sort, primary_email, primary_phone, job_title, company_id, company_name, company_sort, address, owner_id, created_by, created_at, updated_at, last_activity_at)
        SELECT c.id, c.tenant_id,
          CASE WHEN ${has("f")} THEN coalesce(${val("f")}, '') ELSE c.first_name END,
          CASE WHEN ${has("l")} THEN coalesce(${val("l")}, '') ELSE c.last_name END,
          CASE WHEN ${has("ns")} THEN ${val("ns")} ELSE c.name_sort END,
          c.primary_email, c.primary_phone,
          CASE WHEN ${has("jt")} THEN ${val("jt")} ELSE c.job_title END,
          CASE WHEN ${has("cs")} THEN ${companyId} ELSE c.company_id END,
          CASE WHEN ${has("cs")} THEN (SELECT name FROM companies WHERE id = ${companyId}) ELSE c.company_name END,
          CASE WHEN ${has("cs")} THEN coalesce(${val("cs")}, '') ELSE c.company_sort END,
          CASE WHEN ${has("ad")} THEN ${val("ad")} ELSE c.address END,
          CASE WHEN ${has("ow")} THEN ${val("ow")} ELSE c.owner_id END,
          c.created_by, c.created_at, coalesce(${val("u")}, ${now}), coalesce(${val("la")}, c.last_activity_at)
        FROM json_each(${rows}) u CROSS JOIN contacts c ON c.id = u.value ->> 'id' AND c.tenant_id = ${tenantId} WHERE true
        ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name, name_sort = excluded.name_sort,
          job_title = excluded.job_title, company_id = excluded.company_id, company_name = excluded.company_name, company_sort = excluded.company_sort,
          address = excluded.address, owner_id = excluded.owner_id, updated_at = excluded.updated_at, last_activity_at = excluded.last_activity_at`);
      statements.push(sql`DELETE FROM contact_emails WHERE tenant_id = ${tenantId} AND (contact_id, email) IN
        (SELECT u.value ->> 'id', e.value FROM json_each(${rows}) u CROSS JOIN json_each(u.value, '$.em') e)`);
      statements.push(sql`DELETE FROM contact_phones WHERE tenant_id = ${tenantId} AND (contact_id, phone) IN
        (SELECT u.value ->> 'id', p.value FROM json_each(${rows}) u CROSS JOIN json_each(u.value, '$.ph') p)`);
      statements.push(sql`UPDATE contacts SET
          primary_email = (SELECT email FROM contact_emails WHERE contact_id = contacts.id ORDER BY position LIMIT 1),
          primary_phone = (SELECT phone FROM contact_phones WHERE contact_id = contacts.id ORDER BY position LIMIT 1)
        WHERE tenant_id = ${tenantId} AND id IN (SELECT u.value ->> 'id' FROM json_each(${rows}) u)`);
      statements.push(sql`DELETE FROM contact_tags WHERE tenant_id = ${tenantId} AND (contact_id, tag_id) IN
        (SELECT u.value ->> 'id', t.id FROM json_each(${rows}) u CROSS JOIN json_each(u.value, '$.tk') k JOIN tags t ON t.tenant_id = ${tenantId} AND t.name_key = k.value)`);
    } else {
      statements.push(sql`INSERT INTO companies (id, tenant_id, name, name_sort, domain, industry, size, address, phone, owner_id, created_by, created_at, updated_at, last_activity_at)
        SELECT co.id, co.tenant_id,
          CASE WHEN ${has("name")} THEN ${val("name")} ELSE co.name END,
          CASE WHEN ${has("ns")} THEN ${val("ns")} ELSE co.name_sort END,
          CASE WHEN ${has("d")} THEN ${val("d")} ELSE co.domain END,
          CASE WHEN ${has("i")} THEN ${val("i")} ELSE co.industry END,
          CASE WHEN ${has("sz")} THEN ${val("sz")} ELSE co.size END,
          CASE WHEN ${has("ad")} THEN ${val("ad")} ELSE co.address END,
          CASE WHEN ${has("ph")} THEN ${val("ph")} ELSE co.phone END,
          CASE WHEN ${has("ow")} THEN ${val("ow")} ELSE co.owner_id END,
          co.created_by, co.created_at, coalesce(${val("u")}, ${now}), coalesce(${val("la")}, co.last_activity_at)
        FROM json_each(${rows}) u CROSS JOIN companies co ON co.id = u.value ->> 'id' AND co.tenant_id = ${tenantId} WHERE true
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_sort = excluded.name_sort, domain = excluded.domain, industry = excluded.industry,
          size = excluded.size, address = excluded.address, phone = excluded.phone, owner_id = excluded.owner_id,
          updated_at = excluded.updated_at, last_activity_at = excluded.last_activity_at`);
      statements.push(sql`UPDATE contacts SET company_name = co.name, company_sort = co.name_sort
        FROM json_each(${rows}) u CROSS JOIN companies co ON co.id = u.value ->> 'id' AND co.tenant_id = ${tenantId}
        WHERE contacts.tenant_id = ${tenantId} AND contacts.company_id = co.id AND json_type(u.value, '$.s.name') IS NOT NULL`);
      statements.push(sql`DELETE FROM company_tags WHERE tenant_id = ${tenantId} AND (company_id, tag_id) IN
        (SELECT u.value ->> 'id', t.id FROM json_each(${rows}) u CROSS JOIN json_each(u.value, '$.tk') k JOIN tags t ON t.tenant_id = ${tenantId} AND t.name_key = k.value)`);
    }
    // Custom values: the old value back, or none when there was none.
    statements.push(sql`DELETE FROM custom_field_values WHERE tenant_id = ${tenantId} AND (field_id, entity_id) IN
      (SELECT f.id, u.value ->> 'id' FROM json_each(${rows}) u CROSS JOIN json_each(u.value, '$.cf') v
        JOIN custom_fields f ON f.id = CAST(v.key AS INTEGER) AND f.tenant_id = ${tenantId} AND f.entity = ${type} WHERE v.value IS NULL)`);
    statements.push(sql`INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value)
      SELECT ${tenantId}, f.id, u.value ->> 'id', v.value FROM json_each(${rows}) u CROSS JOIN json_each(u.value, '$.cf') v
        JOIN custom_fields f ON f.id = CAST(v.key AS INTEGER) AND f.tenant_id = ${tenantId} AND f.entity = ${type}
      WHERE v.value IS NOT NULL ON CONFLICT DO UPDATE SET value = excluded.value`);
    // The note the import added, if nobody edited it.
    statements.push(sql`UPDATE tenant_counters SET notes = max(0, notes - (SELECT count(*) FROM notes n JOIN json_each(${rows}) u
        ON n.subject_id = u.value ->> 'id' AND n.body = u.value ->> 'no' AND n.created_at = u.value ->> 'w' AND n.updated_at = n.created_at
        WHERE n.tenant_id = ${tenantId} AND n.subject_type = ${type})) WHERE tenant_id = ${tenantId}`);
    statements.push(sql`DELETE FROM notes WHERE tenant_id = ${tenantId} AND subject_type = ${type} AND updated_at = created_at AND (subject_id, body, created_at) IN
      (SELECT u.value ->> 'id', u.value ->> 'no', u.value ->> 'w' FROM json_each(${rows}) u WHERE u.value ->> 'no' IS NOT NULL)`);
    statements.push(sql`DELETE FROM activities WHERE tenant_id = ${tenantId} AND subject_type = ${type} AND json_extract(detail, '$.import') = ${importId}
      AND subject_id IN (SELECT u.value ->> 'id' FROM json_each(${rows}) u WHERE u.value ->> 'whole')`);
    statements.push(sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
      SELECT ${tenantId}, ${type}, u.value ->> 'id', ${actorId}, 'updated', json_set(u.value -> 'ch', '$.undo', ${importId}), ${now}
      FROM json_each(${rows}) u WHERE NOT (u.value ->> 'whole') AND u.value -> 'ch' != '{}'`);
  }
  statements.push(sql`DELETE FROM import_records WHERE tenant_id = ${tenantId} AND import_id = ${importId} AND entity_type = ${type}
    AND entity_id IN (SELECT value FROM json_each(${json(page.map((h) => h.entity_id))}))`);
  const list: KeptList = {
    total: keptSoFar.total + kept.length,
    items: [...keptSoFar.items, ...kept].slice(0, KEPT_LISTED),
  };
  statements.push(
    sql`UPDATE import_jobs SET chunks_done = ${pageNo + 1}, undo_kept = ${json(list)}, updated_at = ${now} WHERE tenant_id = ${tenantId} AND id = ${importId}`,
  );
  return { handled: page.length, statements, kept };
}
