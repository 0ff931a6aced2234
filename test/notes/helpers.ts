/** What the notes tests share: a company with a note on it, and the routes of a note of its own. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { send } from "../helpers/http";
import { createCompanyThroughForm } from "../companies/helpers";

/** A company made through the form with one note added to it (the tenant's first note); their ids. */
export async function companyWithNote(tenant: { cookie: string; tenantId: string }, name: string, body: string) {
  const company = await createCompanyThroughForm(tenant.cookie, { name });
  expect((await send(`/app/companies/${company}/notes`, { cookie: tenant.cookie, form: { body } })).status).toBe(303);
  const note = await env.DB.prepare("SELECT id FROM notes WHERE tenant_id = ?")
    .bind(tenant.tenantId)
    .first<{ id: number }>();
  return { company, noteId: note!.id };
}

/** A note's own routes, each [path, method, form]: its edit page, saving `body`, deleting by form and with htmx. */
export function noteRoutes(noteId: number, body: string) {
  return [
    [`/app/notes/${noteId}/edit`, "GET", undefined],
    [`/app/notes/${noteId}`, "POST", { body }],
    [`/app/notes/${noteId}/delete`, "POST", {}],
    [`/app/notes/${noteId}`, "DELETE", undefined],
  ] as const;
}
