/**
 * Operator endpoints. A secret bearer token (OPS_TOKEN), compared in constant time; without it, or
 * when it is not configured, everything here answers 401. Nothing here lists tenant records.
 */
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { appBaseUrl, deliverSoon } from "../lib/mail";
import { requestMeta } from "../lib/request";
import { retentionChunkRows, retentionPeriods } from "../lib/retention-periods";
import { stripeFromEnv } from "../lib/stripe";
import { syncStripeCustomers } from "../services/billing/customers";
import { openExportStream } from "../services/export/stream";
import { eraseContactMessages } from "../services/ops/contact-messages";
import { MAIL_LISTS, type MailList } from "../services/account/email-preferences";
import { correctEmail, setPreferencesFor } from "../services/ops/corrections";
import { eraseAccountNow } from "../services/ops/erase-account";
import { exportAccount } from "../services/ops/export-account";
import { workspacePlacement } from "../services/shards/workspace-db";
import { listFailedMail } from "../services/mail/outbox";
import { STAFF_ROLES } from "../db/schema";
import { createStaff } from "../services/staff/accounts";

export const opsRoutes = new Hono<AppEnv>();

opsRoutes.use("*", async (c, next) => {
  const expected = c.env.OPS_TOKEN;
  const given = c.req.header("Authorization")?.match(/^Bearer (.+)$/)?.[1] ?? "";
  const enc = new TextEncoder();
  const ok =
    Boolean(expected) &&
    expected!.length >= 32 &&
    given.length === expected!.length &&
    constantTimeEqual(enc.encode(given), enc.encode(expected!));
  if (!ok) {
    c.header("WWW-Authenticate", 'Bearer realm="ops"');
    return c.json({ error: "unauthorized" }, 401);
  }
  c.header("Cache-Control", "no-store");
  await next();
});

/**
 * Creates a staff member (the first admin; later ones are added in the console by an admin) and answers
 * their enrolment link, good once for 24 hours: the operator hands it to them.
 */
opsRoutes.post("/staff", async (c) => {
  const input = await readJson(
    c,
    z.object({ email: address, name: z.string().trim().min(1).max(100), role: z.enum(STAFF_ROLES) }),
  );
  if (input instanceof Response) return input;
  const created = await createStaff(c.get("db"), input, Date.now());
  if (!created.ok) return c.json({ error: "email_taken" }, 409);
  return c.json({ id: created.id, enrol_link: `${appBaseUrl(c)}/staff/enrol/${created.enrolToken}` }, 201);
});

/** Mail the mailer gave up on: who, what kind, how many attempts, the last error. */
opsRoutes.get("/mail/failed", async (c) => c.json({ failed: await listFailedMail(c.get("db")) }));

// ---- account actions for verified requests (npm run ops; src/services/ops/) ----------------
// Each takes a JSON body naming the account, the operator and the reason, and is audited with both.
// None of them lists or searches anything: an action names one account by its exact address.

const note = { operator: z.string().trim().min(1).max(100), reason: z.string().trim().min(3).max(1000) };
/** Who acted and why, as the audit trail records an operator action. */
const operatorNote = (input: { operator: string; reason: string }) => ({
  operator: { operator: input.operator, reason: input.reason },
});
const address = z.string().trim().toLowerCase().max(254).pipe(z.email());

async function readJson<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.output<S> | Response> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return c.json({ error: "bad_request", message: "Send a JSON body." }, 400);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    return c.json(
      { error: "bad_request", message: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") },
      400,
    );
  return parsed.data;
}

