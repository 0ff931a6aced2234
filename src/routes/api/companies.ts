/**
 * /api/v1/companies: list (keyset), get, create, update (PATCH, partial) and delete, through the companies
 * services the app's forms use (src/services/companies/): the same checks, counters, timeline, the copy of
 * the name on its contacts, the trash and the audit trail. Deleting a company keeps its contacts.
 */
import { createRoute } from "@hono/zod-openapi";
import { requestMeta } from "../../lib/request";
import { getApiCompany, listApiCompanies } from "../../services/api/companies";
import { deleteCompany } from "../../services/companies/delete";
import { companyMergeReview, mergeCompanies } from "../../services/companies/merge";
import { createCompany, updateCompany } from "../../services/companies/write";
import { parseRecordId } from "../record-helpers";
import { readCompanyJson } from "./company-input";
import { listParams, pageBody } from "./cursor";
import { apiTenant, callerOf } from "./guard";
import { ApiProblem } from "./problem";
import { apiRouter } from "./router";
import {
  CompanyInputSchema,
  CompanyListQuery,
  CompanyListSchema,
  CompanySchema,
  IdParam,
  MergeSchema,
  problems,
  NoQuery,
} from "./schemas";

/** Mounted at /api/v1 (the paths carry /companies). */
export const companiesApi = apiRouter();

const tags = ["Companies"];
const json = (schema: typeof CompanySchema | typeof CompanyListSchema, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const body = { required: true, content: { "application/json": { schema: CompanyInputSchema } } };
const notFound = () => new ApiProblem("not_found", "No such company.");

/** The company id of the path, or a 404. */
function companyId(raw: string): number {
  const id = parseRecordId(raw);
  if (id === null) throw notFound();
  return id;
}

companiesApi.openapi(
  createRoute({
    method: "get",
    path: "/companies",
    tags,
    summary: "List companies",
    description: "Oldest first, by id; `q` is a name prefix.",
    request: { query: CompanyListQuery },
    responses: { 200: json(CompanyListSchema, "A page of companies"), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const { afterId, limit, updatedSince } = listParams(query);
    const page = await listApiCompanies(apiTenant(c), {
      q: query.q?.trim() || null,
      tagId: query.tag ?? null,
      updatedSince,
      afterId,
      limit,
    });
    return c.json(pageBody(page), 200);
  },
);

companiesApi.openapi(
  createRoute({
    method: "post",
    path: "/companies",
    tags,
    summary: "Create a company",
    description: "Needs a name.",
    request: { body },
    responses: { 201: json(CompanySchema, "The company as created"), ...problems(400, 401, 403, 413, 415, 422) },
  }),
  async (c) => {
    const t = apiTenant(c);
    const { input, ctx } = await readCompanyJson(t, c.req.valid("json"), null);
    const id = await createCompany(t, callerOf(c).createdBy, input, ctx, Date.now());
    const record = await getApiCompany(t, id);
    if (!record) throw notFound();
    c.header("Location", `/api/v1/companies/${id}`);
    return c.json(record, 201);
  },
);

companiesApi.openapi(
  createRoute({
    method: "get",
    path: "/companies/{id}",
    tags,
    summary: "Get a company",
    request: { params: IdParam, query: NoQuery },
    responses: { 200: json(CompanySchema, "The company"), ...problems(401, 403, 404, 422) },
  }),
  async (c) => {
    const record = await getApiCompany(apiTenant(c), companyId(c.req.valid("param").id));
    if (!record) throw notFound();
    return c.json(record, 200);
  },
);

companiesApi.openapi(
  createRoute({
    method: "patch",
    path: "/companies/{id}",
    tags,
    summary: "Update a company",
    description:
      "Only the fields sent change; null clears one; tag_ids is replaced whole. A change saved since the company was read is `409`.",
    request: { params: IdParam, body },
    responses: {
      200: json(CompanySchema, "The company as updated"),
      ...problems(400, 401, 403, 404, 409, 413, 415, 422),
    },
  }),
  async (c) => {
    const t = apiTenant(c);
    const id = companyId(c.req.valid("param").id);
    const current = await getApiCompany(t, id);
    if (!current) throw notFound();
    const { input, ctx } = await readCompanyJson(t, c.req.valid("json"), current);
    // The version read above: a change saved meanwhile makes this a 409 rather than overwriting it.
    const expected = Date.parse(current.updated_at);
    const result = await updateCompany(t, callerOf(c).createdBy, id, expected, input, ctx, Date.now());
    if (!result.ok && result.reason === "not_found") throw notFound();
    if (!result.ok) throw new ApiProblem("conflict", "The company was changed meanwhile; read it again and retry.");
    const record = await getApiCompany(t, id);
    if (!record) throw notFound();
    return c.json(record, 200);
  },
);

companiesApi.openapi(
  createRoute({
    method: "delete",
    path: "/companies/{id}",
    tags,
    summary: "Delete a company",
    description: "It goes to the trash for 30 days; its contacts stay, without a company.",
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    const id = companyId(c.req.valid("param").id);
    const actor = { userId: callerOf(c).createdBy, ...requestMeta(c) };
    if (!(await deleteCompany(apiTenant(c), actor, id))) throw notFound();
    return c.body(null, 204);
  },
);

companiesApi.openapi(
  createRoute({
    method: "post",
    path: "/companies/{id}/merge",
    tags,
    summary: "Merge a duplicate into a company",
    description:
      "As Merge in the app: the company of the path is kept, with its own values; the fields it left empty are filled from the duplicate, the duplicate's tags and the custom values it lacks come over, its contacts, deals, notes, tasks, logged interactions and history move to it, and the duplicate is deleted (not kept in the trash).",
    request: { params: IdParam, body: { required: true, content: { "application/json": { schema: MergeSchema } } } },
    responses: {
      200: json(CompanySchema, "The kept company after the merge"),
      ...problems(400, 401, 403, 404, 409, 413, 415, 422),
    },
  }),
  async (c) => {
    const t = apiTenant(c);
    const id = companyId(c.req.valid("param").id);
    // Either one not the workspace's, or the company itself: as unknown as any other id.
    const review = await companyMergeReview(t, id, c.req.valid("json").merge_id);
    if (!review) throw notFound();
    const actor = { userId: callerOf(c).createdBy, ...requestMeta(c) };
    const versions = { into: review.into.company.updatedAt, from: review.from.company.updatedAt };
    if (!(await mergeCompanies(t, actor, review, versions)))
      throw new ApiProblem("conflict", "A company was changed meanwhile; read them again and retry.");
    const record = await getApiCompany(t, id);
    if (!record) throw notFound();
    return c.json(record, 200);
  },
);
