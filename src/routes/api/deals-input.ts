/**
 * A deal's JSON body read through the deal form's own parser and reference check (src/services/deals/form.ts),
 * so the API accepts what the form accepts: name, currency, close date, owner, company, contacts with roles,
 * tags and deal fields (canonical values). The amount comes in minor units, so it skips the form's locale
 * reading. An update starts from the deal as it is; a requested outcome (won, lost, open) is checked here too,
 * so nothing is written when any part is wrong.
 */
import type { TenantDb } from "../../db/scoped";
import { MAX_AMOUNT_MAJOR, minorDigits } from "../../lib/money";
import type { ApiDeal } from "../../services/api/deals";
import { pipelinesWithStages, workspaceMoney, workspaceTimeZone } from "../../services/deals/choices";
import { dateInZone } from "../../lib/zoned-time";
import { checkDealReferences, parseDealForm, type DealFormBody, type DealInput } from "../../services/deals/form";
import type { Outcome } from "../../services/deals/outcome";
import { isRealDate } from "../../services/deals/statements";
import { listCustomFields } from "../../services/records/custom-fields";
import { currentCustomValues, customFieldsIntoBody, jsonProblems } from "./json-form";
import { invalidFields, type FieldProblem } from "./problem";
import type { DealJson } from "./schemas-deals";

/** What a create or update needs: the input, the names for the timeline, and the outcome asked for. */
export interface DealRead {
  input: DealInput;
  pipelineId: number;
  stageName: string;
  companyName: string | null;
  /** The workspace's locale: the timeline writes amounts the workspace's way. */
  locale: string;
  /** A change of status, or null. */
  outcome: Outcome | { status: "open" } | null;
}

/** The form's error keys as the JSON spells them: contact_ids_2 → contacts[2].contact_id. */
function dealProblems(errors: Record<string, string>, fields: Parameters<typeof jsonProblems>[1]): FieldProblem[] {
  return jsonProblems(errors, fields).map((p) => {
    const m = /^contact_(ids|roles)_(\d+)$/.exec(p.field);
    if (m) return { ...p, field: `contacts[${m[2]}].${m[1] === "ids" ? "contact_id" : "role"}` };
    return p.field === "amount" ? { ...p, field: "amount_minor" } : p;
  });
}

/** The form body of the deal as it is: the start of an update. */
function currentBody(current: ApiDeal): DealFormBody {
  return {
    name: current.name,
    currency: current.currency,
    close_date: current.close_date ?? "",
    pipeline_id: String(current.pipeline.id),
    stage_id: String(current.stage.id),
    owner_id: current.owner_id ?? "",
    company_id: current.company ? String(current.company.id) : "",
    contact_ids: current.contacts.map((c) => String(c.id)),
    contact_roles: current.contacts.map((c) => c.role ?? ""),
    tag_ids: current.tags.map((g) => String(g.id)),
  };
}

/** The outcome a body asks for, or problems; lost_reason and closed_on only go with a change of status. */
function outcomeOf(
  json: DealJson,
  current: ApiDeal | null,
  today: string,
  problems: FieldProblem[],
): DealRead["outcome"] {
  const changing = json.status !== undefined && json.status !== (current?.status ?? "open");
  if (json.status !== undefined && json.status !== "open" && !current) {
    problems.push({ field: "status", message: "A new deal is open; set won or lost once it is created." });
    return null;
  }
  const extra = (["lost_reason", "closed_on"] as const).filter((k) => json[k] !== undefined);
  if (!changing || json.status === "open") {
    for (const k of extra) problems.push({ field: k, message: "Send it with a change of status to won or lost." });
    return changing ? { status: "open" } : null;
  }
  const closedOn = json.closed_on?.trim() || today;
  if (!isRealDate(closedOn))
    problems.push({ field: "closed_on", message: "Enter a date that exists, like 2027-03-31." });
  if (json.status === "won") {
    if (json.lost_reason !== undefined) problems.push({ field: "lost_reason", message: "Only a lost deal has one." });
    return { status: "won", closedOn };
  }
  const reason = json.lost_reason?.trim() ?? "";
  if (!reason) problems.push({ field: "lost_reason", message: "Give the reason the deal was lost." });
  return { status: "lost", closedOn, reason };
}

