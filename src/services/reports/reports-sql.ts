/**
 * The reports page's reads as one constant SQL text with ONE bound parameter (a JSON object of the filters and the
 * reader), as the dashboard's are (dashboard-sql.ts): seven statements of nested drizzle fragments cost more to
 * build than to run. Parts, each a JSON array: the workspace (currency, report scope), its pipelines, its members,
 * won and lost by reason, by owner, stays per stage, contacts per source.
 *
 * `v`: t (workspace), me and admin (the reader), team (the workspace shows members the team's figures), the range
 * [dayFrom, dayTo], pipeline (an id or null for all), owner (a member's id, '' for "no owner", null for everyone).
 * A row counts when the reader may see its owner (admins always; others when `team`, or it is theirs), and it is
 * the owner asked for, if any.
 */
import { sql } from "drizzle-orm";
import { moneySum } from "./dashboard-sql";

export interface ReportValues {
  t: string;
  me: string;
  admin: 0 | 1;
  dayFrom: string;
  dayTo: string;
  pipeline: number | null;
  owner: string | null;
}

export const reportsStatement = (values: ReportValues) =>
  sql`WITH a AS (SELECT ${JSON.stringify(values)} AS j)${REPORTS}`;

const SEES = (column: string) => `(v.admin OR v.team OR ${column} = v.me) AND (v.owner IS NULL OR ${column} = v.owner)`;
const PIPELINE = (column: string) => `(v.pipeline IS NULL OR ${column} = v.pipeline)`;

const REPORTS = sql.raw(`,
v AS MATERIALIZED (SELECT j ->> '$.t' AS t, j ->> '$.me' AS me, j ->> '$.admin' AS admin,
  j ->> '$.dayFrom' AS dayFrom, j ->> '$.dayTo' AS dayTo, j ->> '$.pipeline' AS pipeline, j ->> '$.owner' AS owner,
  EXISTS (SELECT 1 FROM tenants WHERE id = j ->> '$.t' AND report_scope = 'team') AS team FROM a)
SELECT json_array(
  (SELECT json_group_array(json_object('currency', currency, 'scope', report_scope)) FROM tenants WHERE id = v.t),
  (SELECT json_group_array(json_object('id', id, 'name', name))
    FROM (SELECT id, name FROM pipelines WHERE tenant_id = v.t ORDER BY position, id)),
  (SELECT json_group_array(json_object('id', id, 'name', name))
    FROM (SELECT u.id, coalesce(nullif(u.name, ''), u.email) AS name FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.tenant_id = v.t ORDER BY lower(coalesce(nullif(u.name, ''), u.email)))),
  (SELECT json_group_array(json_object('status', status, 'reason', reason, 'currency', currency, 'deals', deals,
      'amountMinor', amountMinor))
    FROM (SELECT status, reason, currency, sum(deals) AS deals, ${moneySum("amount_minor")} AS amountMinor
      FROM report_deal_outcomes WHERE tenant_id = v.t AND status IN ('won', 'lost') AND day >= v.dayFrom
        AND day <= v.dayTo AND ${PIPELINE("pipeline_id")} AND ${SEES("owner_key")}
      GROUP BY 1, 2, 3 ORDER BY status DESC, deals DESC, reason)),
  (SELECT json_group_array(json_object('ownerId', ownerId, 'owner', owner, 'status', status, 'currency', currency,
      'deals', deals, 'amountMinor', amountMinor))
    FROM (SELECT r.owner_key AS ownerId, coalesce(nullif(u.name, ''), u.email, '') AS owner, r.status, r.currency,
        sum(r.deals) AS deals, ${moneySum("r.amount_minor")} AS amountMinor
      FROM report_deal_outcomes r LEFT JOIN users u ON u.id = r.owner_key
      WHERE r.tenant_id = v.t AND r.status IN ('won', 'lost') AND r.day >= v.dayFrom AND r.day <= v.dayTo
        AND ${PIPELINE("r.pipeline_id")} AND ${SEES("r.owner_key")}
      GROUP BY 1, 3, 4)),
  (SELECT json_group_array(json_object('stageId', stageId, 'stage', stage, 'pipeline', pipeline, 'spans', spans,
      'totalMs', totalMs))
    FROM (SELECT r.stage_id AS stageId, coalesce(s.name, 'Removed stage') AS stage, coalesce(p.name, '') AS pipeline,
        sum(r.spans) AS spans, sum(r.total_ms) AS totalMs
      FROM report_stage_days r LEFT JOIN pipeline_stages s ON s.id = r.stage_id
      LEFT JOIN pipelines p ON p.id = r.pipeline_id
      WHERE r.tenant_id = v.t AND r.day >= v.dayFrom AND r.day <= v.dayTo AND ${PIPELINE("r.pipeline_id")}
      GROUP BY r.stage_id ORDER BY p.position, r.pipeline_id, s.position, r.stage_id)),
  (SELECT json_group_array(json_object('source', source, 'contacts', contacts))
    FROM (SELECT source, sum(count) AS contacts FROM report_contact_days
      WHERE tenant_id = v.t AND day >= v.dayFrom AND day <= v.dayTo AND ${SEES("user_key")}
      GROUP BY 1 ORDER BY 2 DESC))
) AS parts FROM v`);
