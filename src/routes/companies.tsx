/**
 * Companies under /app/companies: the list, the record page, create, edit and delete. Viewers read;
 * members write. Another tenant's id is simply not found (404).
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env";
import { formatPhone } from "../lib/phone";
import { errorResponse } from "../lib/errors";
import { render, wantsFragment } from "../lib/render";
import { requestMeta } from "../lib/request";
import { deferSessionCheck, requireRole, roleAtLeast, withSessionBatch } from "../middleware/session";
import {
  COMPANY_SIZES,
  COMPANY_SORTS,
  companiesWithDomain,
  companyFormContext,
  companyPageFromResults,
  companyPageStatements,
  createCompany,
  deleteCompany,
  getCompany,
  getCompanyForEdit,
  listCompanies,
  updateCompany,
  validateCompanyForm,
  type CompanyFormContext,
  type CompanySort,
} from "../services/companies/companies";
import { listTags } from "../services/records/tags";
import { companyFilterQuery, exportPageHref, parseCompanyFilters } from "./list-filters";
import { parseRecordId, timelineProps } from "./record-helpers";
import {
  COMPANY_NOTICES,
  CompaniesListPage,
  CompanyResults,
  companiesHref,
  type CompanyNotice,
} from "../../views/pages/companies/CompaniesListPage";
import { CompanyFormPage } from "../../views/pages/companies/CompanyForm";
import { CompanyDeletePage, CompanyPage } from "../../views/pages/companies/CompanyPage";

/** Mounted at /app/companies. */
export const companyRoutes = new Hono<AppEnv>();

type Body = Record<string, string | File | (string | File)[]>;

/** The submitted text values, for showing the form again (files and lists are not echoed). */
function echo(body: Body): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

function echoTagIds(body: Body): number[] {
  const raw = body.tag_ids === undefined ? [] : Array.isArray(body.tag_ids) ? body.tag_ids : [body.tag_ids];
  return raw
    .filter((v): v is string => typeof v === "string")
    .map(Number)
    .filter(Number.isSafeInteger);
}

function formPage(
  c: Context<AppEnv>,
  ctx: CompanyFormContext,
  opts: {
    mode: "new" | "edit";
    id?: number;
    title: string;
    values: Record<string, string>;
    tagIds: number[];
    errors?: Record<string, string>;
    duplicates?: { id: number; name: string }[];
  },
  status: ContentfulStatusCode = 200,
) {
  return render(
    c,
    opts.title,
    <CompanyFormPage
      title={opts.title}
      mode={opts.mode}
      action={opts.mode === "new" ? "/app/companies" : `/app/companies/${opts.id}`}
      cancelHref={opts.mode === "new" ? "/app/companies" : `/app/companies/${opts.id}`}
      values={opts.values}
      tagIds={opts.tagIds}
      errors={opts.errors ?? {}}
      tags={ctx.tags}
      fields={ctx.fields}
      members={ctx.members}
      sizes={COMPANY_SIZES}
      region={ctx.region}
      duplicates={opts.duplicates}
    />,
    status,
  );
}

// ---- The list ---------------------------------------------------------------------------------

companyRoutes.get("/", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
  const db = c.get("db");
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
  const [{ rows, nextCursor }, tags] = await Promise.all([
    listCompanies(db, auth.tenant.id, { sort, dir, q, tagId, cursor }),
    listTags(db, auth.tenant.id),
  ]);
  const nextHref = nextCursor ? companiesHref(filters, nextCursor) : null;
  // The search box asks for the results region only.
  if (wantsFragment(c) && c.req.header("HX-Target") === "company-results") {
    return c.html(
      <CompanyResults
        rows={rows}
        nextHref={nextHref}
        paged={Boolean(cursor)}
        filters={filters}
        exportHref={exportHref}
      />,
    );
  }
  const notice = c.req.query("notice");
  return render(
    c,
    "Companies",
    <CompaniesListPage
      rows={rows}
      filters={filters}
      tags={tags}
      nextHref={nextHref}
      paged={Boolean(cursor)}
      exportHref={exportHref}
      canWrite={roleAtLeast(auth.role, "member")}
      notice={notice && notice in COMPANY_NOTICES ? (notice as CompanyNotice) : null}
    />,
  );
});

// ---- Create -------------------------------------------------------------------------------------

companyRoutes.get("/new", requireRole("member"), async (c) => {
  const auth = c.get("auth")!;
  const ctx = await companyFormContext(c.get("db"), auth.tenant.id);
  return formPage(c, ctx, { mode: "new", title: "New company", values: { owner_id: auth.user.id }, tagIds: [] });
});

