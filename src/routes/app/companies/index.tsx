/**
 * Companies under /app/companies: the list, the record page, create, edit, delete, adding a note and
 * logging a call, meeting or email.
 * Viewers read; members write. Another tenant's id is simply not found (404).
 */
import { trackFeature } from "../../../middleware/usage";
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../../env";
import { formatPhone } from "../../../lib/phone";
import { errorResponse } from "../../../lib/errors";
import { inReaderZone, render, wantsFragment } from "../../../lib/render";
import { deferSessionCheck, requireRole, roleAtLeast } from "../../../middleware/session";
import { deleteCompany } from "../../../services/companies/delete";
import { withUndo } from "../shared/trash-undo";
import { companiesWithDomain, companyFormContext, validateCompanyForm } from "../../../services/companies/form";
import { COMPANY_COUNT_BOUND, COMPANY_SORTS, listCompanies, type CompanySort } from "../../../services/companies/list";
import { pageRange } from "../../../../views/lib/page-range";
import {
  companyPageFromResults,
  companyPageStatements,
  getCompany,
  getCompanyForEdit,
} from "../../../services/companies/page";
import { createCompany, updateCompany } from "../../../services/companies/write";
import { companyDealsStatements, relatedDealsFromResults } from "../../../services/deals/related";
import { listTags, TagLimitError } from "../../../services/records/tags";
import { actorOf, authOf, tenantOf } from "../../context";
import { companyFilterQuery, exportPageHref, parseCompanyFilters } from "../../../services/records/list-filters";
import { echo, noticeOf, parseRecordId, timelineProps, type FormBody } from "../../record-helpers";
import { addInteractionRoute } from "../interactions";
import { addNoteRoute } from "../notes";
import { confirmationPage } from "../shared/delete-routes";
import { echoTagIds, formPage, tagLimited } from "./form-page";
import { companyMergeRoutes } from "./merge";
import { editPost, submittedVersion, withCustomFieldValues } from "../shared/record-form";
import { readRecordWithDeals } from "../shared/record-page";
import {
  COMPANY_NOTICES,
  CompaniesListPage,
  CompanyResults,
  companiesHref,
  type CompanyNotice,
} from "../../../../views/pages/companies/CompaniesListPage";
import { CompanyDeletePage, CompanyPage } from "../../../../views/pages/companies/CompanyPage";

/** Mounted at /app/companies. */
export const companiesRoutes = new Hono<AppEnv>();

// ---- The list ---------------------------------------------------------------------------------

companiesRoutes.get("/", requireRole("viewer"), async (c) => {
  const auth = authOf(c);
  const t = tenantOf(c);
  const sortParam = c.req.query("sort") ?? "name";
  const sort: CompanySort = (COMPANY_SORTS as readonly string[]).includes(sortParam)
    ? (sortParam as CompanySort)
    : "name";
  const dir = c.req.query("dir") === "desc" ? "desc" : "asc";
  // The same reading of the filters as the exports (list-filters.ts); the list ignores what it cannot read.
  const { q, tagId } = parseCompanyFilters(new URL(c.req.url).searchParams);
  const cursor = c.req.query("cursor") ?? null;
  const filters = { q, sort, dir, tag: tagId ? String(tagId) : "" };
  // Admins and owners export; the link carries the filters, so the export is what the list shows.
  const exportHref = roleAtLeast(auth.role, "admin")
    ? exportPageHref("companies", companyFilterQuery({ q, tagId }))
    : null;
  const [{ rows, nextCursor, count }, tags] = await Promise.all([
    listCompanies(t, { sort, dir, q, tagId, cursor }),
    listTags(t),
  ]);
  // The offset rides in the URL beside the keyset cursor, for the range shown only.
  const atParam = Number(c.req.query("at") ?? "0");
  const at = cursor && Number.isSafeInteger(atParam) && atParam > 0 ? atParam : 0;
  const nextHref = nextCursor ? companiesHref(filters, nextCursor, at + rows.length) : null;
  const total = { count: Math.min(count, COMPANY_COUNT_BOUND), over: count > COMPANY_COUNT_BOUND };
  const range = pageRange(at, rows.length, total, auth.user.locale ?? null);
  const results = { rows, nextHref, paged: Boolean(cursor), filters, exportHref, range };
  // The search box asks for the results region only.
  if (wantsFragment(c) && c.req.header("HX-Target") === "company-results")
    return c.html(inReaderZone(c, <CompanyResults {...results} />));
  return render(
    c,
    "Companies",
    <CompaniesListPage
      {...results}
      tags={tags}
      chips={
        tagId
          ? [
              {
                name: "Tag",
                value: tags.find((tag) => tag.id === tagId)?.name ?? "unknown tag",
                removeHref: companiesHref({ ...filters, tag: "" }),
              },
            ]
          : []
      }
      canWrite={roleAtLeast(auth.role, "member")}
      notice={noticeOf<CompanyNotice>(c, COMPANY_NOTICES)}
    />,
  );
});

