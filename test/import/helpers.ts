/** Uploading import files as a browser does, and waiting for the queue to move a job on. */
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { send } from "../helpers/http";

/** A fixture's bytes (test/fixtures/imports). */
export function fixture(name: string): Uint8Array {
  const b64 = inject("importFixtures")[name];
  if (!b64) throw new Error(`no fixture ${name}`);
  return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
}

export const utf8 = (text: string) => new TextEncoder().encode(text);

/** POST /app/import with a multipart body, like the form. */
export async function upload(
  cookie: string,
  bytes: Uint8Array | string,
  opts: { name?: string; kind?: string; encoding?: string; env?: Partial<Cloudflare.Env> } = {},
): Promise<Response> {
  const form = new FormData();
  form.set("kind", opts.kind ?? "contacts");
  form.set("encoding", opts.encoding ?? "auto");
  form.set(
    "file",
    new File([typeof bytes === "string" ? utf8(bytes) : bytes], opts.name ?? "contacts.csv", { type: "text/csv" }),
  );
  return send("/app/import", { method: "POST", body: form, cookie, env: opts.env });
}

export interface JobRow {
  id: string;
  status: string;
  total_rows: number;
  new_count: number;
  update_count: number;
  unchanged_count: number;
  duplicate_count: number;
  invalid_count: number;
  empty_count: number;
  conflict_count: number;
  possible_duplicate_count: number;
  created_count: number;
  updated_count: number;
  chunk_count: number;
  chunks_done: number;
  message: string | null;
  encoding: string | null;
  delimiter: string | null;
  mapping: string | null;
  undo_kept: string | null;
}

export async function job(id: string): Promise<JobRow> {
  return (await env.DB.prepare("SELECT * FROM import_jobs WHERE id = ?").bind(id).first<JobRow>())!;
}

/**
 * Waits until the queue consumer has moved the job to one of `statuses` (it runs on its own). The queue is one
 * for every test file, so on a busy machine a step may wait behind other files' work: 30 s, within the 60 s a
 * test has (15 s failed one clean-clone run of a commit whose next run passed).
 */
export async function waitFor(id: string, statuses: string[], timeoutMs = 30_000): Promise<JobRow> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await job(id);
    if (row && statuses.includes(row.status)) return row;
    if (Date.now() > until)
      throw new Error(`import ${id} is ${row?.status}, not ${statuses.join("/")}: ${row?.message ?? ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The job id from upload's 303 Location. */
export function jobId(res: Response): string {
  const location = res.headers.get("Location") ?? "";
  const m = location.match(/^\/app\/import\/([^/]+)$/);
  if (!m) throw new Error(`no job in ${res.status} ${location}`);
  return m[1]!;
}

/** Uploads, waits for the preview, commits, waits for the end. */
export async function importFile(
  cookie: string,
  bytes: Uint8Array | string,
  opts: { name?: string; kind?: string; encoding?: string; waitMs?: number } = {},
) {
  const res = await upload(cookie, bytes, opts);
  const id = jobId(res);
  const preview = await waitFor(id, ["ready", "failed"], opts.waitMs ?? 30_000);
  if (preview.status !== "ready") return { id, preview, result: preview };
  const commit = await send(`/app/import/${id}/commit`, { method: "POST", cookie, form: {} });
  if (commit.status !== 303) throw new Error(`commit answered ${commit.status}`);
  const result = await waitFor(id, ["done", "failed"], opts.waitMs ?? 60_000);
  return { id, preview, result };
}

/** Every row a tenant holds in the tables an import touches, to compare states exactly. */
export async function snapshot(tenantId: string) {
  const tables = [
    "contacts",
    "contact_emails",
    "contact_phones",
    "contact_tags",
    "companies",
    "company_tags",
    "tags",
    "notes",
    "custom_field_values",
    "activities",
    "tenant_counters",
  ];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const { results } = await env.DB.prepare(`SELECT * FROM ${t} WHERE tenant_id = ? ORDER BY 1, 2, 3`)
      .bind(tenantId)
      .all();
    out[t] = results;
  }
  return out;
}
