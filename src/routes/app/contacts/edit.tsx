/**
 * Creating and editing a contact under /app/contacts: the form (new, edit), its submissions and the
 * duplicate warning shown while it is filled in. Members only.
 */
import { trackFeature } from "../../../middleware/usage";
import { Hono, type Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { formatPhone, normalizePhone } from "../../../lib/phone";
import { render } from "../../../lib/render";
import { billingConfig } from "../../../lib/stripe";
import { requireRole } from "../../../middleware/session";
import { PlanLimitError } from "../../../services/billing/limits";
import { CompanyGoneError } from "../../../services/records/company-ref";
import { CONTACT_LIMITS, checkReferences, contactFormChoices, findDuplicates } from "../../../services/contacts/form";
import { getContact, getContactWithExtras } from "../../../services/contacts/page";
import { createContact, updateContact } from "../../../services/contacts/write";
import { listCustomFields } from "../../../services/records/custom-fields";
import { tenantRegion } from "../../../services/records/workspace";
import { authOf, tenantOf } from "../../context";
import { echo, parseRecordId, type FormBody } from "../../record-helpers";
import { PlanLimitMessage } from "../../../../views/components/PlanLimit";
import { ContactFormPage, DuplicateWarning, type ContactFormProps } from "../../../../views/pages/contacts/ContactForm";
import { echoList, echoTagIds, emailSchema, parseContactForm, stringList } from "./form";
import { LIST_PATH } from "./list-parts";
import {
  editPost,
  recordFormProps,
  submittedVersion,
  withCustomFieldValues,
  withNewTag,
  type RecordFormState,
} from "../shared/record-form";

/** The form's routes, mounted with the others at /app/contacts (src/routes/app/contacts/index.ts). */
export const contactEditRoutes = new Hono<AppEnv>();

interface FormState extends RecordFormState {
  emails: string[];
  phones: string[];
  duplicates?: ContactFormProps["duplicates"];
  alert?: Child;
  version?: number;
}

/** Renders the contact form with what it offers (companies, tags, fields, members) and the state given. */
async function formPage(c: Context<AppEnv>, s: FormState, status: ContentfulStatusCode = 200) {
  const t = tenantOf(c);
  const companyId = parseRecordId(s.values.company_id);
  const [choices, region] = await Promise.all([contactFormChoices(t, companyId), tenantRegion(t)]);
  return render(
    c,
    s.title,
    <ContactFormPage
      {...recordFormProps(LIST_PATH, s)}
      emails={s.emails}
      phones={s.phones}
      companies={choices.companies}
      companiesTruncated={choices.companiesTruncated}
      tags={choices.tags}
      fields={choices.customFields}
      members={choices.members}
      region={region}
      duplicates={s.duplicates}
      alert={s.alert}
      version={s.version}
    />,
    status,
  );
}

/** The form again with what was submitted. */
function resubmitted(body: FormBody, base: Pick<FormState, "mode" | "id" | "title">): FormState {
  return {
    ...base,
    values: echo(body),
    emails: echoList(body, "emails"),
    phones: echoList(body, "phones"),
    tagIds: echoTagIds(body),
  };
}

/**
 * Shared by create and update: parse, check references, and resolve the new tag. Returns the input
 * ready for the service, or the response to send (the form with its errors).
 */
async function readContactForm(
  c: Context<AppEnv>,
  body: FormBody,
  base: Pick<FormState, "mode" | "id" | "title">,
  version?: number,
) {
  const t = tenantOf(c);
  const [region, customFields] = await Promise.all([tenantRegion(t), listCustomFields(t, "contact")]);
  const again = { ...resubmitted(body, base), version };
  const parsed = parseContactForm(body, {
    region,
    customFields,
    // Support staff are no member: what they add has no owner until a member takes it.
    defaultOwnerId: base.mode === "new" && !authOf(c).support ? authOf(c).user.id : null,
    locale: authOf(c).user.locale,
  });
  if (!parsed.ok) return { response: await formPage(c, { ...again, errors: parsed.errors }, 422) };
  const refs = await checkReferences(t, parsed.input);
  if (!refs.ok) return { response: await formPage(c, { ...again, errors: refs.errors }, 422) };
  return { parsed, companyName: refs.companyName, again };
}

contactEditRoutes.get("/new", requireRole("member"), async (c) => {
  const auth = authOf(c);
  // ?company_id= preselects a company (a link from the company's page).
  const companyId = parseRecordId(c.req.query("company_id"));
  return formPage(c, {
    mode: "new",
    title: "New contact",
    values: { owner_id: auth.support ? "" : auth.user.id, company_id: companyId ? String(companyId) : "" },
    emails: [],
    phones: [],
    tagIds: [],
  });
});

contactEditRoutes.post("/", requireRole("member"), async (c) => {
  const auth = authOf(c);
  const t = tenantOf(c);
  const body = (await c.req.parseBody({ all: true })) as FormBody;
  const read = await readContactForm(c, body, { mode: "new", title: "New contact" });
  if ("response" in read) return read.response;
  const { parsed, again } = read;
  // The same email or phone as an existing contact: show them and ask, unless "Create anyway" was chosen.
  if (!parsed.allowDuplicate) {
    const duplicates = await findDuplicates(t, parsed.input);
    if (duplicates.length) return formPage(c, { ...again, duplicates }, 409);
  }
  const now = Date.now();
  const tagged = await withNewTag(t, parsed.input, now);
  if (!tagged.ok) return formPage(c, { ...again, errors: tagged.errors }, 422);
  const input = tagged.input;
  // The Free plan's cap is checked inside the create's batch (services/billing/limits.ts), so it holds under races.
  const limit = billingConfig(c.env).limits?.contacts ?? null;
  try {
    const id = await createContact(t, auth.user.id, { ...input, companyName: read.companyName }, now, limit);
    trackFeature(c, "contact.created");
    return c.redirect(`${LIST_PATH}/${id}`, 303);
  } catch (err) {
    // The company was deleted between the check above and the write: the form again, the message by the field.
    if (err instanceof CompanyGoneError) return formPage(c, { ...again, errors: { company_id: err.message } }, 422);
    if (!(err instanceof PlanLimitError)) throw err;
    // 402, as for seats: the role allows creating; the plan has no room left. What was typed stays.
    return formPage(
      c,
      {
        ...again,
        alert: (
          <PlanLimitMessage
            what="contacts"
            limit={err.max}
            isOwner={auth.role === "owner"}
            billingState={auth.tenant.billingState}
          />
        ),
      },
      402,
    );
  }
});

// While the form is being filled in: warns about contacts with the same email or phone (htmx fragment).
contactEditRoutes.post("/check-duplicates", requireRole("member"), async (c) => {
  const t = tenantOf(c);
  const body = (await c.req.parseBody({ all: true })) as FormBody;
  const region = await tenantRegion(t);
  const emails = (stringList(body, "emails") ?? []).slice(0, CONTACT_LIMITS.emails).flatMap((raw) => {
    const r = emailSchema.safeParse(raw);
    return r.success ? [r.data] : [];
  });
  const phones = (stringList(body, "phones") ?? []).slice(0, CONTACT_LIMITS.phones).flatMap((raw) => {
    if (!raw.trim()) return [];
    const r = normalizePhone(raw, region);
    return r.ok ? [r.e164] : [];
  });
  const duplicates = emails.length || phones.length ? await findDuplicates(t, { emails, phones }) : [];
  return c.html(<DuplicateWarning duplicates={duplicates} withButton={false} />);
});

contactEditRoutes.get("/:id/edit", requireRole("member"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  const found = id ? await getContactWithExtras(tenantOf(c), id) : null;
  if (!found) return errorResponse(c, 404);
  const k = found.contact;
  const values = withCustomFieldValues(
    {
      first_name: k.firstName,
      last_name: k.lastName,
      job_title: k.jobTitle ?? "",
      company_id: k.companyId ? String(k.companyId) : "",
      address: k.address ?? "",
      owner_id: k.ownerId ?? "",
    },
    found.values,
    found.customFields,
    authOf(c).user.locale,
  );
  return formPage(c, {
    mode: "edit",
    id: k.id,
    title: `Edit ${k.name}`,
    values,
    emails: k.emails,
    phones: k.phones.map(formatPhone),
    tagIds: found.tags.map((t) => t.id),
    version: k.updatedAt,
  });
});

contactEditRoutes.post("/:id", requireRole("member"), async (c) => {
  const t = tenantOf(c);
  const edit = await editPost(c, getContact);
  if (!edit) return errorResponse(c, 404);
  const { existing, body } = edit;
  const base = { mode: "edit" as const, id: existing.id, title: `Edit ${existing.name}` };
  const read = await readContactForm(c, body, base, submittedVersion(body));
  if ("response" in read) return read.response;
  const now = Date.now();
  const tagged = await withNewTag(t, read.parsed.input, now);
  if (!tagged.ok) return formPage(c, { ...read.again, errors: tagged.errors }, 422);
  const input = tagged.input;
  const result = await updateContact(
    t,
    authOf(c).user.id,
    existing.id,
    read.parsed.version,
    { ...input, companyName: read.companyName },
    now,
  ).catch((err: unknown) => {
    if (err instanceof CompanyGoneError) return err;
    throw err;
  });
  // The company was deleted between the check and the write: nothing was saved.
  if (result instanceof CompanyGoneError)
    return formPage(c, { ...read.again, errors: { company_id: result.message } }, 422);
  if (!result.ok) {
    if (result.reason === "not_found") return errorResponse(c, 404);
    // Someone saved first. Their version is kept; the form shows these changes again, now based on it.
    return formPage(
      c,
      {
        ...read.again,
        version: result.current?.updatedAt,
        alert:
          "Someone else saved changes to this contact while you were editing, so yours were not saved. " +
          "Check the fields below and save again to replace their changes with yours.",
      },
      409,
    );
  }
  return c.redirect(`${LIST_PATH}/${existing.id}`, 303);
});
