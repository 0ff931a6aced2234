/** The import page (the upload form and the workspace's last imports) and the upload itself. */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { IMPORT_KINDS, type ImportKind } from "../../../db/schema";
import type { AppEnv } from "../../../env";
import { render } from "../../../lib/render";
import { refuseStaleForm } from "../../../middleware/page-workspace";
import { requireRole } from "../../../middleware/session";
import { pipelinesWithStages } from "../../../services/deals/choices";
import { createImport, listImports } from "../../../services/import/jobs";
import { decodeUpload, ENCODING_CHOICES, IMPORT_MAX_BYTES, type EncodingChoice } from "../../../services/import/upload";
import { ImportPage, type ImportFormErrors } from "../../../../views/pages/import/ImportPage";
import { authOf, tenantOf } from "../../context";
import { formChoice, importServices, jobSummary } from "./job-page";
import { settingsMenuOf } from "../settings/settings-context";

export const uploadRoutes = new Hono<AppEnv>();

const MB = 1024 * 1024;
const TOO_LARGE = `The file is larger than ${IMPORT_MAX_BYTES / MB} MB. Split it into smaller files.`;

async function importPage(
  c: Context<AppEnv>,
  form: { kind?: string; encoding?: string; pipeline?: string; errors?: ImportFormErrors } = {},
  status: ContentfulStatusCode = 200,
) {
  const [jobs, pipelines] = await Promise.all([listImports(tenantOf(c)), pipelinesWithStages(tenantOf(c))]);
  return render(
    c,
    "Import",
    <ImportPage
      canSeeBilling={settingsMenuOf(c).canSeeBilling}
      jobs={jobs.map(jobSummary)}
      kind={form.kind ?? "contacts"}
      encoding={form.encoding ?? "auto"}
      errors={form.errors ?? {}}
      maxMb={IMPORT_MAX_BYTES / MB}
      pipelines={pipelines.map((p) => ({ id: p.id, name: p.name }))}
      pipeline={form.pipeline ?? String(pipelines[0]?.id ?? "")}
    />,
    status,
  );
}

uploadRoutes.get("/", requireRole("admin"), (c) => importPage(c));

// The upload: up to 20 MB (plus the form's other fields). Beyond that, the form again with the reason.
uploadRoutes.post(
  "/",
  requireRole("admin"),
  bodyLimit({
    maxSize: IMPORT_MAX_BYTES + 64 * 1024,
    onError: (c) => importPage(c as Context<AppEnv>, { errors: { file: TOO_LARGE } }, 413),
  }),
  async (c) => {
    let body: Record<string, string | File | (string | File)[]>;
    try {
      body = await c.req.parseBody();
    } catch {
      return importPage(c, { errors: { file: "Choose a CSV file to upload." } }, 400);
    }
    // A page of another workspace than the session's now (another tab switched): 409, nothing stored.
    const stale = await refuseStaleForm(c, body._workspace);
    if (stale) return stale;
    const kind = formChoice<ImportKind>(body.kind, IMPORT_KINDS);
    const encoding = formChoice<EncodingChoice>(body.encoding, ENCODING_CHOICES);
    const file = body.file;
    const errors: ImportFormErrors = {};
    if (!kind) errors.kind = "Choose what the file holds: contacts, companies or deals.";
    // A deals file's stages are the chosen pipeline's; another workspace's pipeline is not found.
    let pipelineId: number | null = null;
    let pipelineMissing = false;
    if (kind === "deals") {
      const pipes = await pipelinesWithStages(tenantOf(c));
      const raw = typeof body.pipeline === "string" && body.pipeline !== "" ? body.pipeline : null;
      const chosen = raw === null ? pipes[0] : pipes.find((p) => String(p.id) === raw);
      if (!chosen) {
        pipelineMissing = raw !== null && /^\d+$/.test(raw);
        errors.pipeline = pipes.length ? "Choose one of your pipelines." : "Add a pipeline before importing deals.";
      } else pipelineId = chosen.id;
    }
    if (!encoding) errors.encoding = "Choose the file's encoding, or leave it on “Detect”.";
    if (!(file instanceof File) || file.name === "") errors.file = "Choose a CSV file to upload.";
    else if (file.size === 0) errors.file = "The file is empty.";
    else if (file.size > IMPORT_MAX_BYTES) errors.file = TOO_LARGE;
    const form = {
      kind: typeof body.kind === "string" ? body.kind : undefined,
      encoding: typeof body.encoding === "string" ? body.encoding : undefined,
      pipeline: typeof body.pipeline === "string" ? body.pipeline : undefined,
      errors,
    };
    if (!kind || !encoding || !(file instanceof File) || Object.keys(errors).length)
      return importPage(
        c,
        form,
        file instanceof File && file.size > IMPORT_MAX_BYTES ? 413 : pipelineMissing && errors.pipeline ? 404 : 400,
      );
    // A file that cannot be read at all is refused here, before anything is stored.
    const bytes = await file.arrayBuffer();
    const decoded = decodeUpload(new Uint8Array(bytes), encoding);
    if (!decoded.ok) return importPage(c, { ...form, errors: { file: decoded.message } }, 400);
    const id = await createImport(importServices(c), {
      actorId: authOf(c).user.id,
      kind,
      fileName: file.name.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 200) || "upload.csv",
      bytes,
      encodingChoice: encoding,
      pipelineId,
      now: Date.now(),
    });
    return c.redirect(`/app/import/${id}`, 303);
  },
);
