/**
 * The workspaces a user belongs to, across tenants: the list (saying which are closed and until when
 * they can be reopened), switching this session between them, moving a session out of a closed one
 * when the user has another, and a new reopen link for an owner (the old one stops working).
 */
import { and, asc, eq, gt, isNull, ne, sql, type SQLWrapper } from "drizzle-orm";
import type { Database } from "../../db/client";
import { memberships, sessions, tenants, users } from "../../db/schema";
import { hit, LIMITS, type Limit } from "../../auth/rate-limit";
import { randomToken } from "../../auth/session";
import { hashToken } from "../../auth/tokens";
import { reopenLinkMail } from "../../mail/closure-messages";
import type { BaseUrl, RequestMeta } from "../account/accounts";
import type { Bindings } from "../../env";
import { placementStatements } from "../shards/directory";
import { mirrorAfterChange } from "../shards/mirror";
import { openOnShard, placementTargets } from "../shards/new-workspace";
import { auditInsert } from "../audit/audit";
import { queueMail } from "../mail/outbox";
import { runRawBatch } from "../../db/raw-batch";
import { newId } from "../../lib/ids";
import { defaultPipelineStatements } from "../deals/defaults";

/** New reopen links per workspace: each one is an essential email to the owner. */
export const REOPEN_LINK_LIMIT: Limit = { name: "reopen-link-tenant", max: 3, windowMs: 60 * 60_000 };

export interface WorkspaceListing {
  tenantId: string;
  name: string;
  role: string;
  /** Set while the workspace is closed. */
  closedAt: number | null;
  /** When a closed workspace is erased (it can be reopened until then). */
  eraseAfter: number | null;
  /** The erasure has begun: it can no longer be reopened. */
  erasing: boolean;
}

/** The workspaces the user belongs to, open ones first, each with its closure state. */
export async function listWorkspaces(db: Database, userId: string): Promise<WorkspaceListing[]> {
  const rows = await db
    .select({
      tenantId: memberships.tenantId,
      name: tenants.name,
      role: memberships.role,
      closedAt: tenants.closedAt,
      eraseAfter: tenants.eraseAfter,
      erasingAt: tenants.erasingAt,
    })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId))
    .orderBy(sql`${tenants.closedAt} IS NOT NULL`, asc(tenants.name), asc(memberships.tenantId));
  return rows.map(({ erasingAt, ...r }) => ({ ...r, erasing: erasingAt !== null }));
}

/**
 * Points this session at another workspace the user is a member of. "not_found" when they are not a
 * member there (the caller answers 404: a workspace one does not belong to does not exist for one);
 * "closed" when it is closed (nothing in it can be reached until it is reopened).
 */
export async function switchWorkspace(
  db: Database,
  user: { id: string; sessionId: string },
  tenantId: string,
  meta: RequestMeta,
): Promise<"ok" | "not_found" | "closed"> {
  const [membership] = await db
    .select({ closedAt: tenants.closedAt })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, user.id)))
    .limit(1);
  if (!membership) return "not_found";
  if (membership.closedAt !== null) return "closed";
  await db.batch([
    db
      .update(sessions)
      .set({ tenantId })
      .where(and(eq(sessions.id, user.sessionId), eq(sessions.userId, user.id))),
    // Recorded in the workspace entered, whose admins may want to know who comes and goes.
    auditInsert(db, {
      tenantId,
      actorUserId: user.id,
      action: "tenant.switched",
      ...meta,
    }),
  ]);
  return "ok";
}

/**
 * Moves the session out of a closed workspace into the user's first open one; returns its name, or
 * null when the user has no open workspace (they then see the closed page, which says what to do).
 */
export async function moveToOpenWorkspace(
  db: Database,
  user: { id: string; sessionId: string },
  meta: RequestMeta,
): Promise<string | null> {
  const [open] = await db
    .select({ tenantId: memberships.tenantId, name: tenants.name })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, user.id), isNull(tenants.closedAt)))
    .orderBy(memberships.createdAt)
    .limit(1);
  if (!open) return null;
  await db.batch([
    db
      .update(sessions)
      .set({ tenantId: open.tenantId })
      .where(and(eq(sessions.id, user.sessionId), eq(sessions.userId, user.id))),
    auditInsert(db, {
      tenantId: open.tenantId,
      actorUserId: user.id,
      action: "tenant.switched",
      ...meta,
    }),
  ]);
  return open.name;
}

/** The user's first open workspace other than `exceptTenantId` (where a session goes when they leave it), or null. */
export async function otherOpenWorkspace(db: Database, userId: string, exceptTenantId: string): Promise<string | null> {
  const [open] = await db
    .select({ tenantId: memberships.tenantId })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, userId), ne(memberships.tenantId, exceptTenantId), isNull(tenants.closedAt)))
    .orderBy(memberships.createdAt)
    .limit(1);
  return open?.tenantId ?? null;
}

export type ReopenLinkResult =
  | { ok: true; mailIds: string[]; email: string }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "not_reopenable" }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