// ---- Create -------------------------------------------------------------------------------------

companiesRoutes.get("/new", requireRole("member"), async (c) => {
  const ctx = await companyFormContext(tenantOf(c));
  const values = { owner_id: authOf(c).support ? "" : authOf(c).user.id };
  return formPage(c, ctx, { mode: "new", title: "New company", values, tagIds: [] });
});

companiesRoutes.post("/", requireRole("member"), async (c) => {
  const t = tenantOf(c);
  const body = (await c.req.parseBody({ all: true })) as FormBody;
  const ctx = await companyFormContext(t);
  const parsed = validateCompanyForm(ctx, body, authOf(c).user.locale);
  const again = { mode: "new" as const, title: "New company", values: echo(body), tagIds: echoTagIds(body) };
  if (!parsed.ok) return formPage(c, ctx, { ...again, errors: parsed.errors }, 422);
  // Same domain as an existing company: show it and ask, unless the user already chose "Create anyway".
  if (parsed.input.domain && body.confirm_duplicate !== "1") {
    const duplicates = await companiesWithDomain(t, parsed.input.domain);
    if (duplicates.length) return formPage(c, ctx, { ...again, duplicates }, 409);
  }
  const id = await tagLimited(() => createCompany(t, authOf(c).user.id, parsed.input, ctx, Date.now()));
  if (id instanceof TagLimitError) return formPage(c, ctx, { ...again, errors: { new_tag: id.message } }, 422);
  trackFeature(c, "company.created");
  return c.redirect(`/app/companies/${id}`, 303);
});

// ---- Read -----------------------------------------------------------------------------------------

companiesRoutes.get("/:id", deferSessionCheck, async (c) => {
  const id = parseRecordId(c.req.param("id"));
  const read = await readRecordWithDeals(c, id, companyPageStatements, companyDealsStatements);
  if (!read.ok) return read.response;
  const auth = authOf(c);
  const data = id === null ? null : companyPageFromResults(id, read.page);
  if (!data) return errorResponse(c, 404);
  const related = relatedDealsFromResults(read.deals, auth.user.locale);
  const co = data.company;
  return render(
    c,
    co.name,
    <CompanyPage
      company={{ ...co, phone: co.phone ? formatPhone(co.phone) : null, phoneE164: co.phone }}
      tags={data.tags}
      fields={data.fields}
      values={data.values}
      contacts={data.contacts}
      moreContacts={data.moreContacts}
      deals={related}
      canWrite={roleAtLeast(auth.role, "member")}
      timeline={timelineProps(auth, { type: "company", id: co.id }, data)}
    />,
  );
});

// ---- Edit -------------------------------------------------------------------------------------------

