/** What the settings pages of the user's own account take from the request, said once for them all. */
import type { Context } from "hono";
import type { AppEnv } from "../../../env";
import { roleAtLeast } from "../../../lib/roles";
import type { AccountHolder } from "../../../services/account/accounts";
import { authOf } from "../../context";

/** Which settings pages the menu links to: the audit trail for admins and owners, billing for owners. */
export function settingsMenuOf(c: Context<AppEnv>): { canSeeAudit: boolean; canSeeBilling: boolean } {
  const { role } = authOf(c);
  return { canSeeAudit: roleAtLeast(role, "admin"), canSeeBilling: role === "owner" };
}

/** The signed-in user acting on their own account, from this session in this workspace. */
export function accountHolderOf(c: Context<AppEnv>): AccountHolder {
  const auth = authOf(c);
  return { userId: auth.user.id, email: auth.user.email, tenantId: auth.tenant.id, sessionId: auth.sessionId };
}