/**
 * Emails the owner a new single-use link that reopens their closed workspace, replacing the one sent
 * at closure (whose token we cannot show again: only its hash is kept). Not for other members, and
 * not once the erasure has begun.
 */
export async function sendNewReopenLink(
  db: Database,
  owner: { userId: string; email: string },
  tenantId: string,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<ReopenLinkResult> {
  const [row] = await db
    .select({
      name: tenants.name,
      eraseAfter: tenants.eraseAfter,
      closedAt: tenants.closedAt,
      erasingAt: tenants.erasingAt,
      verified: users.emailVerifiedAt,
      timeZone: sql<string>`coalesce(${users.timeZone}, ${tenants.timeZone})`,
      locale: sql<string>`coalesce(${users.locale}, ${tenants.locale})`,
    })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, owner.userId), eq(memberships.role, "owner")))
    .limit(1);
  if (!row) return { ok: false, reason: "not_found" };
  if (row.closedAt === null || row.erasingAt !== null || row.eraseAfter === null || row.eraseAfter <= meta.now)
    return { ok: false, reason: "not_reopenable" };
  const limit = await hit(db, REOPEN_LINK_LIMIT, tenantId, meta.now);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfter: limit.retryAfter };
  const token = randomToken();
  const link = `${meta.baseUrl}/reopen/${tenantId}/${token}`;
  const mail = queueMail(
    db,
    {
      to: owner.email,
      tenantId,
      userId: owner.userId,
      // An unconfirmed address gets the link without the typed name (closure-messages.tsx).
      ...reopenLinkMail({
        tenantName: row.verified === null ? null : row.name,
        link,
        eraseAfter: row.eraseAfter,
        timeZone: row.timeZone,
        locale: row.locale,
      }),
    },
    meta.now,
  );
  const [updated] = await db.batch([
    db
      .update(tenants)
      .set({ reopenTokenHash: hashToken(token), updatedAt: meta.now })
      .where(and(eq(tenants.id, tenantId), isNull(tenants.erasingAt), gt(tenants.eraseAfter, meta.now)))
      .returning({ id: tenants.id }),
    mail.query,
    auditInsert(db, {
      tenantId,
      actorUserId: owner.userId,
      action: "workspace.reopen_link_sent",
      targetType: "tenant",
      targetId: tenantId,
      ...meta,
    }),
  ]);
  // The erasure began between the read and the batch: that mail's link answers that it no longer works.
  if (updated.length === 0) return { ok: false, reason: "not_reopenable" };
  return { ok: true, mailIds: [mail.id], email: owner.email };
}

export type CreateWorkspaceResult = { ok: true; tenantId: string } | { ok: false; retryAfter: number };

/**
 * A new workspace with the user as its owner, on Free, with the default pipeline; this session moves into
 * it. One batch: the workspace exists with its owner and pipeline, or not at all. Limited per user, so one
 * account cannot fill the database with workspaces.
 */
export async function createWorkspace(
  db: Database,
  user: { id: string; sessionId: string; timeZone: string },
  name: string,
  meta: RequestMeta,
  env?: Pick<Bindings, "DB"> & Partial<Bindings>,
): Promise<CreateWorkspaceResult> {
  const limit = await hit(db, LIMITS.workspacesPerUser, user.id, meta.now);
  if (!limit.allowed) return { ok: false, retryAfter: limit.retryAfter };
  const tenantId = newId();
  const placement = await placementStatements(db, tenantId, meta.now, env ? placementTargets(env) : ["DB"]);
  const onShard = placement.shard !== "DB";
  // On a shard its records side goes first (src/services/shards/new-workspace.ts).
  const seed = { tenantId, name, timeZone: user.timeZone, ownerId: user.id, now: meta.now };
  const undo = env ? await openOnShard(env, placement.shard, seed) : async () => {};
  try {
    await createOnControl(db, user, tenantId, name, meta, placement.statements, onShard);
  } catch (err) {
    await undo();
    throw err;
  }
  if (env && onShard) await mirrorAfterChange(env, [tenantId]);
  return { ok: true, tenantId };
}

/** The control database's batch of a new workspace (with its default pipeline when its records are there too). */
async function createOnControl(
  db: Database,
  user: { id: string; sessionId: string; timeZone: string },
  tenantId: string,
  name: string,
  meta: RequestMeta,
  placement: SQLWrapper[],
  onShard: boolean,
): Promise<void> {
  await runRawBatch(db, [
    db
      .insert(tenants)
      .values({ id: tenantId, name, timeZone: user.timeZone, createdAt: meta.now, updatedAt: meta.now }),
    db
      .insert(memberships)
      .values({ tenantId, userId: user.id, role: "owner", createdAt: meta.now, updatedAt: meta.now }),
    ...placement,
    ...(onShard ? [] : defaultPipelineStatements(tenantId, meta.now)),
    db
      .update(sessions)
      .set({ tenantId })
      .where(and(eq(sessions.id, user.sessionId), eq(sessions.userId, user.id))),
    auditInsert(db, { tenantId, actorUserId: user.id, action: "workspace.created", targetLabel: name, ...meta }),
  ]);
}
