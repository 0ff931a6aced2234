/**
 * /staff/accounts: the request-driven account actions (issue 17), for a person who asked by mail: find
 * the account by its exact address, then export its data or set its email preferences (support and admins),
 * correct its address (support or an admin asks, a different admin approves) or erase it (an admin asks, a
 * different admin approves). Each is written with the staff member and the reason into the trail of every
 * workspace the account belongs to (src/services/ops/operator.ts); the services are the ones /ops runs for
 * automation. The queue of requests waiting for a second admin keeps its address, /staff/accounts/erasures.
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
import { setPreferencesFor } from "../../services/ops/corrections";
import { exportAccount } from "../../services/ops/export-account";
import { mirrorAfterChange, workspacesOfUser } from "../../services/shards/mirror";
import { workspacePlacement } from "../../services/shards/workspace-db";
import { usableGrant } from "../../services/support-access/staff-side";
import type { AccountActor } from "../../services/ops/operator";
import {
  accountSummary,
  approveAccountAction,
  findAccountId,
  pendingAccountActions,
  requestErasure,
  type StaffReason,
} from "../../services/staff/account-actions";
import { requestEmailCorrection } from "../../services/staff/email-correction-requests";
import { refuseStaff, renderStaff } from "./page";
import { AccountPage, FindAccountPage, type AccountForm } from "../../../views/pages/staff/AccountPages";
import { SecondAdminQueuePage } from "../../../views/pages/staff/SecondAdminQueuePage";

export const staffAccountRoutes = new Hono<AppEnv>();
// An account's preferences reach the copies on its workspaces' shards (src/services/shards/); a corrected address
// does so where its approval runs.
staffAccountRoutes.use(
  "/:id/preferences",
  mirrorsPeople((c) => c.req.param("id")),
);

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

// ---- erasure and address corrections: one asks, a different admin approves ---------------------------

async function queuePage(
  c: Context<AppEnv>,
  extra: { notice?: string; error?: string } = {},
  status: 200 | 403 | 404 | 409 | 503 = 200,
) {
  const me = staffOf(c);
  const pending = await pendingAccountActions(c.get("db"), Date.now());
  return renderStaff(
    c,
    "Requests waiting for a second admin",
    <SecondAdminQueuePage pending={pending.map((r) => ({ ...r, mine: r.staffId === me.id }))} {...extra} />,
    status,
  );
}

staffAccountRoutes.get("/erasures", admins, (c) => queuePage(c));

staffAccountRoutes.post("/erasures/:id/approve", admins, async (c) => {
  const periods = retentionPeriods(c.env);
  const db = c.get("db");
  const result = await approveAccountAction(
    {
      db,
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
      return queuePage(c, { error: "A second admin must approve: you asked for this one." }, 403);
    if (result.reason === "stripe_unavailable")
      return queuePage(c, { error: "Stripe could not be reached; nothing was erased. Try again." }, 503);
    if (result.reason === "email_taken" || result.reason === "same_address")
      return queuePage(
        c,
        { error: "Nothing was changed: that address is now another account's or this one's. The request is dropped." },
        409,
      );
    return queuePage(c, { error: "That request is gone (approved, or more than a day old)." }, 404);
  }
  if (result.kind === "correct_email") {
    deliverSoon(c, result.mailIds);
    await syncStripeCustomers(db, stripeFromEnv(c.env), { ownerEmail: result.newEmail });
    // The corrected address reaches the copies of people on the account's workspaces' shards.
    await mirrorAfterChange(c.env, await workspacesOfUser(db.$client, result.userId));
    return queuePage(c, {
      notice: `Corrected to ${result.newEmail}. A link to confirm it went there, and the old address was told.`,
    });
  }
  return queuePage(c, {
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
    <AccountPage account={account} adminActions={staffOf(c).role === "admin"} {...extra} />,
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
  // A whole workspace's records only where support could read and change them anyway: a live read-and-write grant
  // of an open workspace. The export is then recorded under that grant, where the owner sees what support saw.
  const me = staffOf(c);
  const records = async (tenantId: string, w: { closed: boolean }) => {
    if (w.closed) return null;
    const grant = await usableGrant(db, tenantId, me.id, Date.now());
    if (grant?.access !== "write") return null;
    return { db: (await workspacePlacement(c.env, db, tenantId)).t.db, grantId: grant.id };
  };
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

// Admins only, as erasure: an admin can add support staff (not admins), so a support member's request approved by
// the admin who made that member would be one person's decision.
staffAccountRoutes.post("/:id/email", admins, async (c) => {
  const read = await readAction(c, "email", { new_email: email("Enter the new address.") }, ["new_email"]);
  if (read instanceof Response) return read;
  const { new_email: newEmail, ...reason } = read.input;
  // Only asked here: the address changes once a different admin approves (a new address is a takeover otherwise).
  const result = await requestEmailCorrection(c.get("db"), staffOf(c), read.userId, newEmail, reason, requestMeta(c));
  if (!result.ok) {
    if (result.reason === "not_found") return refuseStaff(c, 404, "No account has that id.");
    if (result.reason === "already_asked")
      return accountPage(c, { notice: "A correction of this address is already waiting for a second admin." });
    const message =
      result.reason === "email_taken" ? "Another account has this address." : "That is the account's address now.";
    const values = { new_email: newEmail, reason: reason.reason, ticket: reason.ticket ?? "" };
    return accountPage(c, { refused: { form: "email", errors: { new_email: message }, values } }, 409);
  }
  return accountPage(c, {
    notice: `Asked to correct it to ${newEmail}. Nothing changes until a second staff admin approves it under Requests waiting for a second admin.`,
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
      ? "Asked. Nothing is erased until a second admin approves it under Requests waiting for a second admin."
      : "An erasure of this account is already waiting for a second admin.",
  });
});
