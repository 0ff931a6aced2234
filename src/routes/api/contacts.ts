/**
 * /api/v1/contacts: list (keyset), get, create, update (PATCH, partial) and delete. The writes go through
 * the contacts services the app's forms use (src/services/contacts/), so validation, counters, the search
 * index, the timeline, the trash and the audit trail are the same; changes are attributed to the member
 * who made the key (nobody once their account is gone).
 */
import { createRoute } from "@hono/zod-openapi";
import { billingConfig } from "../../lib/stripe";
import { requestMeta } from "../../lib/request";
import { getApiContact, listApiContacts } from "../../services/api/contacts";
import { PlanLimitError } from "../../services/billing/limits";
import { deleteContacts } from "../../services/contacts/delete";
import { mergeContacts, mergeReview } from "../../services/contacts/merge";
import { createContact, updateContact } from "../../services/contacts/write";
import { parseRecordId } from "../record-helpers";
import { readContactJson } from "./contact-input";
import { listParams, pageJson } from "./cursor";
import { apiTenant, callerOf } from "./guard";
import { ApiProblem } from "./problem";
import { apiRouter } from "./router";
import {
  ContactInputSchema,
  ContactListQuery,
  ContactListSchema,
  ContactSchema,
  IdParam,
  MergeSchema,
  problems,
  NoQuery,
} from "./schemas";

/** Mounted at /api/v1 (the paths carry /contacts). */
export const contactsApi = apiRouter();

