/**
 * The dashboard's lists as one constant SQL text with ONE bound parameter (a JSON object of the values), as the
 * charts are (src/services/reports/dashboard-sql.ts): building six drizzle statements with their joins cost more
 * than running them. Each part is a JSON array of rows:
 * the workspace (with its member count and record counters), the newest timeline entries, the newest logged calls,
 * meetings and emails, the reader's recently viewed records, the open value per currency (deal_stage_totals),
 * and the open deals expected to close this month.
 */
import { sql } from "drizzle-orm";
import { moneySum } from "../reports/dashboard-sql";
import { contactNameSql } from "../contacts/names";

export interface ListValues {
  t: string;
  /** The reader, or null while their session (`sid`) is checked in the same batch. */
  me: string | null;
  sid: string | null;
  /** This month's first day and the next month's, 'YYYY-MM-DD'. */
  monthFrom: string;
  monthUntil: string;
}

export const DASHBOARD_ACTIVITY = 10;
export const RECENT_VIEWS_SHOWN = 10;
export const CLOSING_THIS_MONTH_SHOWN = 10;

export const listsStatement = (values: ListValues) => sql`WITH a AS (SELECT ${JSON.stringify(values)} AS j)${LISTS}`;

// A record's display name from the three optional joins (a company's name, a deal's, a contact's).
const RECORD_NAME = `coalesce(co.name, d.name, CASE WHEN c.id IS NULL THEN NULL ELSE ${contactNameSql("c")} END)`;
const recordJoins = (source: string) => `
  LEFT JOIN companies co ON ${source}.subject_type = 'company' AND co.tenant_id = ${source}.tenant_id
    AND co.id = ${source}.subject_id
  LEFT JOIN contacts c ON ${source}.subject_type = 'contact' AND c.tenant_id = ${source}.tenant_id
    AND c.id = ${source}.subject_id
  LEFT JOIN deals d ON ${source}.subject_type = 'deal' AND d.tenant_id = ${source}.tenant_id
    AND d.id = ${source}.subject_id`;

/**
 * The reader sees only their own figures: the workspace says so (Settings → Workspace) and they are a member or
 * viewer. The charts apply it (reports-sql); so do the Open pipeline card and Closing this month.
 */
const OWN_ONLY = `EXISTS (SELECT 1 FROM tenants w JOIN memberships m ON m.tenant_id = w.id
  WHERE w.id = v.t AND w.report_scope = 'own' AND m.user_id = v.me AND m.role NOT IN ('owner', 'admin'))`;

const LISTS = sql.raw(`,
p AS (SELECT j ->> '$.t' AS t, j ->> '$.me' AS me0, j ->> '$.sid' AS sid, j ->> '$.monthFrom' AS monthFrom,
  j ->> '$.monthUntil' AS monthUntil FROM a),
v AS MATERIALIZED (SELECT p.*,
  coalesce(p.me0, (SELECT s.user_id FROM sessions s WHERE s.id = p.sid AND s.tenant_id = p.t)) AS me FROM p)
SELECT json_array(
  (SELECT json_group_array(json_object('name', w.name, 'createdAt', w.created_at, 'currency', w.currency,
      'reportScope', w.report_scope,
      'memberCount', (SELECT count(*) FROM memberships m WHERE m.tenant_id = w.id),
      'contacts', coalesce(k.contacts, 0), 'companies', coalesce(k.companies, 0), 'notes', coalesce(k.notes, 0),
      'deals', coalesce(k.deals, 0)))
    FROM tenants w LEFT JOIN tenant_counters k ON k.tenant_id = w.id WHERE w.id = v.t),
  (SELECT json_group_array(json_object('id', id, 'kind', kind, 'subjectType', subjectType, 'subjectId', subjectId,
      'actorEmail', actorEmail, 'createdAt', createdAt, 'name', name))
    FROM (SELECT x.id, x.kind, x.subject_type AS subjectType, x.subject_id AS subjectId, u.email AS actorEmail,
        x.created_at AS createdAt, ${RECORD_NAME} AS name
      FROM activities x LEFT JOIN users u ON u.id = x.actor_id ${recordJoins("x")}
      WHERE x.tenant_id = v.t ORDER BY x.id DESC LIMIT ${DASHBOARD_ACTIVITY})),
  (SELECT json_group_array(json_object('id', id, 'kind', kind, 'subjectType', subjectType, 'subjectId', subjectId,
      'occurredAt', occurredAt, 'durationMinutes', durationMinutes, 'outcome', outcome, 'actorEmail', actorEmail,
      'name', name))
    FROM (SELECT x.id, x.kind, x.subject_type AS subjectType, x.subject_id AS subjectId, x.occurred_at AS occurredAt,
        x.duration_minutes AS durationMinutes, x.outcome, u.email AS actorEmail, ${RECORD_NAME} AS name
      FROM interactions x LEFT JOIN users u ON u.id = x.logged_by ${recordJoins("x")}
      WHERE x.tenant_id = v.t ORDER BY x.occurred_at DESC, x.id DESC LIMIT ${DASHBOARD_ACTIVITY})),
  (SELECT json_group_array(json_object('subjectType', subjectType, 'subjectId', subjectId, 'viewedAt', viewedAt,
      'name', name))
    FROM (SELECT x.subject_type AS subjectType, x.subject_id AS subjectId, x.viewed_at AS viewedAt,
        ${RECORD_NAME} AS name
      FROM recent_views x ${recordJoins("x")}
      WHERE x.tenant_id = v.t AND x.user_id = v.me AND (co.id IS NOT NULL OR c.id IS NOT NULL OR d.id IS NOT NULL)
      ORDER BY x.viewed_at DESC LIMIT ${RECENT_VIEWS_SHOWN})),
  (SELECT json_group_array(json_object('currency', currency, 'deals', deals, 'amountMinor', amountMinor))
    FROM (SELECT currency, sum(deals) AS deals, ${moneySum("amount_minor")} AS amountMinor FROM deal_stage_totals
      WHERE tenant_id = v.t AND NOT ${OWN_ONLY} GROUP BY currency HAVING sum(deals) > 0
      UNION ALL SELECT d.currency, count(*), ${moneySum("d.amount_minor")} FROM deals d
      WHERE d.tenant_id = v.t AND d.owner_id = v.me AND d.status = 'open' AND ${OWN_ONLY} GROUP BY d.currency)),
  (SELECT json_group_array(json_object('id', id, 'name', name, 'amountMinor', amountMinor, 'currency', currency,
      'stage', stage, 'status', status, 'closeDate', closeDate))
    FROM (SELECT d.id, d.name, d.amount_minor AS amountMinor, d.currency, s.name AS stage, d.status,
        d.close_date AS closeDate
      FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id
      WHERE d.tenant_id = v.t AND d.close_key >= v.monthFrom AND d.close_key < v.monthUntil AND +d.status = 'open'
        AND (+d.owner_id IS v.me OR NOT ${OWN_ONLY})
      ORDER BY d.close_key, d.id LIMIT ${CLOSING_THIS_MONTH_SHOWN}))
) AS parts FROM v`);
