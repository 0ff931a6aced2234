/**
 * Runs in Node (test/global-setup.ts): a local stand-in for Workers Analytics Engine's SQL API, so the
 * production rollup (src/services/usage/ae-source.ts) is tested against the HTTP contract, not a canned answer.
 * Tests seed data points with POST /__ae/points ({ accountId, token, dataset, points: [{ blobs, doubles,
 * sampleInterval? }] }); POST /client/v4/accounts/<account>/analytics_engine/sql then really groups them. It
 * understands only the statement shape the rollup sends (a select list of blobN and sums, with aliases; FROM
 * one dataset; WHERE blobN = 'literal'; GROUP BY the aliases; optional LIMIT; FORMAT JSON) and answers 400 to anything else, 401 to a wrong token, like the API.
 * POST /__ae/outage ({ accountId, mode: "http" | "bad-json" | null }) makes an account's queries fail.
 */

interface SeededPoint {
  blobs: string[];
  doubles: number[];
  sampleInterval?: number;
}

type Answer = { status: number; body: string; type?: string };

const json = (status: number, body: unknown): Answer => ({ status, body: JSON.stringify(body) });
const badSql = (why: string): Answer => ({ status: 400, body: `Bad request: ${why}`, type: "text/plain" });

// blobN; SUM(_sample_interval) or SUM(doubleN * _sample_interval) (sampling undone); COUNT() or SUM(doubleN)
// (the stored points only, as the API also allows: a reader that forgets sampling gets numbers too small).
const SELECT_ITEM =
  /^(?:blob(\d{1,2})|SUM\(\s*(_sample_interval|double(\d{1,2})\s*\*\s*_sample_interval|double(\d{1,2}))\s*\)|(COUNT)\(\s*\*?\s*\))\s+AS\s+([a-z_]+)$/i;
const STATEMENT =
  /^SELECT\s+([\s\S]+?)\s+FROM\s+([A-Za-z_][A-Za-z0-9_]*)\s+WHERE\s+blob(\d{1,2})\s*=\s*'([^'\\]*)'\s+GROUP\s+BY\s+([\s\S]+?)(?:\s+LIMIT\s+(\d+))?\s+FORMAT\s+JSON\s*$/i;

export function analyticsEngineFake() {
  const tokens = new Map<string, string>();
  /** account → dataset → points */
  const datasets = new Map<string, Map<string, SeededPoint[]>>();
  const outages = new Map<string, "http" | "bad-json">();

  function query(accountId: string, sqlText: string): Answer {
    const m = sqlText.trim().match(STATEMENT);
    if (!m) return badSql("unable to parse query");
    const [, selectList, dataset, whereBlob, literal, groupList, limit] = m;
    const matched = selectList!.split(",").map((s) => s.trim().match(SELECT_ITEM));
    if (matched.some((i) => !i)) return badSql("unsupported select expression");
    const items = matched as RegExpMatchArray[];
    const columns = items.map(([, blob, summed, sampledDouble, plainDouble, count, alias]) => ({
      blob: blob ? Number(blob) : null,
      double: sampledDouble || plainDouble ? Number(sampledDouble || plainDouble) : null,
      sampled: summed === "_sample_interval" || Boolean(sampledDouble),
      sum: !blob,
      integer: Boolean(count) || summed === "_sample_interval",
      alias: alias!,
    }));
    const keys = columns.filter((c) => !c.sum).map((c) => c.alias);
    const grouped = groupList!.split(",").map((s) => s.trim());
    if (grouped.length !== keys.length || !keys.every((k) => grouped.includes(k))) {
      return badSql("every selected column must be grouped or aggregated");
    }
    const points = datasets.get(accountId)?.get(dataset!);
    if (!points) return badSql(`unknown dataset ${dataset}`);
    const groups = new Map<string, Record<string, string | number>>();
    for (const p of points.filter((q) => q.blobs[Number(whereBlob) - 1] === literal)) {
      const interval = p.sampleInterval ?? 1;
      const keyValues = columns.filter((c) => !c.sum).map((c) => p.blobs[c.blob! - 1] ?? "");
      const key = JSON.stringify(keyValues);
      const row = groups.get(key) ?? Object.fromEntries(columns.map((c) => [c.alias, c.sum ? 0 : ""]));
      for (const c of columns) {
        if (!c.sum) row[c.alias] = p.blobs[c.blob! - 1] ?? "";
        else {
          const value = c.double ? (p.doubles[c.double - 1] ?? 0) : 1;
          row[c.alias] = (row[c.alias] as number) + value * (c.sampled ? interval : 1);
        }
      }
      groups.set(key, row);
    }
    // As ClickHouse's FORMAT JSON does: 64-bit integers (a SUM of _sample_interval) come quoted.
    const data = [...groups.values()]
      .slice(0, limit ? Number(limit) : undefined)
      .map((r) => Object.fromEntries(columns.map((c) => [c.alias, c.integer ? String(r[c.alias]) : r[c.alias]])));
    const meta = columns.map((c) => ({ name: c.alias, type: !c.sum ? "String" : c.integer ? "UInt64" : "Float64" }));
    return json(200, { meta, data, rows: data.length, rows_before_limit_at_least: groups.size });
  }

  return (method: string, path: string, headers: Record<string, unknown>, body: string): Answer | null => {
    if (method === "POST" && path === "/__ae/points") {
      const seed = JSON.parse(body) as { accountId: string; token: string; dataset: string; points: SeededPoint[] };
      tokens.set(seed.accountId, seed.token);
      const byName = datasets.get(seed.accountId) ?? new Map<string, SeededPoint[]>();
      byName.set(seed.dataset, [...(byName.get(seed.dataset) ?? []), ...seed.points]);
      datasets.set(seed.accountId, byName);
      return json(200, { ok: true });
    }
    if (method === "POST" && path === "/__ae/outage") {
      const { accountId, mode } = JSON.parse(body) as { accountId: string; mode: "http" | "bad-json" | null };
      if (mode) outages.set(accountId, mode);
      else outages.delete(accountId);
      return json(200, { ok: true });
    }
    const accountId = path.match(/^\/client\/v4\/accounts\/([^/?]+)\/analytics_engine\/sql$/)?.[1];
    if (!accountId) return null;
    if (method !== "POST")
      return json(405, { success: false, errors: [{ code: 10405, message: "Method not allowed" }] });
    const expected = tokens.get(accountId);
    if (!expected || headers.authorization !== `Bearer ${expected}`) {
      return json(401, { success: false, errors: [{ code: 10000, message: "Authentication error" }] });
    }
    const outage = outages.get(accountId);
    if (outage === "http") return json(503, { success: false, errors: [{ code: 10001, message: "simulated outage" }] });
    if (outage === "bad-json") return { status: 200, body: '{"meta": [], "data": [', type: "application/json" };
    return query(accountId, body);
  };
}
