/**
 * Exports under /app/export, for admins and owners: the page listing the downloads, and the
 * downloads themselves, streamed page by page from services/export/. Contacts and companies take
 * their list's filters (list-filters.ts); a filter that cannot be read is a 400, never a bigger file.
 */
import { trackFeature } from "../../middleware/usage";
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../env";
import { render } from "../../lib/render";
import { requestMeta } from "../../lib/request";
import { requireRole } from "../../middleware/session";
import { recordAudit } from "../../services/audit/audit";
import { tenantOf } from "../context";
import { getCompany } from "../../services/companies/page";
import { listCustomFields } from "../../services/records/custom-fields";
import {
  EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS,
  EXPORT_KINDS,
  type ExportFormat,
  type ExportKind,
} from "../../services/export/columns";
import { exportChunks, exportFileName, openExportStream, type ExportOptions } from "../../services/export/stream";
import { listTags } from "../../services/records/tags";
import { listOwners } from "../../services/records/workspace";
import {
  companyFilterQuery,
  contactFilterQuery,
  parseCompanyFilters,
  parseContactFilters,
  type ContactListFilters,
} from "../../services/records/list-filters";
import {
  ExportFilterProblemPage,
  ExportPage,
  type ExportDownload,
  type ExportSection,
} from "../../../views/pages/export/ExportPage";

/** Mounted at /app/export. */
export const exportRoutes = new Hono<AppEnv>();

const FORMAT_NAMES: Record<ExportFormat, string> = { csv: "CSV", json: "JSON", vcf: "vCard" };

/** What each file is for. Notes and deals do not import again (the importer takes contacts and companies). */
function formatDescription(kind: ExportKind, format: ExportFormat): string {
  if (format === "vcf") return "for address books (Apple Contacts, Google Contacts, Outlook), notes included";
  if (format === "json")
    return kind === "notes"
      ? "for developers and archives"
      : kind === "deals"
        ? "everything, with contacts and their roles, stage history, custom fields, notes and the pipelines"
        : "everything, custom fields and notes included, for developers and archives";
  return kind === "notes" || kind === "deals"
    ? "for spreadsheets (Excel, Numbers, Google Sheets)"
    : "for spreadsheets (Excel, Numbers, Google Sheets) and for importing again";
}

const KIND_TITLES: Record<ExportKind, string> = {
  contacts: "Contacts",
  companies: "Companies",
  notes: "Notes",
  deals: "Deals",
};

function downloads(kind: ExportKind, query: URLSearchParams): ExportDownload[] {
  const search = query.size ? `?${query}` : "";
  return EXPORT_FORMATS[kind].map((format) => ({
    href: `/app/export/${kind}.${format}${search}`,
    label: `${KIND_TITLES[kind]} as ${FORMAT_NAMES[format]}`,
    description: formatDescription(kind, format),
  }));
}

/** A section of the export page whose downloads hold every record of the kind, no filter applied. */
function everythingSection(kind: ExportKind): ExportSection {
  return { key: kind, title: KIND_TITLES[kind], downloads: downloads(kind, new URLSearchParams()), filters: [] };
}

/** The contact filters in words ("Tag: VIP"), with the names of the tags, owners, company and fields they name. */
async function describeContactFilters(c: Context<AppEnv>, f: ContactListFilters): Promise<string[]> {
  const [tags, owners, fields, company] = await Promise.all([
    f.tagId ? listTags(tenantOf(c)) : [],
    f.ownerId ? listOwners(tenantOf(c)) : [],
    f.custom.length ? listCustomFields(tenantOf(c), "contact") : [],
    f.companyId ? getCompany(tenantOf(c), f.companyId) : null,
  ]);
  const out: string[] = [];
  if (f.q.trim()) out.push(`Search: “${f.q.trim()}”`);
  if (f.tagId) out.push(`Tag: ${tags.find((t) => t.id === f.tagId)?.name ?? "a tag that no longer exists"}`);
  if (f.companyId) out.push(`Company: ${company?.name ?? "a company that no longer exists"}`);
  if (f.ownerId)
    out.push(`Owner: ${owners.find((o) => o.userId === f.ownerId)?.email ?? "someone who is not a member"}`);
  for (const [key, value] of Object.entries(f.customEcho))
    out.push(`${fields.find((x) => `cf_${x.id}` === key)?.name ?? key}: ${value}`);
  return out;
}

