/**
 * Creating and editing a deal: GET /new, POST / (create), GET /:id/edit, POST /:id (update). Members
 * only. Bad input is the form again (422) with the message by the field, and nothing is written.
 */
import { trackFeature } from "../../../middleware/usage";
import { Hono, type Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { amountForInput, currencyCodes, minorDigits } from "../../../lib/money";
import { render } from "../../../lib/render";
import { checkDealReferences, dealFormChoices, parseDealForm, type DealFormBody } from "../../../services/deals/form";
import { pipelinesWithStages, workspaceMoney } from "../../../services/deals/choices";
import { StageGoneError } from "../../../services/deals/stage-gone";
import { CompanyGoneError } from "../../../services/records/company-ref";
import { getStage } from "../../../services/deals/stages";
import { getDealForEdit } from "../../../services/deals/page";
import { createDeal, updateDeal } from "../../../services/deals/write";
import { listCustomFields } from "../../../services/records/custom-fields";
import { requireRole } from "../../../middleware/session";
import { actorOf, authOf, tenantOf } from "../../context";
import { echo, parseRecordId } from "../../record-helpers";
import { DealFormPage } from "../../../../views/pages/deals/DealForm";
import {
  editPost,
  recordFormProps,
  submittedVersion,
  withCustomFieldValues,
  withNewTag,
  type RecordFormState,
} from "../shared/record-form";

export const dealEditRoutes = new Hono<AppEnv>();

/** A deal as its edit form reads it (with its contacts, tags and field values). */
type DealForEdit = NonNullable<Awaited<ReturnType<typeof getDealForEdit>>>;

interface FormState extends RecordFormState {
  contactRows: { contactId: string; role: string }[];
  version?: number;
  alert?: Child;
}

async function formPage(c: Context<AppEnv>, s: FormState, status: ContentfulStatusCode = 200) {
  const choices = await dealFormChoices(tenantOf(c), {
    companyId: parseRecordId(s.values.company_id),
    contactIds: s.contactRows.map((r) => parseRecordId(r.contactId)).filter((n): n is number => n !== null),
  });
  // The workspace's currency, written the reader's way.
  const { currency } = choices.money;
  const locale = authOf(c).user.locale;
  const digits = minorDigits(currency);
  return render(
    c,
    s.title,
    <DealFormPage
      {...recordFormProps("/app/deals", s)}
      contactRows={s.contactRows}
      pipelines={choices.pipelines}
      companies={choices.companies}
      contacts={choices.contacts}
      members={choices.members}
      tags={choices.tags}
      fields={choices.customFields}
      currencies={currencyCodes()}
      amountExample={amountForInput(Math.round(12500.5 * 10 ** digits), currency, locale)}
      version={s.version}
      alert={s.alert}
    />,
    status,
  );
}

function strings(body: DealFormBody, name: string): string[] {
  const v = body[name];
  const all = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return all.map((x) => (typeof x === "string" ? x : ""));
}

/** The form again with what was submitted. */
function resubmitted(body: DealFormBody, base: Pick<FormState, "mode" | "id" | "title">): FormState {
  const ids = strings(body, "contact_ids");
  const roles = strings(body, "contact_roles");
  return {
    ...base,
    values: echo(body),
    contactRows: ids.map((contactId, i) => ({ contactId, role: roles[i] ?? "" })).slice(0, 20),
    tagIds: strings(body, "tag_ids")
      .map(parseRecordId)
      .filter((n): n is number => n !== null),
  };
}

/** The stage was removed (another admin) between the form's check and its write: nothing was saved. */
function stageGone(err: unknown): StageGoneError {
  if (err instanceof StageGoneError) return err;
  throw err;
}

/** The stage or the company was removed between the form's check and its write: nothing was saved. */
function referenceGone(err: unknown): StageGoneError | CompanyGoneError {
  if (err instanceof CompanyGoneError) return err;
  return stageGone(err);
}

/** Parse, check references, resolve the new tag: the input for the service, or the form again. */
async function readDealForm(c: Context<AppEnv>, body: DealFormBody, base: FormState) {
  const t = tenantOf(c);
  const [money, customFields] = await Promise.all([workspaceMoney(t), listCustomFields(t, "deal")]);
  const again = { ...resubmitted(body, base), version: base.version };
  // The amount is read as the reader writes numbers (as the form showed it); the timeline keeps the workspace's.
  const parsed = parseDealForm(body, {
    ...money,
    locale: authOf(c).user.locale,
    customFields,
    // Support staff are no member: what they add has no owner until a member takes it.
    defaultOwnerId: base.mode === "new" && !authOf(c).support ? authOf(c).user.id : null,
  });
  if (!parsed.ok) return { response: await formPage(c, { ...again, errors: parsed.errors }, 422) };
  const refs = await checkDealReferences(t, parsed.input);
  if (!refs.ok) return { response: await formPage(c, { ...again, errors: refs.errors }, 422) };
  const tagged = await withNewTag(t, parsed.input, Date.now());
  if (!tagged.ok) return { response: await formPage(c, { ...again, errors: tagged.errors }, 422) };
  return { input: tagged.input, refs, money, again };
}

dealEditRoutes.get("/new", requireRole("member"), async (c) => {
  const t = tenantOf(c);
  // Only what the defaults need: formPage reads the form's choices (companies, contacts, members…) itself.
  const [pipelines, money] = await Promise.all([pipelinesWithStages(t), workspaceMoney(t)]);
  const wanted = parseRecordId(c.req.query("pipeline"));
  const pipeline = pipelines.find((p) => p.id === wanted) ?? pipelines[0];
  const companyId = parseRecordId(c.req.query("company_id"));
  const contactId = parseRecordId(c.req.query("contact_id"));
  return formPage(c, {
    mode: "new",
    title: "New deal",
    values: {
      currency: money.currency,
      owner_id: authOf(c).support ? "" : authOf(c).user.id,
      pipeline_id: pipeline ? String(pipeline.id) : "",
      stage_id: pipeline?.stages[0] ? String(pipeline.stages[0].id) : "",
      company_id: companyId ? String(companyId) : "",
    },
    contactRows: contactId ? [{ contactId: String(contactId), role: "" }] : [],
    tagIds: [],
  });
});

dealEditRoutes.post("/", requireRole("member"), async (c) => {
  const body = (await c.req.parseBody({ all: true })) as DealFormBody;
  const read = await readDealForm(c, body, { mode: "new", title: "New deal", values: {}, contactRows: [], tagIds: [] });
  if ("response" in read) return read.response;
  const id = await createDeal(tenantOf(c), actorOf(c), read.input, read.refs.pipelineId).catch(referenceGone);
  if (id instanceof StageGoneError) return formPage(c, { ...read.again, errors: { stage_id: id.message } }, 422);
  if (id instanceof CompanyGoneError) return formPage(c, { ...read.again, errors: { company_id: id.message } }, 422);
  trackFeature(c, "deal.created");
  return c.redirect(`/app/deals/${id}`, 303);
});

dealEditRoutes.get("/:id/edit", requireRole("member"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  const t = tenantOf(c);
  const found = id ? await getDealForEdit(t, id) : null;
  if (!found) return errorResponse(c, 404);
  const d = found.deal;
  const values = withCustomFieldValues(
    {
      name: d.name,
      amount: amountForInput(d.amountMinor, d.currency, authOf(c).user.locale),
      currency: d.currency,
      close_date: d.closeDate ?? "",
      pipeline_id: String(d.pipelineId),
      stage_id: String(d.stageId),
      owner_id: d.ownerId ?? "",
      company_id: d.companyId ? String(d.companyId) : "",
    },
    found.values,
    found.customFields,
    authOf(c).user.locale,
  );
  return formPage(c, {
    mode: "edit",
    id: d.id,
    title: `Edit ${d.name}`,
    values,
    contactRows: found.contacts.map((x) => ({ contactId: String(x.id), role: x.role ?? "" })),
    tagIds: found.tags.map((g) => g.id),
    version: d.updatedAt,
  });
});

dealEditRoutes.post("/:id", requireRole("member"), async (c) => {
  const t = tenantOf(c);
  const edit = await editPost<DealForEdit, DealFormBody>(c, getDealForEdit);
  if (!edit) return errorResponse(c, 404);
  const { existing, body } = edit;
  const version = submittedVersion(body);
  const base: FormState = {
    mode: "edit",
    id: existing.deal.id,
    title: `Edit ${existing.deal.name}`,
    values: {},
    contactRows: [],
    tagIds: [],
    version,
  };
  const read = await readDealForm(c, body, base);
  if ("response" in read) return read.response;
  const stage = await getStage(t, read.input.stageId);
  const result = await updateDeal(t, actorOf(c), existing.deal.id, version ?? null, read.input, {
    pipelineId: read.refs.pipelineId,
    stageName: stage?.name ?? "",
    companyName: read.refs.companyName,
    locale: read.money.locale,
  }).catch(referenceGone);
  if (result instanceof StageGoneError)
    return formPage(c, { ...read.again, errors: { stage_id: result.message } }, 422);
  if (result instanceof CompanyGoneError)
    return formPage(c, { ...read.again, errors: { company_id: result.message } }, 422);
  if (!result.ok) {
    if (result.reason === "not_found") return errorResponse(c, 404);
    const current = await getDealForEdit(t, existing.deal.id);
    if (!current) return errorResponse(c, 404);
    return formPage(
      c,
      {
        ...read.again,
        version: current.deal.updatedAt,
        alert:
          "Someone else changed this deal (or moved it) while you were editing, so your changes were not saved. " +
          "Check the fields below and save again to replace theirs with yours.",
      },
      409,
    );
  }
  return c.redirect(`/app/deals/${existing.deal.id}`, 303);
});