companyRoutes.post("/", requireRole("member"), async (c) => {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const body = (await c.req.parseBody({ all: true })) as Body;
  const ctx = await companyFormContext(db, auth.tenant.id);
  const parsed = validateCompanyForm(ctx, body);
  const again = { mode: "new" as const, title: "New company", values: echo(body), tagIds: echoTagIds(body) };
  if (!parsed.ok) return formPage(c, ctx, { ...again, errors: parsed.errors }, 422);
  // Same domain as an existing company: show it and ask, unless the user already chose "Create anyway".
  if (parsed.input.domain && body.confirm_duplicate !== "1") {
    const duplicates = await companiesWithDomain(db, auth.tenant.id, parsed.input.domain);
    if (duplicates.length) return formPage(c, ctx, { ...again, duplicates }, 409);
  }
  const id = await createCompany(db, auth.tenant.id, auth.user.id, parsed.input, ctx, Date.now());
  return c.redirect(`/app/companies/${id}`, 303);
});

// ---- Read -----------------------------------------------------------------------------------------

companyRoutes.get("/:id", deferSessionCheck, async (c) => {
  const db = c.get("db");
  const id = parseRecordId(c.req.param("id"));
  // One round trip for the whole page, the session check included (withSessionBatch); every
  // statement is scoped by tenant and id, so another tenant's id reads nothing and answers 404.
  const batch = await withSessionBatch(c, async (tenantId) =>
    id === null ? [] : companyPageStatements(db, tenantId, id),
  );
  if (!batch.ok) return batch.response;
  const auth = c.get("auth")!;
  const data = id === null ? null : companyPageFromResults(id, batch.results);
  if (!data) return errorResponse(c, 404);
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
      canWrite={roleAtLeast(auth.role, "member")}
      timeline={timelineProps(auth, { type: "company", id: co.id }, data)}
    />,
  );
});

// ---- Edit -------------------------------------------------------------------------------------------

companyRoutes.get("/:id/edit", requireRole("member"), async (c) => {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const id = parseRecordId(c.req.param("id"));
  const found = id ? await getCompanyForEdit(db, auth.tenant.id, id) : null;
  if (!found) return errorResponse(c, 404);
  const ctx = await companyFormContext(db, auth.tenant.id);
  const co = found.company;
  const values: Record<string, string> = {
    name: co.name,
    domain: co.domain ?? "",
    industry: co.industry ?? "",
    size: co.size ?? "",
    address: co.address ?? "",
    phone: co.phone ? formatPhone(co.phone) : "",
    owner_id: co.ownerId ?? "",
  };
  for (const [fieldId, value] of found.values) values[`cf_${fieldId}`] = value;
  return formPage(c, ctx, {
    mode: "edit",
    id: co.id,
    title: `Edit ${co.name}`,
    values,
    tagIds: found.tags.map((t) => t.id),
  });
});

companyRoutes.post("/:id", requireRole("member"), async (c) => {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const id = parseRecordId(c.req.param("id"));
  const existing = id ? await getCompany(db, auth.tenant.id, id) : null;
  if (!existing) return errorResponse(c, 404);
  const body = (await c.req.parseBody({ all: true })) as Body;
  const ctx = await companyFormContext(db, auth.tenant.id);
  const parsed = validateCompanyForm(ctx, body);
  if (!parsed.ok) {
    return formPage(
      c,
      ctx,
      {
        mode: "edit",
        id: existing.id,
        title: `Edit ${existing.name}`,
        values: echo(body),
        tagIds: echoTagIds(body),
        errors: parsed.errors,
      },
      422,
    );
  }
  if (!(await updateCompany(db, auth.tenant.id, auth.user.id, existing.id, parsed.input, ctx, Date.now())))
    return errorResponse(c, 404);
  return c.redirect(`/app/companies/${existing.id}`, 303);
});

// ---- Delete -------------------------------------------------------------------------------------------

async function removeCompany(c: Context<AppEnv>): Promise<boolean> {
  const auth = c.get("auth")!;
  const id = parseRecordId(c.req.param("id"));
  return (
    id !== null && (await deleteCompany(c.get("db"), auth.tenant.id, { userId: auth.user.id }, id, requestMeta(c)))
  );
}

const AFTER_DELETE = "/app/companies?notice=deleted";

// htmx (the page's Delete button, after hx-confirm): htmx follows HX-Redirect.
companyRoutes.delete("/:id", requireRole("member"), async (c) => {
  if (!(await removeCompany(c))) return errorResponse(c, 404);
  c.header("HX-Redirect", AFTER_DELETE);
  return c.body(null, 200);
});

// Without JavaScript: a confirmation page, then a form post.
companyRoutes.get("/:id/delete", requireRole("member"), async (c) => {
  const auth = c.get("auth")!;
  const id = parseRecordId(c.req.param("id"));
  const company = id ? await getCompany(c.get("db"), auth.tenant.id, id) : null;
  if (!company) return errorResponse(c, 404);
  return render(c, `Delete ${company.name}`, <CompanyDeletePage company={company} />);
});

companyRoutes.post("/:id/delete", requireRole("member"), async (c) => {
  if (!(await removeCompany(c))) return errorResponse(c, 404);
  return c.redirect(AFTER_DELETE, 303);
});
