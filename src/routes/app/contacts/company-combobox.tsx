/**
 * The contact form's company combobox (assets-src/combobox.js): `GET /app/contacts/company-options?q=`
 * answers the matching companies as listbox options (htmx swaps them in as one types), and
 * `POST /app/contacts/company-options` with `name` creates the company at once ("Create company “X”"),
 * answering its id and name as JSON for the form's hidden company_id. Members only; only the
 * workspace's own companies are ever offered. Without JavaScript the form keeps its plain select.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../../env";
import { trackFeature } from "../../../middleware/usage";
import { requireRole } from "../../../middleware/session";
import { companyFormContext, validateCompanyForm } from "../../../services/companies/form";
import { createCompany } from "../../../services/companies/write";
import { companyOptions } from "../../../services/contacts/company-choices";
import { authOf, tenantOf } from "../../context";
import { CompanyOptions } from "../../../../views/partials/contacts/CompanyOptions";

/** Mounted with the other contact routes at /app/contacts (before the record's `/:id`). */
export const contactCompanyRoutes = new Hono<AppEnv>();

contactCompanyRoutes.get("/company-options", requireRole("member"), async (c) => {
  const found = await companyOptions(tenantOf(c), c.req.query("q") ?? "");
  c.header("Cache-Control", "private, no-store");
  return c.html(<CompanyOptions {...found} />);
});

contactCompanyRoutes.post("/company-options", requireRole("member"), async (c) => {
  const t = tenantOf(c);
  const body = await c.req.parseBody();
  const name = typeof body.name === "string" ? body.name : "";
  const ctx = await companyFormContext(t);
  // Only the name: the company's other fields wait for its own form.
  const parsed = validateCompanyForm(ctx, { name }, authOf(c).user.locale);
  if (!parsed.ok) return c.json({ error: parsed.errors.name ?? "Enter the company's name." }, 422);
  // The company of that name (any case) if there is one, however many others contain the name.
  const { match } = await companyOptions(t, parsed.input.name);
  if (match) return c.json(match);
  const id = await createCompany(t, authOf(c).user.id, parsed.input, ctx, Date.now());
  trackFeature(c, "company.created");
  return c.json({ id, name: parsed.input.name }, 201);
});
