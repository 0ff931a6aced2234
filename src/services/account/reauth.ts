/**
 * A signed-in user typing their password again before a change that needs it (password, email address,
 * deleting the account, closing a workspace, handing it to another member). Every attempt counts against one
 * budget per account, before the password is checked, so a stolen session cannot guess the password through
 * whichever form is not limited, nor by sending many at once.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { users } from "../../db/schema";
import { verifyPassword } from "../../auth/password";
import { hit, LIMITS } from "../../auth/rate-limit";

const WRONG_PASSWORD = "That is not your current password.";
const TOO_MANY_ATTEMPTS = "Too many attempts. Wait a few minutes and try again.";

/** The account's row when `password` is its password, counted against the per-account budget either way. */
export async function checkOwnPassword(db: Database, userId: string, password: string, now: number) {
  const limit = await hit(db, LIMITS.passwordChangePerUser, userId, now);
  if (!limit.allowed)
    return { ok: false, reason: "rate_limited", retryAfter: limit.retryAfter, message: TOO_MANY_ATTEMPTS } as const;
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || !(await verifyPassword(user.passwordHash, password)))
    return { ok: false, reason: "wrong_password", message: WRONG_PASSWORD } as const;
  return { ok: true, user } as const;
}