/** Reads a deal body (and, for an update, the deal as it is). Throws a validation problem listing every field. */
export async function readDealJson(t: TenantDb, json: DealJson, current: ApiDeal | null): Promise<DealRead> {
  const [money, fields, pipes, zone] = await Promise.all([
    workspaceMoney(t),
    listCustomFields(t, "deal"),
    pipelinesWithStages(t),
    workspaceTimeZone(t),
  ]);
  const body: DealFormBody = current ? currentBody(current) : {};
  if (current) currentCustomValues(body, current.custom_fields, fields);
  const problems: FieldProblem[] = [];
  for (const key of ["name", "currency", "close_date", "owner_id"] as const)
    if (json[key] !== undefined) body[key] = json[key] ?? "";
  if (json.company_id !== undefined) body.company_id = json.company_id === null ? "" : String(json.company_id);
  if (json.contacts !== undefined) {
    body.contact_ids = json.contacts.map((c) => String(c.contact_id));
    body.contact_roles = json.contacts.map((c) => c.role ?? "");
  }
  if (json.tag_ids !== undefined) body.tag_ids = json.tag_ids.map(String);
  // A pipeline without a stage: its first stage, as the new-deal form starts.
  if (json.pipeline_id !== undefined || !current) {
    const pipe = json.pipeline_id === undefined ? pipes[0] : pipes.find((p) => p.id === json.pipeline_id);
    if (!pipe)
      problems.push({ field: "pipeline_id", message: "Choose a pipeline of this workspace (GET /pipelines)." });
    else {
      body.pipeline_id = String(pipe.id);
      if (json.stage_id === undefined && pipe.id !== current?.pipeline.id)
        body.stage_id = String(pipe.stages[0]?.id ?? "");
    }
  }
  if (json.stage_id !== undefined) {
    body.stage_id = String(json.stage_id);
    // A stage alone names its pipeline.
    if (json.pipeline_id === undefined) body.pipeline_id = "";
  }
  const unknown = customFieldsIntoBody(body, json.custom_fields, fields, "deal");
  const outcome = outcomeOf(json, current, dateInZone(Date.now(), zone), problems);
  const parsed = parseDealForm(body, { currency: money.currency, customFields: fields, defaultOwnerId: null });
  if (!parsed.ok) {
    // An unknown pipeline leaves no stage to start in: one problem, by the pipeline.
    if (problems.some((p) => p.field === "pipeline_id") && json.stage_id === undefined) delete parsed.errors.stage_id;
    throw invalidFields([...problems, ...unknown, ...dealProblems(parsed.errors, fields)]);
  }
  const input = { ...parsed.input, amountMinor: json.amount_minor ?? current?.amount_minor ?? 0 };
  // The kept minor units mean another amount in a currency of other decimals (12,500.50 USD is 1250050; as JPY
  // that would be ¥1,250,050): the caller says the amount in the new currency's units.
  if (
    current &&
    json.amount_minor === undefined &&
    input.currency !== current.currency &&
    minorDigits(input.currency) !== minorDigits(current.currency)
  )
    problems.push({
      field: "amount_minor",
      message: `${input.currency} has ${minorDigits(input.currency)} decimals where ${current.currency} has ${minorDigits(current.currency)}: send amount_minor in ${input.currency} with the new currency.`,
    });
  if (input.amountMinor > MAX_AMOUNT_MAJOR * 10 ** minorDigits(input.currency))
    problems.push({ field: "amount_minor", message: "That amount is too large." });
  if (problems.length || unknown.length) throw invalidFields([...problems, ...unknown]);
  const refs = await checkDealReferences(t, input);
  if (!refs.ok) throw invalidFields(dealProblems(refs.errors, fields));
  const stageName = pipes.flatMap((p) => p.stages).find((s) => s.id === input.stageId)?.name ?? "";
  return {
    input,
    pipelineId: refs.pipelineId,
    stageName,
    companyName: refs.companyName,
    locale: money.locale,
    outcome,
  };
}
