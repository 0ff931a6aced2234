/** A user's own sessions: list them, end one, end all others. Users only ever see their own. */
import Bowser from "bowser";
import { and, desc, eq, ne } from "drizzle-orm";
import type { Database } from "../../db/client";
import { sessions, tenants } from "../../db/schema";
import { sessionExpiresAt } from "../../auth/session";
import type { AccountHolder, RequestMeta } from "./accounts";
import { auditInsert } from "../audit/audit";
import type { SessionRow } from "../../../views/pages/settings/SecurityPage";

/** One of the user's sessions as the Security page lists it: the view declares its shape. */
export type SessionSummary = SessionRow;

/** "Chrome 120 on Linux": a readable device from a user agent. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const { browser, os, platform } = Bowser.parse(userAgent);
  const name = [browser.name, browser.version?.split(".")[0]].filter(Boolean).join(" ");
  const system = [os.name, os.versionName ?? os.version].filter(Boolean).join(" ");
  const kind = platform.type && platform.type !== "desktop" ? ` (${platform.type})` : "";
  if (!name && !system) return "Unknown device";
  return `${name || "Unknown browser"}${system ? ` on ${system}` : ""}${kind}`;
}

/** The user's live sessions, newest activity first. */
export async function listUserSessions(
  db: Database,
  userId: string,
  currentSessionId: string,
  now: number,
): Promise<SessionSummary[]> {
  const rows = await db
    .select({
      id: sessions.id,
      userAgent: sessions.userAgent,
      ip: sessions.ip,
      tenantName: tenants.name,
      createdAt: sessions.createdAt,
      lastActiveAt: sessions.lastActiveAt,
    })
    .from(sessions)
    .innerJoin(tenants, eq(tenants.id, sessions.tenantId))
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.lastActiveAt));
  return rows
    .filter((r) => sessionExpiresAt(r) > now)
    .map((r) => ({ ...r, device: describeDevice(r.userAgent), current: r.id === currentSessionId }));
}

/** Ends one of the user's own sessions. False when it is not theirs (or gone): the caller answers 404. */
export async function revokeSession(
  db: Database,
  actor: Pick<AccountHolder, "userId" | "tenantId">,
  sessionId: string,
  meta: RequestMeta,
): Promise<boolean> {
  const [gone] = await db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, actor.userId)))
    .returning({ id: sessions.id });
  if (!gone) return false;
  await auditInsert(db, {
    tenantId: actor.tenantId,
    actorUserId: actor.userId,
    action: "session.revoked",
    targetType: "session",
    ...meta,
  });
  return true;
}

/** Ends every session of the user except the current one. Returns how many ended. */
export async function revokeOtherSessions(
  db: Database,
  actor: Pick<AccountHolder, "userId" | "tenantId" | "sessionId">,
  meta: RequestMeta,
): Promise<number> {
  const [ended] = await db.batch([
    db
      .delete(sessions)
      .where(and(eq(sessions.userId, actor.userId), ne(sessions.id, actor.sessionId)))
      .returning({ id: sessions.id }),
    auditInsert(db, {
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      action: "session.revoked_others",
      ...meta,
    }),
  ]);
  return ended.length;
}
