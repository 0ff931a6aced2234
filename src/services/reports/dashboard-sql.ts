/**
 * The dashboard's charts as one constant SQL text with ONE bound parameter, a JSON object of the values (the
 * workspace, the reader or their session, the periods). Building a statement of many nested drizzle `sql`
 * fragments cost more than running it (the profile: a fifth of the page); this text is built once, and every
 * value is still bound, never written into the SQL.
 *
 * `v` is the one row of values: t (workspace), me (the reader: given, or the session's user), admin (given, or
 * read from the membership: admins and owners see the team's figures), team (the workspace shows members the
 * team's figures); both materialized once. Each part is a JSON array of the rows dashboardChartsFromResults
 * reads. Overdue tasks: an admin's along (tenant, status, due date), anyone else's along their own assignee index,
 * so a member's count never walks the team's backlog. Deals past their close date: the team's per open stage, a
 * member's in an own-figures workspace along their owner index (INDEXED BY). Each pair is a UNION ALL whose guard
 * (v.admin, v.team) reads only the one row of values, so SQLite tests it once and runs one branch.
 */
import { sql } from "drizzle-orm";

/**
 * A sum of amounts in minor units that never fails: SQLite's sum() throws "integer overflow" past 2^63 (a hundred
 * deals of the largest amount at 100 %), total() does not. Below 2^53 the total is exact and is given back as an
 * integer, so the JSON has no float figure (15 significant digits) where a number can be exact.
 */
export const moneySum = (expr: string) =>
  `CASE WHEN abs(total(${expr})) < 9e15 THEN cast(total(${expr}) AS INTEGER) ELSE total(${expr}) END`;

/** What the statement is given; null `me`/`admin` are read in SQL from `sid` (the session being checked). */
export interface ChartValues {
  t: string;
  me: string | null;
  sid: string | null;
  admin: 0 | 1 | null;
  today: string;
  /** Overdue tasks: a timed one due before this instant (today's start in the reader's zone), a dated one before
   * today; both with a due date below taskDateBelow (today + 2 days), so the count stays a range of the index. */
  taskBefore: number;
  taskDateBelow: string;
  /** Won deals: days in [wonFrom, wonUntil). */
  wonFrom: string;
  wonUntil: string;
  /** Forecast: close months in [forecastFrom, forecastTo]. */
  forecastFrom: string;
  forecastTo: string;
  /** The first Monday of the weekly charts. */
  weeksFrom: string;
}

/** Needs attention lists this many of each, and counts up to ATTENTION_COUNT_CAP ("100+"). */
export const ATTENTION_SHOWN = 5;
export const ATTENTION_COUNT_CAP = 100;

export const chartsStatement = (values: ChartValues) => sql`WITH a AS (SELECT ${JSON.stringify(values)} AS j)${CHARTS}`;

/** An open task of the workspace due before the reader's today (at its time, if it has one). */
const OVERDUE_TASK = `k.tenant_id = v.t AND k.status = 'open' AND k.due_date < v.taskDateBelow
  AND CASE WHEN k.due_at IS NULL THEN k.due_date < v.today ELSE k.due_at < v.taskBefore END`;
/** An open deal of the workspace's pipelines whose close date has passed. */
const PAST_DEAL = `d.tenant_id = v.t AND d.stage_id IN (SELECT id FROM pipeline_stages WHERE tenant_id = v.t)
  AND d.status = 'open' AND d.close_key < v.today`;
const PAST_DEAL_COLUMNS = "d.id, d.name, d.amount_minor AS amountMinor, d.currency, d.close_date AS closeDate";

