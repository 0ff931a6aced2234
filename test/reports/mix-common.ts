/** What the operations of the report aggregates' mix share: the people, reads of the workspace, checked answers. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Form } from "../contacts/contact-helpers";
import type { seededRandom } from "./aggregate-helpers";

export interface Actor {
  name: string;
  cookie: string;
  userId: string;
  role: "owner" | "admin" | "member";
}

export interface Workspace {
  tenantId: string;
  owner: Actor;
  /** Members still in the workspace. */
  actors: Actor[];
  /** Imports done and not yet undone. */
  imports: string[];
}

export interface Hooks {
  onOperation: (index: number, description: string) => Promise<void>;
  beforeAccountDeletion: (who: Actor) => Promise<void>;
}

export type Row = Record<string, string | number | null>;
export type Random = ReturnType<typeof seededRandom>;
export type Operation = (r: Random, ws: Workspace, by: Actor) => Promise<string>;

export const CURRENCIES = ["USD", "EUR", "GBP"];
export const REASONS = ["Price", "Timing", "Went with a competitor"];
let counter = 0;
/** A number not used before in this run, for names and addresses. */
export const nextNumber = () => ++counter;

export async function rows(sql: string, ...values: unknown[]): Promise<Row[]> {
  return (
    await env.DB.prepare(sql)
      .bind(...values)
      .all<Row>()
  ).results;
}

export const dealsOf = (ws: Workspace, where = "1 = 1") =>
  rows(`SELECT * FROM deals WHERE tenant_id = ? AND ${where} ORDER BY id`, ws.tenantId);
export const stagesOf = (ws: Workspace) =>
  rows(
    "SELECT id, pipeline_id, name FROM pipeline_stages WHERE tenant_id = ? ORDER BY pipeline_id, position",
    ws.tenantId,
  );
export const idsOf = async (ws: Workspace, table: string, where = "1 = 1") =>
  (await rows(`SELECT id FROM ${table} WHERE tenant_id = ? AND ${where} ORDER BY id`, ws.tenantId)).map((x) => x.id!);

/** A request's answer: never a server error; `ok` lists what a successful one answers. */
export async function answered(res: Response, what: string, ok: number[], refusalAllowed = false): Promise<string> {
  const fine = ok.includes(res.status) || (refusalAllowed && [403, 404, 409, 422].includes(res.status));
  expect(fine, `${what} answered ${res.status}: ${(await res.clone().text()).slice(0, 300)}`).toBe(true);
  return `${what} → ${res.status}`;
}

export const amount = (r: Random) => `${r.int(9000) + 1}.${String(r.int(100)).padStart(2, "0")}`;
export const wallTime = (r: Random) =>
  `${r.day()}T${String(r.int(24)).padStart(2, "0")}:${String(r.int(60)).padStart(2, "0")}`;
export const closedOn = (r: Random) => (r.chance(0.4) ? "" : r.day());

export async function dealForm(r: Random, ws: Workspace, base: Row | null): Promise<Form> {
  const stage = r.pick(await stagesOf(ws))!;
  const newOwner = () => (r.chance(0.15) ? "" : r.pick(ws.actors)!.userId);
  const keep = (k: string, fresh: () => string) => (base && r.chance(0.5) ? String(base[k] ?? "") : fresh());
  return {
    name: base ? String(base.name) : `Deal ${nextNumber()}`,
    amount: keep("amount", () => amount(r)),
    currency: base && r.chance(0.6) ? String(base.currency) : r.pick(CURRENCIES)!,
    close_date: keep("close_date", () => (r.chance(0.2) ? "" : r.day())),
    // A member who left can no longer be chosen as owner (the form refuses it): a new owner then.
    owner_id: ws.actors.some((a) => a.userId === base?.owner_id) ? keep("owner_id", newOwner) : newOwner(),
    stage_id: base && r.chance(0.5) ? String(base.stage_id) : String(stage.id),
    ...(base ? { version: String(base.updated_at), company_id: String(base.company_id ?? "") } : {}),
  };
}

export const subjectPath = async (r: Random, ws: Workspace) => {
  const kind = r.pick(["contacts", "deals", "companies"] as const)!;
  const id = r.pick(await idsOf(ws, kind));
  return id === undefined ? null : `/app/${kind}/${id}`;
};
