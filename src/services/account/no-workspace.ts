/**
 * Signing in to an account that belongs to no workspace: removed from its last one, it keeps its login, so the
 * person can join the workspace whose invitation brought them here or start one of their own (and from there
 * download or delete their account's data). Without either there is nothing to sign in to.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { users } from "../../db/schema";
import type { Bindings } from "../../env";
import type { RequestMeta } from "./accounts";
import { acceptInvitationAsUser, findLiveInvitation } from "../team/invitation-accept";
import { createWorkspace } from "../team/workspaces";

export type GiveWorkspaceResult =
  | { ok: true }
  | { ok: false; reason: "choose" }
  | { ok: false; reason: "seat_limit"; tenantName: string }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

/**
 * Gives the account a workspace: the one of `inviteToken` when that invitation is live and for this address, else
 * a new one named `companyName` (its owner, on Free). "choose" when neither applies.
 */
export async function giveWorkspace(
  db: Database,
  env: Pick<Bindings, "DB"> & Partial<Bindings>,
  account: { userId: string; email: string },
  input: { inviteToken: string | null; companyName: string | null; timeZone: string | null },
  meta: RequestMeta,
  freeMaxSeats: number | null,
): Promise<GiveWorkspaceResult> {
  // No session yet: the accepting and creating services' session update matches nothing.
  const noSession = "";
  const invitation = input.inviteToken ? await findLiveInvitation(db, input.inviteToken, meta.now) : null;
  if (invitation && invitation.email === account.email) {
    const user = { id: account.userId, email: account.email, sessionId: noSession };
    const joined = await acceptInvitationAsUser(db, env, input.inviteToken!, user, meta, freeMaxSeats);
    if (joined.ok) return { ok: true };
    if (joined.reason === "seat_limit") return joined;
  }
  if (!input.companyName) return { ok: false, reason: "choose" };
  const [row] = await db.select({ timeZone: users.timeZone }).from(users).where(eq(users.id, account.userId)).limit(1);
  const timeZone = row?.timeZone ?? input.timeZone ?? "UTC";
  const user = { id: account.userId, sessionId: noSession, timeZone };
  const created = await createWorkspace(db, user, input.companyName, meta, env);
  return created.ok ? { ok: true } : { ok: false, reason: "rate_limited", retryAfter: created.retryAfter };
}