companiesRoutes.get("/:id/edit", requireRole("member"), async (c) => {
  const t = tenantOf(c);
  const id = parseRecordId(c.req.param("id"));
  const found = id ? await getCompanyForEdit(t, id) : null;
  if (!found) return errorResponse(c, 404);
  const ctx = await companyFormContext(t);
  const co = found.company;
  const values = withCustomFieldValues(
    {
      name: co.name,
      domain: co.domain ?? "",
      industry: co.industry ?? "",
      size: co.size ?? "",
      address: co.address ?? "",
      phone: co.phone ? formatPhone(co.phone) : "",
      owner_id: co.ownerId ?? "",
    },
    found.values,
    ctx.fields,
    authOf(c).user.locale,
  );
  return formPage(c, ctx, {
    mode: "edit",
    id: co.id,
    title: `Edit ${co.name}`,
    values,
    tagIds: found.tags.map((t) => t.id),
    company: co,
  });
});

companiesRoutes.post("/:id", requireRole("member"), async (c) => {
  const t = tenantOf(c);
  const edit = await editPost(c, getCompany);
  if (!edit) return errorResponse(c, 404);
  const { existing, body } = edit;
  const ctx = await companyFormContext(t);
  // The company's own owner stays acceptable after they leave the workspace, so a save keeps them.
  const parsed = validateCompanyForm(ctx, body, authOf(c).user.locale, existing.ownerId);
  // A form without a version (an older page) is saved over the company as it is now, as contacts' are.
  const version = submittedVersion(body) ?? null;
  const again = {
    mode: "edit" as const,
    id: existing.id,
    title: `Edit ${existing.name}`,
    values: echo(body),
    tagIds: echoTagIds(body),
    company: { ...existing, updatedAt: version ?? existing.updatedAt },
  };
  if (!parsed.ok) return formPage(c, ctx, { ...again, errors: parsed.errors }, 422);
  const updated = await tagLimited(() =>
    updateCompany(t, authOf(c).user.id, existing.id, version, parsed.input, ctx, Date.now()),
  );
  if (updated instanceof TagLimitError)
    return formPage(c, ctx, { ...again, errors: { new_tag: updated.message } }, 422);
  if (!updated.ok && updated.reason === "not_found") return errorResponse(c, 404);
  if (!updated.ok) {
    // Someone saved first. Their version is kept; the form shows these changes again, now based on it.
    const current = updated.current ?? existing;
    return formPage(
      c,
      ctx,
      {
        ...again,
        company: current,
        alert:
          "Someone else changed this company since you opened it, so your changes were not saved. " +
          "Check the fields below and save again to replace their changes with yours.",
      },
      409,
    );
  }
  return c.redirect(`/app/companies/${existing.id}`, 303);
});

// ---- Delete -------------------------------------------------------------------------------------------

async function removeCompany(c: Context<AppEnv>): Promise<number | null> {
  const id = parseRecordId(c.req.param("id"));
  return id !== null && (await deleteCompany(tenantOf(c), actorOf(c), id)) ? id : null;
}

const AFTER_DELETE = "/app/companies?notice=deleted";

// htmx (the page's "Move to trash" button): htmx follows HX-Redirect to the list, which shows the Undo.
companiesRoutes.delete("/:id", requireRole("member"), async (c) => {
  const id = await removeCompany(c);
  if (id === null) return errorResponse(c, 404);
  c.header("HX-Redirect", await withUndo(c, AFTER_DELETE, "company", id));
  return c.body(null, 200);
});

// Without JavaScript: a confirmation page, then a form post.
companiesRoutes.get(
  "/:id/delete",
  requireRole("member"),
  confirmationPage("Delete", getCompany, (company) => <CompanyDeletePage company={company} />),
);

companiesRoutes.post("/:id/delete", requireRole("member"), async (c) => {
  const id = await removeCompany(c);
  if (id === null) return errorResponse(c, 404);
  return c.redirect(await withUndo(c, AFTER_DELETE, "company", id), 303);
});

companiesRoutes.post("/:id/notes", requireRole("member"), addNoteRoute("company"));
companiesRoutes.post("/:id/interactions", requireRole("member"), addInteractionRoute("company"));

// Merging a duplicate into a company (its own file: src/routes/app/companies/merge.tsx).
companiesRoutes.route("/", companyMergeRoutes);
