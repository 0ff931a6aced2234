/**
 * The API's search: the header search box's reads (src/services/search/global.ts) for one workspace, in one
 * batch, as the API's snake_case groups. Nothing typed becomes SQL or FTS syntax (see global.ts).
 */
import type { TenantDb } from "../../db/scoped";
import { searchFromRows, searchStatements } from "../search/global";

/** Up to `limit` of each kind matching `text` (already checked by searchText), and whether there are more. */
export async function apiSearch(t: TenantDb, text: string, limit: number) {
  const r = searchFromRows(await t.db.batch(searchStatements(t, text, limit)), limit);
  return {
    contacts: {
      data: r.contacts.hits.map((h) => ({ id: h.id, name: h.name, email: h.email, company_name: h.companyName })),
      more: r.contacts.more,
    },
    companies: { data: r.companies.hits, more: r.companies.more },
    deals: {
      data: r.deals.hits.map((h) => ({
        id: h.id,
        name: h.name,
        status: h.status,
        amount_minor: h.amountMinor,
        currency: h.currency,
        stage: h.stage,
      })),
      more: r.deals.more,
    },
    tasks: {
      data: r.tasks.hits.map((h) => ({ id: h.id, title: h.title, status: h.status, due_date: h.dueDate })),
      more: r.tasks.more,
    },
  };
}
