/**
 * /api/v1: the JSON API. Mounted in src/app.ts before the CSRF check, the form-body reader, the database
 * bookmark and the session: it reads no cookie and sets none, and authenticates only with an API key
 * (src/routes/api/guard.ts). The OpenAPI document and the reference page are public; everything else needs
 * a key. Every error under it is problem+json.
 */
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../../env";
import { reportError } from "../../lib/sentry";
import { errorText, withoutQueryValues } from "../../lib/error-text";
import { bulkApi } from "./bulk";
import { companiesApi } from "./companies";
import { contactsApi } from "./contacts";
import { tagsApi } from "./tags";
import { dealsApi } from "./deals";
import { pipelinesApi } from "./pipelines";
import { stagesApi } from "./stages";
import { tasksApi } from "./tasks";
import { notesApi } from "./notes";
import { customFieldsApi } from "./custom-fields";
import { activitiesApi } from "./activities";
import { searchApi } from "./search";
import { apiDocsPage } from "./docs";
import { apiAuth, apiBody } from "./guard";
import { apiIdempotency, withIdempotencyKey } from "./idempotency";
import { CompanyGoneError } from "../../services/records/company-ref";
import { StageGoneError } from "../../services/deals/stage-gone";
import { isForeignKeyViolation } from "../../db/sql";
import { ApiProblem, invalidFields, problemResponse, withKeyedAnswers } from "./problem";
import { apiRouter } from "./router";
import { registerWebhookEvents } from "./webhook-events";
import type { Context } from "hono";

/** Mounted at /api/v1. */
export const apiRoutes = apiRouter();

/** The OpenAPI document's head; the paths come from the routes' own schemas. */
export const OPENAPI_HEAD = {
  openapi: "3.1.0",
  info: {
    title: "CustomerTrackr API",
    version: "1.0.0",
    description: "A workspace's records as JSON. Authenticate with `Authorization: Bearer ct_live_…`.",
  },
  servers: [{ url: "/api/v1" }],
  security: [{ apiKey: [] }],
};

apiRoutes.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
  type: "http",
  scheme: "bearer",
  description: "An API key from Settings → API (ct_live_…).",
});

registerWebhookEvents(apiRoutes.openAPIRegistry);

// Built once per isolate: the routes and their schemas do not change after start-up, and both public routes use it.
let builtDocument: ReturnType<typeof apiRoutes.getOpenAPI31Document> | undefined;
const openApiDocument = () => {
  builtDocument ??= withKeyedAnswers(withIdempotencyKey(apiRoutes.getOpenAPI31Document(OPENAPI_HEAD)));
  return builtDocument;
};
apiRoutes.get("/openapi.json", (c) => c.json(openApiDocument()));
apiRoutes.get("/docs", (c) => apiDocsPage(c, openApiDocument()));

apiRoutes.use("*", apiAuth, apiBody, apiIdempotency);
apiRoutes.route("/", contactsApi);
apiRoutes.route("/", companiesApi);
apiRoutes.route("/", tagsApi);
apiRoutes.route("/", bulkApi);
apiRoutes.route("/", dealsApi);
apiRoutes.route("/", pipelinesApi);
apiRoutes.route("/", stagesApi);
apiRoutes.route("/", tasksApi);
apiRoutes.route("/", notesApi);
apiRoutes.route("/", customFieldsApi);
apiRoutes.route("/", activitiesApi);
apiRoutes.route("/", searchApi);
apiRoutes.all("*", () => {
  throw new ApiProblem("not_found", "No such endpoint; see /api/v1/docs.");
});

/** Problems as they are; unreadable JSON as malformed_json; anything else a 500, reported. */
export function apiError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ApiProblem) return problemResponse(c, err);
  // A company deleted between a save's check and its write (records/company-ref.ts): nothing was written.
  if (err instanceof CompanyGoneError)
    return problemResponse(c, invalidFields([{ field: "company_id", message: err.message }]));
  if (err instanceof StageGoneError)
    return problemResponse(c, invalidFields([{ field: "stage_id", message: err.message }]));
  // Any other reference removed between a check and its batch: the batch failed whole, so nothing was written.
  if (isForeignKeyViolation(err))
    return problemResponse(
      c,
      new ApiProblem("conflict", "Something this change refers to was removed meanwhile; nothing was written."),
    );
  if (err instanceof HTTPException && err.status === 400)
    return problemResponse(c, new ApiProblem("malformed_json", "The body could not be read as JSON."));
  const clean = withoutQueryValues(err) as Error;
  console.error(
    JSON.stringify({ type: "error", requestId: c.get("requestId"), message: errorText(err), stack: clean.stack }),
  );
  reportError(c, clean);
  return problemResponse(c, new ApiProblem("internal_error", `Request id ${c.get("requestId")}.`));
}
apiRoutes.onError(apiError);