/** Erases an account now: its owned workspaces (closed without grace, Stripe customer deleted) and its own data. */
opsRoutes.post("/accounts/erase", async (c) => {
  const input = await readJson(c, z.object({ email: address, ...note }));
  if (input instanceof Response) return input;
  const periods = retentionPeriods(c.env);
  const result = await eraseAccountNow(
    {
      db: c.get("db"),
      databases: c.env,
      files: c.env.FILES,
      stripe: stripeFromEnv(c.env),
      chunk: retentionChunkRows(c.env),
      ledgerYears: periods.billingLedgerYears,
    },
    input.email,
    operatorNote(input),
    { ...requestMeta(c), baseUrl: appBaseUrl(c) },
  );
  if (!result.ok)
    return result.reason === "not_found"
      ? c.json({ error: "not_found" }, 404)
      : c.json({ error: "stripe_unavailable", message: "Stripe could not be reached; try again." }, 503);
  return c.json({
    erased: true,
    workspaces_erased: result.workspacesErased,
    // Large workspaces finish in the retention job's next runs (every minute).
    complete: result.complete,
    erasures: result.erasures.map((e) => ({
      workspace_id: e.tenantId,
      done: e.done,
      rows: e.rows,
      files: e.objects,
      users: e.users,
    })),
  });
});

/** The account's data as JSON (its own data; the records of the workspaces it owns). */
opsRoutes.post("/accounts/export", async (c) => {
  const input = await readJson(c, z.object({ email: address, ...note }));
  if (input instanceof Response) return input;
  const db = c.get("db");
  // The operator's request reads every owned workspace, on the database the directory says holds it.
  const records = async (tenantId: string) => (await workspacePlacement(c.env, db, tenantId)).t.db;
  const chunks = await exportAccount(db, input.email, operatorNote(input), requestMeta(c), records);
  if (!chunks) return c.json({ error: "not_found" }, 404);
  return new Response(await openExportStream(chunks), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
});

/** Corrects an account's email address; the new one must be confirmed, the old one is told. */
opsRoutes.post("/accounts/correct-email", async (c) => {
  const input = await readJson(c, z.object({ old_email: address, new_email: address, ...note }));
  if (input instanceof Response) return input;
  const result = await correctEmail(c.get("db"), input.old_email, input.new_email, operatorNote(input), {
    ...requestMeta(c),
    baseUrl: appBaseUrl(c),
  });
  if (!result.ok) {
    const status = result.reason === "not_found" ? 404 : result.reason === "email_taken" ? 409 : 400;
    return c.json({ error: result.reason }, status);
  }
  deliverSoon(c, result.mailIds);
  await syncStripeCustomers(c.get("db"), stripeFromEnv(c.env), { ownerEmail: input.new_email });
  return c.json({ corrected: true, email: input.new_email, verification_sent: true });
});

/**
 * Erases a contact-page sender's messages and the mail to their address, whether or not they have an
 * account (a sender without one cannot be reached by erase-account).
 */
opsRoutes.post("/accounts/erase-contact-messages", async (c) => {
  const input = await readJson(c, z.object({ email: address, ...note }));
  if (input instanceof Response) return input;
  const result = await eraseContactMessages(c.get("db"), input.email, operatorNote(input).operator, requestMeta(c));
  return c.json({ erased: true, messages: result.messages, mail: result.mail });
});

/** Turns an account's mail lists (every one of MAIL_LISTS) on or off, for someone who asked by mail. */
opsRoutes.post("/accounts/email-preferences", async (c) => {
  const lists = Object.fromEntries(MAIL_LISTS.map((name) => [name, z.boolean().optional()])) as Record<
    MailList,
    z.ZodOptional<z.ZodBoolean>
  >;
  const input = await readJson(
    c,
    z.object({ email: address, ...lists, ...note }).refine((v) => MAIL_LISTS.some((name) => v[name] !== undefined), {
      message: `Give ${MAIL_LISTS.join(", ")} (any of them, true or false).`,
    }),
  );
  if (input instanceof Response) return input;
  const result = await setPreferencesFor(
    c.get("db"),
    input.email,
    Object.fromEntries(MAIL_LISTS.map((name) => [name, input[name]])),
    operatorNote(input),
    requestMeta(c),
  );
  if (!result.ok) return c.json({ error: "not_found" }, 404);
  return c.json({ email: input.email, ...result.preferences });
});