exportRoutes.get("/", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
  const query = new URL(c.req.url).searchParams;
  const list = query.get("list");
  const sections: ExportSection[] = [];
  let ignored: string[] = [];

  const contactSection = everythingSection("contacts");
  if (list === "contacts") {
    const f = await parseContactFilters(tenantOf(c), query, auth.user.locale);
    ignored = f.rejected;
    if (f.filtered) {
      contactSection.downloads = downloads("contacts", contactFilterQuery(f));
      contactSection.filters = await describeContactFilters(c, f);
      contactSection.allHref = "/app/export";
    }
  }
  const companySection = everythingSection("companies");
  if (list === "companies") {
    const f = parseCompanyFilters(query);
    ignored = f.rejected;
    if (f.filtered) {
      companySection.downloads = downloads("companies", companyFilterQuery(f));
      const tag = f.tagId ? (await listTags(tenantOf(c))).find((t) => t.id === f.tagId) : null;
      companySection.filters = [
        ...(f.q.trim() ? [`Name starts with: “${f.q.trim()}”`] : []),
        ...(f.tagId ? [`Tag: ${tag?.name ?? "a tag that no longer exists"}`] : []),
      ];
      companySection.allHref = "/app/export";
    }
  }
  sections.push(contactSection, companySection, everythingSection("deals"), everythingSection("notes"));
  return render(
    c,
    "Export data",
    <ExportPage sections={sections} ignored={ignored} canSeeBilling={auth.role === "owner"} />,
  );
});

/** Streams one export as a download, after recording it in the audit trail. */
async function sendExport(c: Context<AppEnv>, kind: ExportKind, format: ExportFormat) {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const query = new URL(c.req.url).searchParams;
  const opts: ExportOptions = {};
  let applied: string[] = [];
  if (kind === "contacts") {
    const f = await parseContactFilters(tenantOf(c), query, auth.user.locale);
    if (f.rejected.length) return render(c, "Export refused", <ExportFilterProblemPage rejected={f.rejected} />, 400);
    opts.contactFilters = {
      match: f.match,
      tagId: f.tagId,
      companyId: f.companyId,
      ownerId: f.ownerId,
      custom: f.custom,
    };
    applied = [...contactFilterQuery(f).keys()];
  } else if (kind === "companies") {
    const f = parseCompanyFilters(query);
    if (f.rejected.length) return render(c, "Export refused", <ExportFilterProblemPage rejected={f.rejected} />, 400);
    opts.companyFilters = { q: f.q, tagId: f.tagId };
    applied = [...companyFilterQuery(f).keys()];
  }
  const meta = requestMeta(c);
  // The request's D1 session: it keeps reading (one page per pull) after this handler has returned,
  // while the body streams. The first page is read here, so a failure is an error page, not a cut file.
  const body = await openExportStream(
    exportChunks(tenantOf(c).db, auth.tenant.id, kind, format, { ...opts, now: meta.now }),
  );
  // Which filters applied, by name only: search words and values can name a person, and the trail outlives them.
  await recordAudit(db, {
    tenantId: auth.tenant.id,
    actorUserId: auth.user.id,
    action: "data.exported",
    targetType: "export",
    targetLabel: `${kind}.${format}`,
    detail: { kind, format, filters: applied.join(" ") || "none" },
    ip: meta.ip,
    userAgent: meta.userAgent,
    now: meta.now,
  });
  trackFeature(c, "export.downloaded");
  c.header("Content-Type", EXPORT_CONTENT_TYPES[format]);
  c.header("Content-Disposition", `attachment; filename="${exportFileName(kind, format, meta.now)}"`);
  c.header("Cache-Control", "no-store");
  return c.body(body, 200);
}

for (const kind of EXPORT_KINDS) {
  for (const format of EXPORT_FORMATS[kind]) {
    exportRoutes.get(`/${kind}.${format}`, requireRole("admin"), (c) => sendExport(c, kind, format));
  }
}
