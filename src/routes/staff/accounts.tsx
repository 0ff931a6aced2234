/**
 * /staff/accounts: the request-driven account actions (issue 17), for a person who asked by mail: find
 * the account by its exact address, then export its data, correct its address or its email preferences
 * (support and admins), or erase it (an admin asks, a second admin approves). Each is written with the
 * staff member and the reason into the trail of every workspace the account belongs to
 * (src/services/ops/operator.ts); the services are the ones /ops runs for automation.
 */
import { Hono, type Context } from "hono";
import { z } from "zod";
import { mirrorsPeople } from "../../middleware/mirror-people";
import type { AppEnv } from "../../env";
import { appBaseUrl, deliverSoon } from "../../lib/mail";
import { requestMeta } from "../../lib/request";
import { retentionChunkRows, retentionPeriods } from "../../lib/retention-periods";
import { stripeFromEnv } from "../../lib/stripe";
import { email, formValues, parseForm, text } from "../../lib/validation";
import { requireStaff, staffOf } from "../../middleware/staff";
import { syncStripeCustomers } from "../../services/billing/customers";
import { openExportStream } from "../../services/export/stream";
import { MAIL_LISTS, type MailList } from "../../services/account/email-preferences";
import { correctEmail, setPreferencesFor } from "../../services/ops/corrections";
import { exportAccount } from "../../services/ops/export-account";
import { workspacePlacement } from "../../services/shards/workspace-db";
import { usableGrant } from "../../services/support-access/staff-side";
import type { AccountActor } from "../../services/ops/operator";
import {
  accountSummary,
  approveErasure,
  findAccountId,
  pendingErasures,
  requestErasure,
  type StaffReason,
} from "../../services/staff/account-actions";
import { refuseStaff, renderStaff } from "./page";
import {
  AccountPage,
  ErasureQueuePage,
  FindAccountPage,
  type AccountForm,
} from "../../../views/pages/staff/AccountPages";

export const staffAccountRoutes = new Hono<AppEnv>();
// An account's corrected address or preferences reach the copies on its workspaces' shards (src/services/shards/).
const mirrorsAccount = mirrorsPeople((c) => c.req.param("id"));
staffAccountRoutes.use("/:id/email", mirrorsAccount);
staffAccountRoutes.use("/:id/preferences", mirrorsAccount);

const supportStaff = requireStaff("support", "admin");
const admins = requireStaff("admin");

staffAccountRoutes.get("/", supportStaff, async (c) => {
  const typed = (c.req.query("email") ?? "").slice(0, 254);
  if (!typed.trim()) return renderStaff(c, "Find an account", <FindAccountPage email="" />);
  const parsed = parseForm(z.object({ email: email("Enter the account's email address.") }), { email: typed });
  if (!parsed.ok)
    return renderStaff(c, "Find an account", <FindAccountPage email={typed} error={parsed.errors.email} />, 400);
  const id = await findAccountId(c.get("db"), parsed.data.email);
  if (!id) return renderStaff(c, "Find an account", <FindAccountPage email={typed} notFound />, 404);
  return c.redirect(`/staff/accounts/${id}`, 303);
});

// ---- erasure: one admin asks, a second approves -----------------------------------------------------

async function erasuresPage(
  c: Context<AppEnv>,
  extra: { notice?: string; error?: string } = {},
  status: 200 | 403 | 404 | 503 = 200,
) {
  const me = staffOf(c);
  const pending = await pendingErasures(c.get("db"), Date.now());
  return renderStaff(
    c,
    "Account erasures",
    <ErasureQueuePage pending={pending.map((r) => ({ ...r, mine: r.staffId === me.id }))} {...extra} />,
    status,
  );
}

staffAccountRoutes.get("/erasures", admins, (c) => erasuresPage(c));

staffAccountRoutes.post("/erasures/:id/approve", admins, async (c) => {
  const periods = retentionPeriods(c.env);
  const result = await approveErasure(
    {
      db: c.get("db"),
      databases: c.env,
      files: c.env.FILES,
      stripe: stripeFromEnv(c.env),
      chunk: retentionChunkRows(c.env),
      ledgerYears: periods.billingLedgerYears,
    },
    staffOf(c),
    c.req.param("id"),
    { ...requestMeta(c), baseUrl: appBaseUrl(c) },
  );
  if (!result.ok) {
    if (result.reason === "same_person")
      return erasuresPage(c, { error: "A second admin must approve: you asked for this one." }, 403);
    if (result.reason === "stripe_unavailable")
      return erasuresPage(c, { error: "Stripe could not be reached; nothing was erased. Try again." }, 503);
    return erasuresPage(c, { error: "That request is gone (approved, or more than a day old)." }, 404);
  }
  return erasuresPage(c, {
    notice: result.complete
      ? "Erased. The workspaces it was a member of were told in their trails."
      : "Erased. Its large workspaces finish erasing in the retention job's next runs (every minute).",
  });
});

// ---- one account ---------------------------------------------------------------------------------

async function accountPage(
  c: Context<AppEnv>,
  extra: {
    refused?: { form: AccountForm; errors: Record<string, string>; values: Record<string, string> };
    notice?: string;
  } = {},
  status: 200 | 400 | 409 = 200,
) {
  const account = await accountSummary(c.get("db"), c.req.param("id") ?? "", Date.now());
  if (!account) return refuseStaff(c, 404, "No account has that id.");
  return renderStaff(
    c,
    account.email,
    <AccountPage account={account} canErase={staffOf(c).role === "admin"} {...extra} />,
    status,
  );
}