const tags = ["Contacts"];
const json = (schema: typeof ContactSchema | typeof ContactListSchema, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const body = { required: true, content: { "application/json": { schema: ContactInputSchema } } };

/** The contact id of the path, or a 404 (an id that is not one is as unknown as another workspace's). */
function contactId(raw: string): number {
  const id = parseRecordId(raw);
  if (id === null) throw new ApiProblem("not_found", "No such contact.");
  return id;
}

const notFound = () => new ApiProblem("not_found", "No such contact.");

contactsApi.openapi(
  createRoute({
    method: "get",
    path: "/contacts",
    tags,
    summary: "List contacts",
    description: "Oldest first, by id. Filters combine; `updated_since` with the cursor walks every change for a sync.",
    request: { query: ContactListQuery },
    responses: { 200: json(ContactListSchema, "A page of contacts"), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const { afterId, limit, updatedSince } = listParams(query);
    const page = await listApiContacts(apiTenant(c), {
      q: query.q?.trim() || null,
      tagId: query.tag ?? null,
      companyId: query.company ?? null,
      ownerId: query.owner ?? null,
      updatedSince,
      afterId,
      limit,
    });
    // Already JSON (ContactListSchema's shape, checked by test/api/record-examples.test.ts), so not c.json.
    return c.body(pageJson(page), 200, { "Content-Type": "application/json" }) as never;
  },
);

contactsApi.openapi(
  createRoute({
    method: "post",
    path: "/contacts",
    tags,
    summary: "Create a contact",
    description: "Needs a first or last name, or an email address. Its source is `api`.",
    request: { body },
    responses: {
      201: json(ContactSchema, "The contact as created"),
      ...problems(400, 401, 402, 403, 413, 415, 422),
    },
  }),
  async (c) => {
    const t = apiTenant(c);
    const input = await readContactJson(t, c.req.valid("json"), null);
    // The Free plan's cap is checked inside the create's batch, as for the app's form.
    const limit = billingConfig(c.env).limits?.contacts ?? null;
    let id: number;
    try {
      id = await createContact(t, callerOf(c).createdBy, { ...input, source: "api" }, Date.now(), limit);
    } catch (err) {
      if (err instanceof PlanLimitError)
        throw new ApiProblem("plan_limit", `The Free plan holds ${err.max} contacts; upgrade in Settings → Billing.`);
      throw err;
    }
    const record = await getApiContact(t, id);
    if (!record) throw notFound();
    c.header("Location", `/api/v1/contacts/${id}`);
    return c.json(record, 201);
  },
);

contactsApi.openapi(
  createRoute({
    method: "get",
    path: "/contacts/{id}",
    tags,
    summary: "Get a contact",
    request: { params: IdParam, query: NoQuery },
    responses: { 200: json(ContactSchema, "The contact"), ...problems(401, 403, 404, 422) },
  }),
  async (c) => {
    const record = await getApiContact(apiTenant(c), contactId(c.req.valid("param").id));
    if (!record) throw notFound();
    return c.json(record, 200);
  },
);

contactsApi.openapi(
  createRoute({
    method: "patch",
    path: "/contacts/{id}",
    tags,
    summary: "Update a contact",
    description: "Only the fields sent change; null clears one. Lists (emails, phones, tag_ids) are replaced whole.",
    request: { params: IdParam, body },
    responses: {
      200: json(ContactSchema, "The contact as updated"),
      ...problems(400, 401, 403, 404, 409, 413, 415, 422),
    },
  }),
  async (c) => {
    const t = apiTenant(c);
    const id = contactId(c.req.valid("param").id);
    const current = await getApiContact(t, id);
    if (!current) throw notFound();
    const input = await readContactJson(t, c.req.valid("json"), current);
    // The version read above: a change saved meanwhile makes this a 409 rather than overwriting it.
    const result = await updateContact(t, callerOf(c).createdBy, id, Date.parse(current.updated_at), input, Date.now());
    if (!result.ok && result.reason === "not_found") throw notFound();
    if (!result.ok) throw new ApiProblem("conflict", "The contact was changed meanwhile; read it again and retry.");
    const record = await getApiContact(t, id);
    if (!record) throw notFound();
    return c.json(record, 200);
  },
);

contactsApi.openapi(
  createRoute({
    method: "delete",
    path: "/contacts/{id}",
    tags,
    summary: "Delete a contact",
    description: "It goes to the trash for 30 days, with its notes, tasks and logged interactions, as in the app.",
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    const id = contactId(c.req.valid("param").id);
    const actor = { userId: callerOf(c).createdBy, ...requestMeta(c) };
    const deleted = await deleteContacts(apiTenant(c), actor, [id], { bulk: false });
    if (deleted === 0) throw notFound();
    return c.body(null, 204);
  },
);

contactsApi.openapi(
  createRoute({
    method: "post",
    path: "/contacts/{id}/merge",
    tags,
    summary: "Merge a duplicate into a contact",
    description:
      "As Merge in the app: the contact of the path is kept, with its own values; the duplicate's emails, phones, tags, custom values and empty fields it lacks come over, its notes, tasks, logged interactions, history and deals move to it, and the duplicate is deleted (not kept in the trash). More than 5 emails or phones together is a 422.",
    request: { params: IdParam, body: { required: true, content: { "application/json": { schema: MergeSchema } } } },
    responses: {
      200: json(ContactSchema, "The kept contact after the merge"),
      ...problems(400, 401, 403, 404, 409, 413, 415, 422),
    },
  }),
  async (c) => {
    const t = apiTenant(c);
    const id = contactId(c.req.valid("param").id);
    const other = c.req.valid("json").merge_id;
    // Either one not the workspace's, or the contact itself: as unknown as any other id.
    const review = await mergeReview(t, id, other);
    if (!review) throw notFound();
    if (review.refused) throw new ApiProblem("validation_failed", review.refused);
    const actor = { userId: callerOf(c).createdBy, ...requestMeta(c) };
    const versions = { into: review.into.contact.updatedAt, from: review.from.contact.updatedAt };
    const result = await mergeContacts(t, actor, review, versions);
    if (result === "refused") throw new ApiProblem("validation_failed", review.refused ?? "They cannot be merged.");
    if (result === "conflict")
      throw new ApiProblem("conflict", "A contact was changed meanwhile; read them again and retry.");
    const record = await getApiContact(t, id);
    if (!record) throw notFound();
    return c.json(record, 200);
  },
);