const CHARTS = sql.raw(`,
p AS (SELECT j ->> '$.t' AS t, j ->> '$.me' AS me0, j ->> '$.sid' AS sid, j ->> '$.admin' AS admin0,
  j ->> '$.today' AS today, j ->> '$.taskBefore' AS taskBefore, j ->> '$.taskDateBelow' AS taskDateBelow,
  j ->> '$.wonFrom' AS wonFrom, j ->> '$.wonUntil' AS wonUntil,
  j ->> '$.forecastFrom' AS forecastFrom, j ->> '$.forecastTo' AS forecastTo, j ->> '$.weeksFrom' AS weeksFrom
  FROM a),
r AS MATERIALIZED (SELECT p.*, coalesce(p.me0, (SELECT s.user_id FROM sessions s WHERE s.id = p.sid AND s.tenant_id = p.t)) AS me
  FROM p),
v AS MATERIALIZED (SELECT r.*, coalesce(r.admin0, EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = r.t AND m.user_id = r.me
    AND m.role IN ('admin', 'owner'))) AS admin,
  EXISTS (SELECT 1 FROM tenants WHERE id = r.t AND report_scope = 'team') AS team FROM r)
SELECT json_array(
  (SELECT json_group_array(json_object('stageId', stageId, 'stage', stage, 'pipeline', pipeline, 'currency', currency,
      'deals', deals, 'amountMinor', amountMinor)) FROM (
    SELECT s.id AS stageId, s.name AS stage, pl.name AS pipeline, o.currency AS currency,
      coalesce(sum(o.deals), 0) AS deals, ${moneySum("o.amount_minor")} AS amountMinor
    FROM pipeline_stages s JOIN pipelines pl ON pl.id = s.pipeline_id
    LEFT JOIN report_open_deals o ON o.tenant_id = s.tenant_id AND o.stage_id = s.id
      AND (v.admin OR v.team OR o.owner_key = v.me)
    WHERE s.tenant_id = v.t GROUP BY s.id, o.currency ORDER BY pl.position, pl.id, s.position, s.id)),
  (SELECT json_group_array(json_object('key', key, 'currency', currency, 'deals', deals, 'amountMinor', amountMinor))
    FROM (SELECT substr(day, 1, 7) AS key, currency, sum(deals) AS deals, ${moneySum("amount_minor")} AS amountMinor
      FROM report_deal_outcomes WHERE tenant_id = v.t AND status = 'won' AND day >= v.wonFrom AND day < v.wonUntil
        AND (v.admin OR v.team OR owner_key = v.me)
      GROUP BY 1, 2)),
  (SELECT json_group_array(json_object('key', key, 'currency', currency, 'deals', deals, 'weighted', weighted))
    FROM (SELECT o.close_month AS key, o.currency AS currency, sum(o.deals) AS deals,
        ${moneySum("o.amount_minor * s.probability")} AS weighted
      FROM report_open_deals o JOIN pipeline_stages s ON s.id = o.stage_id
      WHERE o.tenant_id = v.t AND o.close_month >= v.forecastFrom AND o.close_month <= v.forecastTo
        AND (v.admin OR v.team OR o.owner_key = v.me)
      GROUP BY 1, 2)),
  (SELECT json_group_array(json_object('week', week, 'kind', kind, 'n', n))
    FROM (SELECT date(day, '-6 days', 'weekday 1') AS week, kind, sum(count) AS n FROM report_activity_days
      WHERE tenant_id = v.t AND day >= v.weeksFrom AND (v.admin OR v.team OR user_key = v.me) GROUP BY 1, 2)),
  (SELECT json_group_array(json_object('week', week, 'n', n))
    FROM (SELECT date(day, '-6 days', 'weekday 1') AS week, sum(count) AS n FROM report_contact_days
      WHERE tenant_id = v.t AND day >= v.weeksFrom AND (v.admin OR v.team OR user_key = v.me) GROUP BY 1)),
  (SELECT json_group_array(json_object('id', id, 'title', title, 'dueDate', dueDate)) FROM (
    SELECT * FROM (SELECT k.id, k.title, k.due_date AS dueDate FROM tasks k INDEXED BY tasks_tenant_status_idx
      WHERE v.admin AND ${OVERDUE_TASK} ORDER BY k.due_date, k.id LIMIT ${ATTENTION_SHOWN})
    UNION ALL SELECT * FROM (SELECT k.id, k.title, k.due_date AS dueDate FROM tasks k INDEXED BY tasks_tenant_assignee_idx
      WHERE NOT v.admin AND k.assignee_id = v.me AND ${OVERDUE_TASK} ORDER BY k.due_date, k.id LIMIT ${ATTENTION_SHOWN}))),
  (SELECT json_group_array(json_object('n', n)) FROM (SELECT count(*) AS n FROM (
    SELECT 1 FROM tasks k INDEXED BY tasks_tenant_status_idx WHERE v.admin AND ${OVERDUE_TASK}
    UNION ALL SELECT 1 FROM tasks k INDEXED BY tasks_tenant_assignee_idx
      WHERE NOT v.admin AND k.assignee_id = v.me AND ${OVERDUE_TASK}
    LIMIT ${ATTENTION_COUNT_CAP}))),
  (SELECT json_group_array(json_object('id', id, 'name', name, 'amountMinor', amountMinor, 'currency', currency,
      'closeDate', closeDate)) FROM (
    SELECT * FROM (SELECT ${PAST_DEAL_COLUMNS} FROM deals d INDEXED BY deals_tenant_stage_idx
      WHERE (v.admin OR v.team) AND ${PAST_DEAL} ORDER BY d.close_key, d.id LIMIT ${ATTENTION_SHOWN})
    UNION ALL SELECT * FROM (SELECT ${PAST_DEAL_COLUMNS} FROM deals d INDEXED BY deals_tenant_owner_idx
      WHERE NOT (v.admin OR v.team) AND d.owner_id = v.me AND ${PAST_DEAL}
      ORDER BY d.close_key, d.id LIMIT ${ATTENTION_SHOWN}))),
  (SELECT json_group_array(json_object('n', n)) FROM (SELECT count(*) AS n FROM (
    SELECT 1 FROM deals d WHERE (v.admin OR v.team) AND ${PAST_DEAL}
    UNION ALL SELECT 1 FROM deals d INDEXED BY deals_tenant_owner_idx
      WHERE NOT (v.admin OR v.team) AND d.owner_id = v.me AND ${PAST_DEAL}
    LIMIT ${ATTENTION_COUNT_CAP})))
) AS parts FROM v`);