staffAccountRoutes.get("/:id", supportStaff, (c) => accountPage(c));

const reasonFields = {
  reason: text("The reason", { min: 10, max: 1000 }),
  ticket: text("The ticket", { max: 100 }).transform((v) => v || null),
};
const list = z.string().transform((v) => v === "on");

/**
 * Reads an action's form: its own fields and the reason and ticket. A refused form answers 400 with the
 * account page, the messages by the fields; an unknown account answers 404 either way.
 */
async function readAction<S extends z.ZodRawShape>(
  c: Context<AppEnv>,
  form: AccountForm,
  fields: S,
  names: string[],
): Promise<{ userId: string; address: string; input: z.output<z.ZodObject<S>> & StaffReason } | Response> {
  const body = await c.req.parseBody();
  const values = formValues(body, ["reason", "ticket", ...names]);
  const parsed = parseForm(z.object({ ...fields, ...reasonFields }), { ...values });
  const userId = c.req.param("id") ?? "";
  if (!parsed.ok) return accountPage(c, { refused: { form, errors: parsed.errors, values } }, 400);
  const account = await accountSummary(c.get("db"), userId, Date.now());
  if (!account) return refuseStaff(c, 404, "No account has that id.");
  // The services name an account by its address, as /ops does.
  return { userId, address: account.email, input: parsed.data as z.output<z.ZodObject<S>> & StaffReason };
}

function staffNote(c: Context<AppEnv>, input: StaffReason): AccountActor {
  const me = staffOf(c);
  return { staff: { staff: { id: me.id, name: me.name }, reason: input.reason, ticket: input.ticket } };
}

staffAccountRoutes.post("/:id/export", supportStaff, async (c) => {
  const read = await readAction(c, "export", {}, []);
  if (read instanceof Response) return read;
  const db = c.get("db");
  // A workspace's records only under its owner's grant to this staff member, as the support view (the policy).
  const me = staffOf(c);
  const records = async (tenantId: string) =>
    (await usableGrant(db, tenantId, me.id, Date.now())) ? (await workspacePlacement(c.env, db, tenantId)).t.db : null;
  const chunks = await exportAccount(db, read.address, staffNote(c, read.input), requestMeta(c), records);
  if (!chunks) return refuseStaff(c, 404, "No account has that id.");
  return new Response(await openExportStream(chunks), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="account-${read.userId}.json"`,
      "Cache-Control": "no-store",
    },
  });
});

staffAccountRoutes.post("/:id/email", supportStaff, async (c) => {
  const read = await readAction(c, "email", { new_email: email("Enter the new address.") }, ["new_email"]);
  if (read instanceof Response) return read;
  const db = c.get("db");
  const { new_email: newEmail, ...reason } = read.input;
  const result = await correctEmail(db, read.address, newEmail, staffNote(c, reason), {
    ...requestMeta(c),
    baseUrl: appBaseUrl(c),
  });
  if (!result.ok) {
    if (result.reason === "not_found") return refuseStaff(c, 404, "No account has that id.");
    const message =
      result.reason === "email_taken" ? "Another account has this address." : "That is the account's address now.";
    const values = { new_email: newEmail, reason: reason.reason, ticket: reason.ticket ?? "" };
    return accountPage(c, { refused: { form: "email", errors: { new_email: message }, values } }, 409);
  }
  deliverSoon(c, result.mailIds);
  await syncStripeCustomers(db, stripeFromEnv(c.env), { ownerEmail: newEmail });
  return accountPage(c, {
    notice: `Corrected to ${newEmail}. A link to confirm it went there, and the old address was told.`,
  });
});

staffAccountRoutes.post("/:id/preferences", supportStaff, async (c) => {
  const lists = Object.fromEntries(MAIL_LISTS.map((name) => [name, list])) as Record<MailList, typeof list>;
  const read = await readAction(c, "preferences", lists, Object.keys(lists));
  if (read instanceof Response) return read;
  const { digest, news, reminders, agenda, mentions, ...reason } = read.input;
  // Typed by MAIL_LISTS: a new list fails to compile here until it is read.
  const change: Record<MailList, boolean | undefined> = { digest, news, reminders, agenda, mentions };
  const result = await setPreferencesFor(c.get("db"), read.address, change, staffNote(c, reason), requestMeta(c));
  if (!result.ok) return refuseStaff(c, 404, "No account has that id.");
  return accountPage(c, { notice: "Email preferences saved." });
});

staffAccountRoutes.post("/:id/erase", admins, async (c) => {
  const read = await readAction(c, "erase", {}, []);
  if (read instanceof Response) return read;
  const result = await requestErasure(c.get("db"), staffOf(c), read.userId, read.input, requestMeta(c));
  if (!result.ok && result.reason === "not_found") return refuseStaff(c, 404, "No account has that id.");
  return accountPage(c, {
    notice: result.ok
      ? "Asked. Nothing is erased until a second admin approves it under Account erasures."
      : "An erasure of this account is already waiting for a second admin.",
  });
});
