/**
 * Merging a duplicate into a company, under /app/companies/:id/merge (members): find the other company, review
 * what the kept one becomes, merge (src/services/companies/merge.ts). Another workspace's company, or the company
 * itself, is not found.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { parseRecordId } from "../../../lib/ids";
import { formatPhone } from "../../../lib/phone";
import { render } from "../../../lib/render";
import { requireRole } from "../../../middleware/session";
import {
  companyMergeReview,
  likelyDuplicateCompanies,
  mergeCompanies,
  type CompanyMergeReview,
} from "../../../services/companies/merge";
import { getCompany, type Company } from "../../../services/companies/page";
import { companyOptions } from "../../../services/contacts/company-choices";
import { actorOf, tenantOf } from "../../context";
import {
  MergeFindPage,
  MergeReviewPage,
  type MergeKind,
  type MergeSideView,
} from "../../../../views/partials/MergePage";

/** Mounted with the other company routes at /app/companies (src/routes/app/companies/index.tsx). */
export const companyMergeRoutes = new Hono<AppEnv>();

const KIND: MergeKind = {
  base: "/app/companies",
  noun: "company",
  moves: "contacts, deals, tags, custom values, notes, tasks, logged calls, meetings and emails and history",
  searchLabel: "Find the duplicate by name",
};

/**
 * The review's row keys that are not their labels: a custom field's row goes by its id and the counts by their
 * own keys, so a field named like a built-in row ("Contacts", "Name") shows its values instead of hiding them.
 */
function rowLabels(review: CompanyMergeReview): Record<string, string> {
  const labels: Record<string, string> = { "count:contacts": "Contacts", "count:deals": "Deals" };
  for (const f of review.fields) labels[`cf:${f.id}`] = f.name;
  return labels;
}

/** The fields of the review, each written for reading, by key (rowLabels names them). */
function rowsOf(
  review: CompanyMergeReview,
  c: CompanyMergeReview["merged"],
  owner: string | null,
  counts?: { contacts: number; deals: number },
): Record<string, string> {
  const text = (v: string | null | undefined) => (v ? v : "—");
  const names = new Map([...review.into.tags, ...review.from.tags].map((g) => [g.id, g.name]));
  const rows: Record<string, string> = {
    Name: c.name,
    Domain: text(c.domain),
    Industry: text(c.industry),
    Size: text(c.size),
    Address: text(c.address),
    Phone: text(c.phone ? formatPhone(c.phone) : null),
    Owner: text(owner),
    Tags: text(c.tagIds.map((id) => names.get(id) ?? "").join(", ")),
  };
  for (const f of review.fields) {
    const v = c.values.get(f.id) ?? null;
    rows[`cf:${f.id}`] = f.kind === "checkbox" && v !== null ? (v === "1" ? "yes" : "no") : text(v);
  }
  if (counts) {
    rows["count:contacts"] = String(counts.contacts);
    rows["count:deals"] = String(counts.deals);
  }
  return rows;
}

function sideView(review: CompanyMergeReview, side: CompanyMergeReview["into"]): MergeSideView {
  const c = side.company;
  const owner = c.ownerId ? (c.ownerEmail ?? "former member") : null;
  const rows = rowsOf(review, { ...c, tagIds: side.tags.map((g) => g.id), values: side.values }, owner, side);
  return { id: c.id, name: c.name, updatedAt: c.updatedAt, rows };
}

function reviewPage(c: Context<AppEnv>, review: CompanyMergeReview, problem?: string, status: 200 | 409 = 200) {
  const { into, from, merged } = review;
  const owner = merged.ownerId === into.company.ownerId ? into.company.ownerEmail : from.company.ownerEmail;
  const after = rowsOf(review, merged, merged.ownerId ? (owner ?? "former member") : null, {
    contacts: into.contacts + from.contacts,
    deals: into.deals + from.deals,
  });
  return render(
    c,
    `Merge ${from.company.name} into ${into.company.name}`,
    <MergeReviewPage
      kind={KIND}
      kept={sideView(review, into)}
      other={sideView(review, from)}
      after={after}
      labels={rowLabels(review)}
      problem={problem}
      canMerge
    />,
    status,
  );
}

async function findPage(c: Context<AppEnv>, company: Company, problem?: string) {
  const t = tenantOf(c);
  const query = (c.req.query("q") ?? "").trim().slice(0, 100);
  const [likely, found] = await Promise.all([
    likelyDuplicateCompanies(t, company),
    query ? companyOptions(t, query) : null,
  ]);
  return render(
    c,
    `Merge a duplicate into ${company.name}`,
    <MergeFindPage
      kind={KIND}
      contact={{ id: company.id, name: company.name }}
      duplicates={likely}
      query={query}
      hits={found ? found.hits.filter((h) => h.id !== company.id).map((h) => ({ ...h, detail: null })) : null}
      problem={problem}
    />,
    problem ? 400 : 200,
  );
}

const CHOOSE = "Choose another company of this workspace to merge into this one.";

companyMergeRoutes.get("/:id/merge", requireRole("member"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  const company = id === null ? null : await getCompany(tenantOf(c), id);
  if (!company) return errorResponse(c, 404);
  const other = c.req.query("with");
  if (other === undefined) return findPage(c, company);
  const otherId = parseRecordId(other);
  const review = otherId === null ? null : await companyMergeReview(tenantOf(c), company.id, otherId);
  if (!review) return findPage(c, company, CHOOSE);
  return reviewPage(c, review);
});

companyMergeRoutes.post("/:id/merge", requireRole("member"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  const t = tenantOf(c);
  const company = id === null ? null : await getCompany(t, id);
  if (!company) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const otherId = typeof body.with === "string" ? parseRecordId(body.with) : null;
  const version = (v: unknown) => (typeof v === "string" && /^\d{1,15}$/.test(v) ? Number(v) : null);
  const keptVersion = version(body.kept_version);
  const mergedVersion = version(body.merged_version);
  const review = otherId === null ? null : await companyMergeReview(t, company.id, otherId);
  if (!review) return findPage(c, company, CHOOSE);
  if (keptVersion === null || mergedVersion === null)
    return reviewPage(c, review, "Review the merge below, then press Merge.", 409);
  if (await mergeCompanies(t, actorOf(c), review, { into: keptVersion, from: mergedVersion }))
    return c.redirect(`/app/companies/${company.id}`, 303);
  const now = await companyMergeReview(t, company.id, review.from.company.id);
  if (!now) return findPage(c, company, "The other company is no longer there: nothing was merged.");
  const changed = "One of them was changed while you reviewed the merge; nothing was merged. This is how they are now.";
  return reviewPage(c, now, changed, 409);
});
