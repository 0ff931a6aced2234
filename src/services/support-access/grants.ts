/**
 * Support grants, the workspace's side: an owner or admin gives support access (read-only or read and
 * write, for 1 hour, 24 hours or 7 days), approves or declines a staff member's request, and ends any of
 * them at once. Each change is audited and the owner is mailed, in the same batch, and only if the change happened.
 */
import { and, desc, eq, gt, isNotNull, isNull, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { memberships, supportGrants, tenants, users, type SupportAccess, type SupportGrant } from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { newId } from "../../lib/ids";
import { rawBatchResults } from "../../db/raw-batch";
import { insertWhere, type RowValues } from "../../db/sql";
import { auditInsert, auditRow } from "../audit/audit";
import { queueMail, type RenderedMail } from "../mail/outbox";
import { supportAccessEndedMail, supportAccessStartedMail } from "../../mail/support-access-messages";

export const GRANT_DURATIONS = {
  "1h": { ms: 60 * 60 * 1000, label: "1 hour" },
  "24h": { ms: 24 * 60 * 60 * 1000, label: "24 hours" },
  "7d": { ms: 7 * 24 * 60 * 60 * 1000, label: "7 days" },
} as const;
export type GrantDuration = keyof typeof GRANT_DURATIONS;

/** The workspace's support access page, where every mail about support access leads. */
export const SUPPORT_ACCESS_PAGE = "/app/settings/support";

/** A request nobody answered is dropped after this long. */
export const REQUEST_OPEN_MS = 7 * 24 * 60 * 60 * 1000;

export function durationLabel(ms: number): string {
  return Object.values(GRANT_DURATIONS).find((d) => d.ms === ms)?.label ?? `${Math.round(ms / 3_600_000)} hours`;
}

/** Live: started, not ended, not run out. */
export function liveCondition(now: number) {
  return and(isNotNull(supportGrants.startedAt), isNull(supportGrants.endedAt), gt(supportGrants.expiresAt, now));
}

/** The workspace's name and its owner's address, zone and locale, for the mail about its grants. */
export async function ownerOf(
  t: TenantDb,
): Promise<{ tenantName: string; email: string; userId: string; timeZone: string; locale: string } | null> {
  const [row] = await t.db
    .select({
      tenantName: tenants.name,
      email: users.email,
      userId: users.id,
      timeZone: sql<string>`coalesce(${users.timeZone}, ${tenants.timeZone})`,
      locale: sql<string>`coalesce(${users.locale}, ${tenants.locale})`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(t.where(memberships, eq(memberships.role, "owner")))
    .limit(1);
  return row ?? null;
}

/** The outbox row for mail to the workspace's owner. */
export function ownerMail(t: TenantDb, owner: { email: string; userId: string }, mail: RenderedMail, now: number) {
  return queueMail(t.db, { to: owner.email, tenantId: t.tenantId, userId: owner.userId, ...mail }, now);
}

/** The outbox row telling the workspace's owner that access has started (none when it has no owner left). */
export async function startedMail(
  t: TenantDb,
  start: { access: SupportAccess; expiresAt: number; who: string; emergencyReason?: string; link: string },
  now: number,
) {
  const owner = await ownerOf(t);
  if (!owner) return null;
  const { tenantName, timeZone, locale } = owner;
  return ownerMail(t, owner, supportAccessStartedMail({ tenantName, timeZone, locale, ...start }), now);
}

/**
 * Runs `writes` and then `claim` (a conditional UPDATE … RETURNING of grant `id` out of `state`) in one batch, each
 * write only if the grant is still in `state` just before the claim: D1 goes on after an UPDATE that matched nothing,
 * and of two racing batches only the one that claims writes (even in the same millisecond). Says if it claimed.
 */
export async function claimGrant(
  t: TenantDb,
  id: string,
  state: SQL | undefined,
  claim: SQLWrapper,
  writes: (RowValues | null)[],
): Promise<boolean> {
  const inState = t.db
    .select({ one: sql`1` })
    .from(supportGrants)
    .where(t.where(supportGrants, eq(supportGrants.id, id), state));
  // drizzle puts the subquery in parentheses itself: EXISTS ((…)) would not parse.
  const guarded = writes.flatMap((w) => (w ? [insertWhere(w, sql`exists ${inState}`)] : []));
  const results = await rawBatchResults(t.db, [...guarded, claim]);
  return (results.at(-1)?.results ?? []).length > 0;
}

export interface GiveGrantInput {
  access: SupportAccess;
  duration: GrantDuration;
  ticket: string | null;
}

/** Gives any support staff access now; returns the outbox ids to deliver. */
export async function giveGrant(t: TenantDb, actor: Actor, input: GiveGrantInput, link: string): Promise<string[]> {
  const ms = GRANT_DURATIONS[input.duration].ms;
  const id = newId();
  const expiresAt = actor.now + ms;
  const mail = await startedMail(
    t,
    { access: input.access, expiresAt, who: "CustomerTrackr support", link },
    actor.now,
  );
  await t.db.batch([
    t.insert(supportGrants, {
      id,
      kind: "grant",
      access: input.access,
      durationMs: ms,
      ticket: input.ticket,
      grantedBy: actor.userId,
      createdAt: actor.now,
      startedAt: actor.now,
      expiresAt,
    }),
    auditInsert(t.db, {
      tenantId: t.tenantId,
      actorUserId: actor.userId,
      action: "support.granted",
      targetType: "support_grant",
      targetId: id,
      targetLabel: `${input.access === "read" ? "read-only" : "read and write"}, ${GRANT_DURATIONS[input.duration].label}`,
      detail: input.ticket ? { ticket: input.ticket } : undefined,
      ...actor,
    }),
    ...(mail ? [mail.query] : []),
  ]);
  return mail ? [mail.id] : [];
}

export type AnswerResult = { ok: true; mailIds: string[] } | { ok: false };

/** Approves a staff member's pending request: it starts now and lasts what they asked for. */
export async function approveRequest(t: TenantDb, actor: Actor, id: string, link: string): Promise<AnswerResult> {
  const [request] = await t.db
    .select()
    .from(supportGrants)
    .where(t.where(supportGrants, eq(supportGrants.id, id), pendingCondition(actor.now)))
    .limit(1);
  if (!request) return { ok: false };
  const expiresAt = actor.now + request.durationMs;
  const who = `${request.staffName ?? "A staff member"} from CustomerTrackr support`;
  const mail = await startedMail(t, { access: request.access, expiresAt, who, link }, actor.now);
  const claimed = await claimGrant(
    t,
    id,
    pendingCondition(actor.now),
    t
      .update(
        supportGrants,
        { startedAt: actor.now, expiresAt, grantedBy: actor.userId },
        eq(supportGrants.id, id),
        pendingCondition(actor.now),
      )
      .returning({ id: supportGrants.id }),
    [
      auditRow({
        tenantId: t.tenantId,
        actorUserId: actor.userId,
        action: "support.request_approved",
        targetType: "support_grant",
        targetId: id,
        targetLabel: `${request.staffName ?? "support"}, ${request.access === "read" ? "read-only" : "read and write"}`,
        ...actor,
      }),
      mail?.row ?? null,
    ],
  );
  return claimed ? { ok: true, mailIds: mail ? [mail.id] : [] } : { ok: false };
}

/** A request still waiting for an answer. */
export function pendingCondition(now: number) {
  return and(
    eq(supportGrants.kind, "request"),
    isNull(supportGrants.startedAt),
    isNull(supportGrants.declinedAt),
    isNull(supportGrants.endedAt),
    gt(supportGrants.createdAt, now - REQUEST_OPEN_MS),
  );
}

export async function declineRequest(t: TenantDb, actor: Actor, id: string): Promise<boolean> {
  return claimGrant(
    t,
    id,
    pendingCondition(actor.now),
    t
      .update(supportGrants, { declinedAt: actor.now }, eq(supportGrants.id, id), pendingCondition(actor.now))
      .returning({ id: supportGrants.id }),
    [
      auditRow({
        tenantId: t.tenantId,
        actorUserId: actor.userId,
        action: "support.request_declined",
        targetType: "support_grant",
        targetId: id,
        ...actor,
      }),
    ],
  );
}

/** Ends a live grant at once (the next staff request answers 403); the owner is told. */
export async function endGrant(t: TenantDb, actor: Actor, id: string, link: string): Promise<AnswerResult> {
  const [live] = await t.db
    .select({ id: supportGrants.id })
    .from(supportGrants)
    .where(t.where(supportGrants, eq(supportGrants.id, id), liveCondition(actor.now)))
    .limit(1);
  if (!live) return { ok: false };
  const owner = await ownerOf(t);
  const mail = owner
    ? ownerMail(t, owner, supportAccessEndedMail({ tenantName: owner.tenantName, endedEarly: true, link }), actor.now)
    : null;
  const ended = await claimGrant(
    t,
    id,
    liveCondition(actor.now),
    t
      .update(
        supportGrants,
        { endedAt: actor.now, endedBy: actor.userId, endNoticeAt: actor.now },
        eq(supportGrants.id, id),
        liveCondition(actor.now),
      )
      .returning({ id: supportGrants.id }),
    [
      auditRow({
        tenantId: t.tenantId,
        actorUserId: actor.userId,
        action: "support.ended",
        targetType: "support_grant",
        targetId: id,
        ...actor,
      }),
      mail?.row ?? null,
    ],
  );
  return ended ? { ok: true, mailIds: mail ? [mail.id] : [] } : { ok: false };
}

/** Every grant and request of the workspace, newest first (the page shows what each one saw). */
export function listGrants(t: TenantDb, limit = 50): Promise<SupportGrant[]> {
  return t.db
    .select()
    .from(supportGrants)
    .where(t.where(supportGrants))
    .orderBy(desc(supportGrants.createdAt))
    .limit(limit);
}

/** Whether a grant row is live at `now`. */
export function isLive(g: Pick<SupportGrant, "startedAt" | "endedAt" | "expiresAt">, now: number): boolean {
  return g.startedAt !== null && g.endedAt === null && g.expiresAt !== null && g.expiresAt > now;
}
