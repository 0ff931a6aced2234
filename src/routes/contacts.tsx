/**
 * Contacts under /app/contacts: the list (search as you type, filters, sorts, keyset pages, bulk
 * actions), the contact page, create, edit and delete. Viewers read; members write. Another tenant's
 * contact id is simply not found (404) on every route.
 */
import { Hono, type Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../env";
import { errorResponse } from "../lib/errors";
import { formatPhone, normalizePhone } from "../lib/phone";
import { render, wantsFragment } from "../lib/render";
import { requestMeta } from "../lib/request";
import { roleAtLeast } from "../lib/roles";
import { billingConfig } from "../lib/stripe";
import { email, safeNextPath, tagName, text } from "../lib/validation";
import { deferSessionCheck, requireRole, withSessionBatch } from "../middleware/session";
import {
  BULK_MAX_IDS,
  CONTACT_LIMITS,
  CONTACT_SORTS,
  DEFAULT_DIRECTION,
  checkReferences,
  contactDisplayName,
  contactFormChoices,
  createContact,
  decodeCursor,
  deleteContacts,
  encodeCursor,
  findDuplicates,
  findOrCreateTag,
  getContact,
  contactPageFromResults,
  contactPageStatements,
  getContactWithExtras,
  contactsListFromResults,
  contactsListStatements,
  ownedContacts,
  tagContacts,
  tenantRegion,
  untagContacts,
  updateContact,
  type ContactInput,
  type ContactSort,
  type SortDirection,
} from "../services/contacts/contacts";
import { PlanLimitError } from "../services/billing/billing";
import { listCustomFields, parseCustomFieldsForm, type CustomField } from "../services/records/custom-fields";
import { searchTerms } from "../services/records/search";
import { contactFilterQuery, exportPageHref, parseContactFilters } from "./list-filters";
import { parseRecordId, timelineProps } from "./record-helpers";
import { PlanLimitMessage } from "../../views/components/PlanLimit";
import {
  BulkDeletePage,
  BulkErasePage,
  BulkProblemPage,
  ContactDeletePage,
  ContactErasePage,
  ContactPage,
} from "../../views/pages/contacts/ContactPage";
import { ContactFormPage, DuplicateWarning, type ContactFormProps } from "../../views/pages/contacts/ContactForm";
import {
  CONTACT_NOTICES,
  ContactResults,
  ContactsListPage,
  type ContactFilters,
  type ContactNotice,
  type SortLink,
} from "../../views/pages/contacts/ContactsListPage";

/** Mounted at /app/contacts. */
export const contactsRoutes = new Hono<AppEnv>();

type Body = Record<string, string | File | (string | File)[]>;

const LIST_PATH = "/app/contacts";

/** A repeated form field as strings; null when any value is a file. */
function stringList(body: Body, name: string): string[] | null {
  const v = body[name];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.every((x): x is string => typeof x === "string") ? list : null;
}

/** The submitted single text values, for showing the form again. */
function echo(body: Body): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

function echoTagIds(body: Body): number[] {
  return (stringList(body, "tag_ids") ?? []).map(parseRecordId).filter((n): n is number => n !== null);
}

// ---- the form -------------------------------------------------------------------------------------

const COMPANY_ERROR = "Choose a company from the list.";
const OWNER_ERROR = "Choose a member of this workspace as the owner.";

const scalarSchema = z.object({
  first_name: text("First name", { max: CONTACT_LIMITS.name }),
  last_name: text("Last name", { max: CONTACT_LIMITS.name }),
  job_title: text("Job title", { max: CONTACT_LIMITS.jobTitle }),
  address: text("Address", { max: CONTACT_LIMITS.address }),
  new_tag: tagName("New tag", { max: CONTACT_LIMITS.tagName }),
  company_id: z.string({ error: COMPANY_ERROR }).regex(/^(|[1-9]\d{0,14})$/, { error: COMPANY_ERROR }),
  owner_id: z.string({ error: OWNER_ERROR }).max(100, { error: OWNER_ERROR }),
});

const emailSchema = email();
/** More inputs than the form ever shows is not a person typing; refuse before looking at each. */
const MAX_LIST_VALUES = 20;

type FormResult =
  | { ok: true; input: ContactInput; allowDuplicate: boolean; version: number | null }
  | { ok: false; errors: Record<string, string> };

/**
 * Reads and checks the contact form: lengths, emails (trimmed, lower case), phones (E.164, national
 * numbers read in the tenant's region), tag ids, custom fields. References (company, tags, owner)
 * are checked against the tenant by the service afterwards.
 */
function parseContactForm(
  body: Body,
  ctx: { region: string; customFields: CustomField[]; defaultOwnerId: string | null },
): FormResult {
  const errors: Record<string, string> = {};
  const scalarInput: Record<string, unknown> = {};
  for (const key of Object.keys(scalarSchema.shape)) scalarInput[key] = body[key] ?? "";
  const scalars = scalarSchema.safeParse(scalarInput);
  if (!scalars.success)
    for (const issue of scalars.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;

  const emails: string[] = [];
  const rawEmails = stringList(body, "emails");
  if (rawEmails === null || rawEmails.length > MAX_LIST_VALUES)
    errors.emails = `Enter at most ${CONTACT_LIMITS.emails} email addresses.`;
  else {
    rawEmails.forEach((raw, i) => {
      if (raw.trim() === "") return;
      const r = emailSchema.safeParse(raw);
      if (!r.success)
        errors[`emails_${i}`] = r.error.issues[0]?.message ?? "Enter an email address like name@example.com.";
      else if (!emails.includes(r.data)) emails.push(r.data);
    });
    if (emails.length > CONTACT_LIMITS.emails)
      errors.emails = `Enter at most ${CONTACT_LIMITS.emails} email addresses.`;
  }

  const phones: string[] = [];
  const rawPhones = stringList(body, "phones");
  if (rawPhones === null || rawPhones.length > MAX_LIST_VALUES)
    errors.phones = `Enter at most ${CONTACT_LIMITS.phones} phone numbers.`;
  else {
    rawPhones.forEach((raw, i) => {
      if (raw.trim() === "") return;
      const r = normalizePhone(raw, ctx.region);
      if (!r.ok) errors[`phones_${i}`] = r.message;
      else if (!phones.includes(r.e164)) phones.push(r.e164);
    });
    if (phones.length > CONTACT_LIMITS.phones) errors.phones = `Enter at most ${CONTACT_LIMITS.phones} phone numbers.`;
  }

  const rawTagIds = stringList(body, "tag_ids");
  const tagIds = (rawTagIds ?? []).map(parseRecordId);
  if (rawTagIds === null || tagIds.some((t) => t === null)) errors.tag_ids = "Choose tags from the list.";
  else if (tagIds.length > CONTACT_LIMITS.tags) errors.tag_ids = `Choose at most ${CONTACT_LIMITS.tags} tags.`;

  const custom = parseCustomFieldsForm(ctx.customFields, body);
  if (!custom.ok) Object.assign(errors, custom.errors);

  const data = scalars.success ? scalars.data : null;
  if (
    data &&
    !data.first_name &&
    !data.last_name &&
    emails.length === 0 &&
    !errors.emails &&
    !Object.keys(errors).some((k) => k.startsWith("emails_"))
  ) {
    errors.first_name = "Enter a first or last name, or an email address.";
  }
  if (!data || Object.keys(errors).length || !custom.ok) return { ok: false, errors };

  const versionRaw = typeof body.version === "string" ? body.version : "";
  const version = /^\d{1,16}$/.test(versionRaw) ? Number(versionRaw) : null;
  return {
    ok: true,
    allowDuplicate: body.allow_duplicate === "1",
    version,
    input: {
      firstName: data.first_name,
      lastName: data.last_name,
      emails,
      phones,
      jobTitle: data.job_title || null,
      companyId: data.company_id ? Number(data.company_id) : null,
      address: data.address || null,
      tagIds: [...new Set(tagIds as number[])],
      newTag: data.new_tag || null,
      customValues: custom.values,
      // No owner field at all (a client that sends only some fields): the creator owns it.
      ownerId: body.owner_id === undefined ? ctx.defaultOwnerId : data.owner_id || null,
    },
  };
}

interface FormState {
  mode: "new" | "edit";
  id?: number;
  title: string;
  values: Record<string, string>;
  emails: string[];
  phones: string[];
  tagIds: number[];
  errors?: Record<string, string>;
  duplicates?: ContactFormProps["duplicates"];
  alert?: Child;
  version?: number;
}

/** Renders the contact form with what it offers (companies, tags, fields, members) and the state given. */
async function formPage(c: Context<AppEnv>, s: FormState, status: ContentfulStatusCode = 200) {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const companyId = parseRecordId(s.values.company_id);
  const [choices, region] = await Promise.all([
    contactFormChoices(db, auth.tenant.id, companyId),
    tenantRegion(db, auth.tenant.id),
  ]);
  return render(
    c,
    s.title,
    <ContactFormPage
      title={s.title}
      mode={s.mode}
      action={s.mode === "new" ? LIST_PATH : `${LIST_PATH}/${s.id}`}
      cancelHref={s.mode === "new" ? LIST_PATH : `${LIST_PATH}/${s.id}`}
      values={s.values}
      emails={s.emails}
      phones={s.phones}
      tagIds={s.tagIds}
      errors={s.errors ?? {}}
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

/** A submitted list without its trailing empty inputs; positions stay, so errors stay beside their input. */
function echoList(body: Body, name: string): string[] {
  const list = stringList(body, name) ?? [];
  let end = list.length;
  while (end > 0 && list[end - 1]!.trim() === "") end -= 1;
  return list.slice(0, end);
}

/** The form again with what was submitted. */
function resubmitted(body: Body, base: Pick<FormState, "mode" | "id" | "title">): FormState {
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
  body: Body,
  base: Pick<FormState, "mode" | "id" | "title">,
  version?: number,
) {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const [region, customFields] = await Promise.all([
    tenantRegion(db, auth.tenant.id),
    listCustomFields(db, auth.tenant.id, "contact"),
  ]);
  const again = { ...resubmitted(body, base), version };
  const parsed = parseContactForm(body, {
    region,
    customFields,
    defaultOwnerId: base.mode === "new" ? auth.user.id : null,
  });
  if (!parsed.ok) return { response: await formPage(c, { ...again, errors: parsed.errors }, 422) };
  const refs = await checkReferences(db, auth.tenant.id, parsed.input);
  if (!refs.ok) return { response: await formPage(c, { ...again, errors: refs.errors }, 422) };
  return { parsed, companyName: refs.companyName, again };
}

async function withNewTag(c: Context<AppEnv>, input: ContactInput, now: number): Promise<ContactInput> {
  if (!input.newTag) return input;
  const tag = await findOrCreateTag(c.get("db"), c.get("auth")!.tenant.id, input.newTag, now);
  return { ...input, tagIds: [...new Set([...input.tagIds, tag.id])] };
}

// ---- the list ---------------------------------------------------------------------------------------

const SORT_LABELS: Record<ContactSort, string> = {
  name: "name",
  company: "company",
  created: "date created",
  updated: "last updated",
  activity: "last activity",
};

/** The sort when none is chosen: by name, or newest first while searching. */
function defaultSortFor(q: string): ContactSort {
  return searchTerms(q).length > 0 ? "created" : "name";
}

/** A list URL for some filters; only what differs from the defaults goes in. */
function listHref(f: ContactFilters, cursor?: string): string {
  const q = new URLSearchParams();
  if (f.q) q.set("q", f.q);
  if (f.tag) q.set("tag", f.tag);
  if (f.owner) q.set("owner", f.owner);
  if (f.company) q.set("company", f.company);
  for (const [k, v] of Object.entries(f.custom)) if (v) q.set(k, v);
  if (f.sort !== defaultSortFor(f.q ?? "")) q.set("sort", f.sort);
  if (f.dir !== DEFAULT_DIRECTION[f.sort as ContactSort]) q.set("dir", f.dir);
  if (cursor) q.set("cursor", cursor);
  const s = q.toString();
  return s ? `${LIST_PATH}?${s}` : LIST_PATH;
}

contactsRoutes.get("/", deferSessionCheck, async (c) => {
  const db = c.get("db");
  const query = new URL(c.req.url).searchParams;

  const sortParam = query.get("sort") ?? "";
  // A search lists newest matches first unless a sort is chosen: that order streams from the search
  // index, so even a prefix that matches every contact answers in about a millisecond.
  const defaultSort = defaultSortFor(query.get("q") ?? "");
  const sort: ContactSort = (CONTACT_SORTS as readonly string[]).includes(sortParam)
    ? (sortParam as ContactSort)
    : defaultSort;
  const dirParam = query.get("dir");
  const dir: SortDirection = dirParam === "asc" || dirParam === "desc" ? dirParam : DEFAULT_DIRECTION[sort];
  // The same reading of the filters as the exports (list-filters.ts); the list ignores what it cannot read.
  const readFilters = async (tenantId: string) => {
    const f = await parseContactFilters(db, tenantId, query);
    const listQuery = {
      sort,
      dir,
      match: f.match,
      tagId: f.tagId,
      companyId: f.companyId,
      ownerId: f.ownerId,
      custom: f.custom,
      cursor: decodeCursor(query.get("cursor") ?? undefined, sort, dir),
    };
    return { ...f, listQuery };
  };
  let read: Awaited<ReturnType<typeof readFilters>> | null = null;
  // One round trip for the whole page, the session check included (withSessionBatch). The total
  // comes from the tenant's counter, never from counting rows; only the unfiltered list shows it.
  const batch = await withSessionBatch(c, async (tenantId) => {
    read = await readFilters(tenantId);
    return contactsListStatements(db, tenantId, read.listQuery, read.companyId);
  });
  if (!batch.ok) return batch.response;
  const auth = c.get("auth")!;
  const tenantId = batch.tenantId;
  const { q, tagId, companyId, ownerId, customEcho, filtered, listQuery } = read!;
  const {
    page,
    customFields,
    tags,
    tagsByContact,
    members,
    total,
    companyName: company,
  } = await contactsListFromResults(db, tenantId, listQuery, batch.results);
  const counters = filtered ? null : { contacts: total };
  const ownerEmail = new Map(members.map((m) => [m.userId, m.email]));

  const filters: ContactFilters = {
    q,
    sort,
    dir,
    tag: tagId ? String(tagId) : "",
    owner: ownerId ?? "",
    company: companyId ? String(companyId) : "",
    custom: customEcho,
  };
  const sortLink = (s: ContactSort): SortLink => {
    const current = sort === s;
    const nextDir: SortDirection = current ? (dir === "asc" ? "desc" : "asc") : DEFAULT_DIRECTION[s];
    return {
      href: listHref({ ...filters, sort: s, dir: nextDir }),
      state: current ? (dir === "asc" ? "ascending" : "descending") : null,
    };
  };
  const results = {
    rows: page.rows.map((r) => ({
      id: r.id,
      name: contactDisplayName(r),
      companyId: r.companyId,
      companyName: r.companyName,
      email: r.primaryEmail,
      phone: r.primaryPhone,
      phoneDisplay: r.primaryPhone ? formatPhone(r.primaryPhone) : null,
      tags: tagsByContact.get(r.id) ?? [],
      owner: r.ownerId ? (ownerEmail.get(r.ownerId) ?? "former member") : null,
      updatedAt: r.updatedAt,
    })),
    total: counters?.contacts ?? null,
    filtered,
    sortLinks: { name: sortLink("name"), company: sortLink("company"), updated: sortLink("updated") },
    sortLabel: `${SORT_LABELS[sort]}, ${dir === "asc" ? "ascending" : "descending"}`,
    nextHref: page.next ? listHref(filters, encodeCursor(page.next)) : null,
    previousHref: page.previous ? listHref(filters, encodeCursor(page.previous)) : null,
    canWrite: roleAtLeast(auth.role, "member"),
    selfHref: listHref(filters, query.get("cursor") ?? undefined),
    // Admins and owners export; the link carries the filters, so the export is what the list shows.
    exportHref: roleAtLeast(auth.role, "admin")
      ? exportPageHref("contacts", contactFilterQuery({ q, tagId, companyId, ownerId, customEcho }))
      : null,
  };

  // The search box (hx-get, hx-target="#contact-results") wants the results region only.
  if (wantsFragment(c) && c.req.header("HX-Target") === "contact-results")
    return render(c, "Contacts", <ContactResults {...results} />);

  const noticeKey = query.get("notice");
  const n = Number(query.get("n") ?? "0");
  const notice =
    noticeKey && noticeKey in CONTACT_NOTICES
      ? CONTACT_NOTICES[noticeKey as ContactNotice](Number.isSafeInteger(n) && n >= 0 ? n : 0)
      : null;
  return render(
    c,
    "Contacts",
    <ContactsListPage
      results={results}
      filters={filters}
      tags={tags}
      members={members}
      customFields={customFields}
      company={
        companyId && company !== null ? { name: company, clearHref: listHref({ ...filters, company: "" }) } : null
      }
      sorts={CONTACT_SORTS.map((s) => ({
        value: s,
        label: SORT_LABELS[s][0]!.toUpperCase() + SORT_LABELS[s].slice(1),
      }))}
      notice={notice}
      canWrite={results.canWrite}
      canErase={roleAtLeast(auth.role, "admin")}
    />,
  );
});

// ---- create --------------------------------------------------------------------------------------------

contactsRoutes.get("/new", requireRole("member"), async (c) => {
  const auth = c.get("auth")!;
  // ?company_id= preselects a company (a link from the company's page).
  const companyId = parseRecordId(c.req.query("company_id"));
  return formPage(c, {
    mode: "new",
    title: "New contact",
    values: { owner_id: auth.user.id, company_id: companyId ? String(companyId) : "" },
    emails: [],
    phones: [],
    tagIds: [],
  });
});

contactsRoutes.post("/", requireRole("member"), async (c) => {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const body = (await c.req.parseBody({ all: true })) as Body;
  const read = await readContactForm(c, body, { mode: "new", title: "New contact" });
  if ("response" in read) return read.response;
  const { parsed, again } = read;
  // The same email or phone as an existing contact: show them and ask, unless "Create anyway" was chosen.
  if (!parsed.allowDuplicate) {
    const duplicates = await findDuplicates(db, auth.tenant.id, parsed.input);
    if (duplicates.length) return formPage(c, { ...again, duplicates }, 409);
  }
  const now = Date.now();
  const input = await withNewTag(c, parsed.input, now);
  // The Free plan's cap is checked inside the create's batch (services/billing.ts), so it holds under races.
  const limit = billingConfig(c.env).limits?.contacts ?? null;
  try {
    const id = await createContact(
      db,
      auth.tenant.id,
      auth.user.id,
      { ...input, companyName: read.companyName },
      now,
      limit,
    );
    return c.redirect(`${LIST_PATH}/${id}`, 303);
  } catch (err) {
    if (!(err instanceof PlanLimitError)) throw err;
    // 402, as for seats: the role allows creating; the plan has no room left. What was typed stays.
    return formPage(
      c,
      { ...again, alert: <PlanLimitMessage what="contacts" limit={err.max} isOwner={auth.role === "owner"} /> },
      402,
    );
  }
});

// While the form is being filled in: warns about contacts with the same email or phone (htmx fragment).
contactsRoutes.post("/check-duplicates", requireRole("member"), async (c) => {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const body = (await c.req.parseBody({ all: true })) as Body;
  const region = await tenantRegion(db, auth.tenant.id);
  const emails = (stringList(body, "emails") ?? []).slice(0, CONTACT_LIMITS.emails).flatMap((raw) => {
    const r = emailSchema.safeParse(raw);
    return r.success ? [r.data] : [];
  });
  const phones = (stringList(body, "phones") ?? []).slice(0, CONTACT_LIMITS.phones).flatMap((raw) => {
    if (!raw.trim()) return [];
    const r = normalizePhone(raw, region);
    return r.ok ? [r.e164] : [];
  });
  const duplicates = emails.length || phones.length ? await findDuplicates(db, auth.tenant.id, { emails, phones }) : [];
  return c.html(<DuplicateWarning duplicates={duplicates} withButton={false} />);
});

// ---- bulk actions -------------------------------------------------------------------------------------

/** Where a bulk action returns: the contacts list as it was (its filters and page), never elsewhere. */
function bulkBack(raw: unknown): string {
  try {
    const url = new URL(safeNextPath(raw, LIST_PATH), "http://local");
    if (url.origin !== "http://local" || url.pathname !== LIST_PATH) return LIST_PATH;
    url.searchParams.delete("notice");
    url.searchParams.delete("n");
    return url.pathname + url.search;
  } catch {
    return LIST_PATH;
  }
}

function withNotice(back: string, notice: ContactNotice, n: number): string {
  const url = new URL(back, "http://local");
  url.searchParams.set("notice", notice);
  url.searchParams.set("n", String(n));
  return url.pathname + url.search;
}

contactsRoutes.post("/bulk", requireRole("member"), async (c) => {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const body = (await c.req.parseBody({ all: true })) as Body;
  const back = bulkBack(body.back);
  const problem = (message: string) =>
    render(c, "Nothing was changed", <BulkProblemPage message={message} back={back} />, 422);

  const action = body.action;
  if (action !== "tag" && action !== "untag" && action !== "delete" && action !== "erase")
    return problem("Choose what to do with the selected contacts.");
  // Erasing (a privacy request, possibly suppressing future imports) is for admins and owners.
  if (action === "erase" && !roleAtLeast(auth.role, "admin")) return errorResponse(c, 403);
  const rawIds = stringList(body, "ids");
  if (rawIds === null || rawIds.length > BULK_MAX_IDS)
    return problem(`Select at most ${BULK_MAX_IDS} contacts at a time.`);
  const ids = rawIds.map(parseRecordId);
  if (ids.some((id) => id === null)) return problem("The selection could not be read. Select the contacts again.");
  const unique = [...new Set(ids as number[])];
  if (unique.length === 0) return problem("Select at least one contact first.");
  const now = Date.now();

  if (action === "delete") {
    // Asks first, listing who would go; the confirmation posts again with confirm=1.
    if (body.confirm !== "1") {
      const contacts = await ownedContacts(db, auth.tenant.id, unique);
      if (contacts.length === 0) return problem("The selected contacts no longer exist.");
      return render(c, "Delete contacts", <BulkDeletePage contacts={contacts} back={back} />);
    }
    const meta = requestMeta(c);
    const deleted = await deleteContacts(
      db,
      auth.tenant.id,
      { userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent },
      unique,
      now,
      { bulk: true },
    );
    return c.redirect(withNotice(back, "bulk_deleted", deleted), 303);
  }

  if (action === "erase") {
    const suppressKey = c.env.SUPPRESSION_KEY || undefined;
    if (body.confirm !== "1") {
      const contacts = await ownedContacts(db, auth.tenant.id, unique);
      if (contacts.length === 0) return problem("The selected contacts no longer exist.");
      return render(
        c,
        "Erase contacts",
        <BulkErasePage contacts={contacts} back={back} canSuppress={suppressKey !== undefined} />,
      );
    }
    const meta = requestMeta(c);
    const erase = { suppressKey: body.suppress === "1" ? suppressKey : undefined };
    const erased = await deleteContacts(
      db,
      auth.tenant.id,
      { userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent },
      unique,
      now,
      { bulk: true, erase },
    );
    return c.redirect(withNotice(back, "bulk_erased", erased), 303);
  }

  const tagId = parseRecordId(body.tag_id);
  if (tagId === null) return problem("Choose the tag to add or remove.");
  const changed =
    action === "tag"
      ? await tagContacts(db, auth.tenant.id, auth.user.id, unique, tagId, now)
      : await untagContacts(db, auth.tenant.id, auth.user.id, unique, tagId, now);
  if (changed === null) return problem("Choose a tag from the list.");
  return c.redirect(withNotice(back, action === "tag" ? "tagged" : "untagged", changed), 303);
});

// ---- one contact ------------------------------------------------------------------------------------

contactsRoutes.get("/:id", deferSessionCheck, async (c) => {
  const db = c.get("db");
  const id = parseRecordId(c.req.param("id"));
  // One round trip for the whole page, the session check included (withSessionBatch): the contact,
  // its tags, fields, values, notes and activity, each read by tenant and id, so another tenant's
  // id reads nothing and answers 404.
  const batch = await withSessionBatch(c, async (tenantId) =>
    id === null ? [] : contactPageStatements(db, tenantId, id),
  );
  if (!batch.ok) return batch.response;
  const auth = c.get("auth")!;
  const found = id === null ? null : contactPageFromResults(id, batch.results);
  if (!found) return errorResponse(c, 404);
  const { timeline } = found;
  const k = found.contact;
  return render(
    c,
    k.name,
    <ContactPage
      contact={{
        id: k.id,
        name: k.name,
        firstName: k.firstName,
        lastName: k.lastName,
        jobTitle: k.jobTitle,
        companyId: k.companyId,
        companyName: k.companyName,
        address: k.address,
        emails: k.emails,
        phones: k.phones.map((e164) => ({ e164, display: formatPhone(e164) })),
        owner: k.ownerId ? (k.ownerEmail ?? "former member") : null,
        createdAt: k.createdAt,
        updatedAt: k.updatedAt,
      }}
      tags={found.tags}
      fields={found.customFields}
      values={found.values}
      canWrite={roleAtLeast(auth.role, "member")}
      canErase={roleAtLeast(auth.role, "admin")}
      timeline={timelineProps(auth, { type: "contact", id: k.id }, { ...timeline, fields: found.customFields })}
    />,
  );
});

contactsRoutes.get("/:id/edit", requireRole("member"), async (c) => {
  const auth = c.get("auth")!;
  const id = parseRecordId(c.req.param("id"));
  const found = id ? await getContactWithExtras(c.get("db"), auth.tenant.id, id) : null;
  if (!found) return errorResponse(c, 404);
  const k = found.contact;
  const values: Record<string, string> = {
    first_name: k.firstName,
    last_name: k.lastName,
    job_title: k.jobTitle ?? "",
    company_id: k.companyId ? String(k.companyId) : "",
    address: k.address ?? "",
    owner_id: k.ownerId ?? "",
  };
  for (const [fieldId, value] of found.values) values[`cf_${fieldId}`] = value;
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

contactsRoutes.post("/:id", requireRole("member"), async (c) => {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const id = parseRecordId(c.req.param("id"));
  const existing = id ? await getContact(db, auth.tenant.id, id) : null;
  if (!existing) return errorResponse(c, 404);
  const body = (await c.req.parseBody({ all: true })) as Body;
  const base = { mode: "edit" as const, id: existing.id, title: `Edit ${existing.name}` };
  const submittedVersion =
    typeof body.version === "string" && /^\d{1,16}$/.test(body.version) ? Number(body.version) : undefined;
  const read = await readContactForm(c, body, base, submittedVersion);
  if ("response" in read) return read.response;
  const now = Date.now();
  const input = await withNewTag(c, read.parsed.input, now);
  const result = await updateContact(
    db,
    auth.tenant.id,
    auth.user.id,
    existing.id,
    read.parsed.version,
    { ...input, companyName: read.companyName },
    now,
  );
  if (!result.ok) {
    if (result.reason === "not_found") return errorResponse(c, 404);
    // Someone saved first. Their version is kept; the form shows these changes again, now based on it.
    return formPage(
      c,
      {
        ...read.again,
        version: result.current?.updatedAt,
        alert:
          "Someone else saved changes to this contact while you were editing, so yours were not saved. Check the fields below and save again to replace their changes with yours.",
      },
      409,
    );
  }
  return c.redirect(`${LIST_PATH}/${existing.id}`, 303);
});

// ---- delete -------------------------------------------------------------------------------------------

async function removeContact(c: Context<AppEnv>): Promise<boolean> {
  const auth = c.get("auth")!;
  const id = parseRecordId(c.req.param("id"));
  if (id === null) return false;
  const meta = requestMeta(c);
  const deleted = await deleteContacts(
    c.get("db"),
    auth.tenant.id,
    { userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent },
    [id],
    meta.now,
    { bulk: false },
  );
  return deleted > 0;
}

// htmx: from a list row (hx-target is the row) the answer is empty, so the row goes; from the
// contact's page, htmx follows HX-Redirect to the list.
contactsRoutes.delete("/:id", requireRole("member"), async (c) => {
  if (!(await removeContact(c))) return errorResponse(c, 404);
  const target = c.req.header("HX-Target");
  if (c.req.header("HX-Request") === "true" && target !== `contact-${c.req.param("id")}`)
    c.header("HX-Redirect", `${LIST_PATH}?notice=deleted`);
  return c.html("", 200);
});

// Without JavaScript: a confirmation page, then a form post.
contactsRoutes.get("/:id/delete", requireRole("member"), async (c) => {
  const auth = c.get("auth")!;
  const id = parseRecordId(c.req.param("id"));
  const contact = id ? await getContact(c.get("db"), auth.tenant.id, id) : null;
  if (!contact) return errorResponse(c, 404);
  return render(c, `Delete ${contact.name}`, <ContactDeletePage contact={{ id: contact.id, name: contact.name }} />);
});

contactsRoutes.post("/:id/delete", requireRole("member"), async (c) => {
  if (!(await removeContact(c))) return errorResponse(c, 404);
  return c.redirect(`${LIST_PATH}?notice=deleted`, 303);
});

// ---- erase (a privacy request; admins and owners) ---------------------------------------------------------

contactsRoutes.get("/:id/erase", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
  const id = parseRecordId(c.req.param("id"));
  const contact = id ? await getContact(c.get("db"), auth.tenant.id, id) : null;
  if (!contact) return errorResponse(c, 404);
  return render(
    c,
    `Erase ${contact.name}`,
    <ContactErasePage contact={{ id: contact.id, name: contact.name }} canSuppress={!!c.env.SUPPRESSION_KEY} />,
  );
});

contactsRoutes.post("/:id/erase", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
  const id = parseRecordId(c.req.param("id"));
  if (id === null) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const meta = requestMeta(c);
  const erase = { suppressKey: body.suppress === "1" ? c.env.SUPPRESSION_KEY || undefined : undefined };
  const erased = await deleteContacts(
    c.get("db"),
    auth.tenant.id,
    { userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent },
    [id],
    meta.now,
    { bulk: false, erase },
  );
  if (erased === 0) return errorResponse(c, 404);
  return c.redirect(`${LIST_PATH}?notice=erased`, 303);
});
