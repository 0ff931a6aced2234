/**
 * What we hold about a user, for their profile (the right of access) and their data export: their
 * details, workspaces, sessions, audit entries about them, consent choices and email preferences.
 * Plus the one detail only the profile changes: their name.
 */
import { and, desc, eq, isNull, sql, type SQLWrapper } from "drizzle-orm";
import type { Database } from "../../db/client";
import { runRawBatch } from "../../db/raw-batch";
import { consentRecords, emailPreferences, memberships, tenants, users, type Role } from "../../db/schema";
import type { AccountHolder, RequestMeta } from "./accounts";
import { auditInsert, AUDIT_ACTIONS, type AuditAction } from "../audit/audit";
import { getEmailPreferences, type EmailPreferenceValues } from "./email-preferences";
import { listUserSessions, type SessionSummary } from "./sessions";
import { isNumberLocale } from "../team/workspace-settings";
import { recomputeDayReminders } from "../reminders/recompute";
import type { Bindings } from "../../env";
import { databasesOfUser } from "../shards/workspace-db";
import { cleanName } from "../../lib/setting-names";

/** The longest name we keep (characters, after trimming). */
export const NAME_MAX = 100;

export interface AuditRow {
  id: number;
  tenant_name: string | null;
  action: string;
  actor_user_id: string | null;
  /** The staff member who acted (the console, the support view), by name; null for anyone else. */
  actor_staff_name: string | null;
  target_type: string | null;
  target_label: string | null;
  detail: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: number;
}

/**
 * Audit entries about a user in these workspaces, newest first, older than `before`: what they did
 * (actor) and what was done to their account (target user). One query; each branch of the OR has
 * its own index (tenant, actor) and (tenant, target type, target).
 */
export async function auditAboutUser(
  db: Database,
  tenantIds: string[],
  userId: string,
  opts: { before?: number; limit: number },
): Promise<AuditRow[]> {
  if (tenantIds.length === 0) return [];
  const before = opts.before ?? Number.MAX_SAFE_INTEGER;
  return db.all<AuditRow>(sql`SELECT a.id, t.name AS tenant_name, a.action, a.actor_user_id, s.name AS actor_staff_name,
      a.target_type, a.target_label, a.detail, a.ip, a.user_agent, a.created_at
    FROM audit_log a LEFT JOIN tenants t ON t.id = a.tenant_id LEFT JOIN staff s ON s.id = a.actor_user_id
    WHERE a.tenant_id IN (SELECT value FROM json_each(${JSON.stringify(tenantIds)})) AND a.id < ${before}
      AND (a.actor_user_id = ${userId} OR (a.target_type = 'user' AND a.target_id = ${userId}))
    ORDER BY a.id DESC LIMIT ${opts.limit}`);
}

export interface AuditAboutEntry {
  id: number;
  workspace: string | null;
  action: string;
  description: string;
  /** "you", another member, CustomerTrackr's support (a request by mail), or nobody (a failed sign-in, a former member). */
  by: "you" | "another member" | `CustomerTrackr support (${string})` | "nobody signed in, or a former member";
  targetType: string | null;
  target: string | null;
  detail: unknown;
  /** Only where the user acted, or nobody did: someone else's IP address and browser are theirs. */
  ip: string | null;
  userAgent: string | null;
  createdAt: number;
}

/** An entry as the user may see it (no other member's IP address or browser). */
export function auditAboutEntry(r: AuditRow, userId: string): AuditAboutEntry {
  const own = r.actor_user_id === userId || r.actor_user_id === null;
  let detail: unknown = null;
  try {
    detail = r.detail ? JSON.parse(r.detail) : null;
  } catch {
    detail = null;
  }
  return {
    id: r.id,
    workspace: r.tenant_name,
    action: r.action,
    description: AUDIT_ACTIONS[r.action as AuditAction] ?? r.action,
    by:
      r.actor_user_id === userId
        ? "you"
        : r.actor_user_id === null
          ? "nobody signed in, or a former member"
          : r.actor_staff_name !== null
            ? `CustomerTrackr support (${r.actor_staff_name})`
            : "another member",
    targetType: r.target_type,
    target: r.target_label,
    detail,
    ip: own ? r.ip : null,
    userAgent: own ? r.user_agent : null,
    createdAt: r.created_at,
  };
}

export interface ProfileData {
  name: string | null;
  email: string;
  verified: boolean;
  createdAt: number;
  /** The zone the user chose (or their browser gave at sign-up); null: the workspace's. */
  timeZone: string | null;
  /** The locale numbers and dates are written in for them; null: the workspace's. */
  locale: string | null;
  workspaces: { id: string; name: string; role: Role; since: number }[];
  sessions: SessionSummary[];
  audit: AuditAboutEntry[];
  consent: { analytics: string; policyVersion: string; createdAt: number }[];
  emailPreferences: EmailPreferenceValues & { updatedAt: number | null };
}

/** How many audit entries and consent choices the profile shows (all of them are in the data export). */
export const PROFILE_RECENT = 10;

/** Everything the profile shows about the user. */
export async function loadProfile(
  db: Database,
  userId: string,
  currentSessionId: string,
  now: number,
): Promise<ProfileData | null> {
  const [[user], workspaces, sessions, consent, emailPreferences] = await Promise.all([
    db
      .select({
        name: users.name,
        email: users.email,
        verifiedAt: users.emailVerifiedAt,
        createdAt: users.createdAt,
        timeZone: users.timeZone,
        locale: users.locale,
      })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1),
    db
      .select({ id: memberships.tenantId, name: tenants.name, role: memberships.role, since: memberships.createdAt })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(eq(memberships.userId, userId))
      .orderBy(memberships.createdAt),
    listUserSessions(db, userId, currentSessionId, now),
    db
      .select({
        analytics: consentRecords.analytics,
        policyVersion: consentRecords.policyVersion,
        createdAt: consentRecords.createdAt,
      })
      .from(consentRecords)
      .where(eq(consentRecords.userId, userId))
      .orderBy(desc(consentRecords.id))
      .limit(PROFILE_RECENT),
    getEmailPreferences(db, userId),
  ]);
  if (!user) return null;
  const audit = (
    await auditAboutUser(
      db,
      workspaces.map((w) => w.id),
      userId,
      { limit: PROFILE_RECENT },
    )
  ).map((r) => auditAboutEntry(r, userId));
  return {
    name: user.name,
    email: user.email,
    timeZone: user.timeZone,
    locale: user.locale,
    verified: user.verifiedAt !== null,
    createdAt: user.createdAt,
    workspaces,
    sessions,
    audit,
    consent,
    emailPreferences,
  };
}

/** Changes the user's name (empty: none), audited in the workspace they are working in. */
export async function updateName(
  db: Database,
  actor: Pick<AccountHolder, "userId" | "tenantId">,
  name: string,
  meta: RequestMeta,
): Promise<void> {
  // Colleagues see it as a deal's owner, an assignee, a mention: no invisible or direction-changing characters
  // and no line breaks, the rules of tag and field names.
  const clean = cleanName(name);
  const value = clean === "" ? null : clean.slice(0, NAME_MAX);
  await updateProfile(db, actor, { name: value }, meta);
}

/**
 * Sets the zone the user reads times in (null: the workspace's), audited like a name change. In the
 * same batch their tasks due on a day move their pending reminders to 08:00 in the new zone, in every
 * workspace, and the daily agenda finds its next 07:00 again.
 */
export async function setTimeZone(
  db: Database,
  actor: Pick<AccountHolder, "userId" | "tenantId">,
  zone: string | null,
  meta: RequestMeta,
  env?: Pick<Bindings, "DB"> & Partial<Bindings>,
): Promise<void> {
  const reminders = await recomputeDayReminders(db, actor.userId, zone);
  const agenda = db.update(emailPreferences).set({ agendaNextAt: 0 }).where(eq(emailPreferences.userId, actor.userId));
  // Chosen, even when it is the workspace's (null): a later sign-in no longer puts the browser's zone there.
  await updateProfile(db, actor, { timeZone: zone, timeZoneChosenAt: meta.now }, meta, [...reminders, agenda]);
  await dayRemindersOnShards(db, actor.userId, zone, env);
}

/**
 * The same move of day reminders for their workspaces whose tasks are on a shard (docs/scale.md): each after the
 * control database's batch, idempotent, so a shard that fails keeps the old 08:00 and loses nothing.
 */
async function dayRemindersOnShards(
  db: Database,
  userId: string,
  zone: string | null,
  env?: Pick<Bindings, "DB"> & Partial<Bindings>,
): Promise<void> {
  if (!env) return;
  for (const shard of (await databasesOfUser(env, db, userId)).slice(1))
    await runRawBatch(shard, await recomputeDayReminders(shard, userId, zone));
}

/** Sets the locale the user reads and types numbers and dates in (null: the workspace's), audited likewise. */
export async function setLocale(
  db: Database,
  actor: Pick<AccountHolder, "userId" | "tenantId">,
  locale: string | null,
  meta: RequestMeta,
): Promise<void> {
  if (locale !== null && !isNumberLocale(locale)) throw new Error("setLocale: not one of NUMBER_LOCALES");
  await updateProfile(db, actor, { locale }, meta);
}

async function updateProfile(
  db: Database,
  actor: Pick<AccountHolder, "userId" | "tenantId">,
  set: { name?: string | null; timeZone?: string | null; timeZoneChosenAt?: number; locale?: string | null },
  meta: RequestMeta,
  alongside: SQLWrapper[] = [],
): Promise<void> {
  await runRawBatch(db, [
    db
      .update(users)
      .set({ ...set, updatedAt: meta.now })
      .where(eq(users.id, actor.userId)),
    // The entry says that the profile changed, not to what: the trail outlives a later correction.
    auditInsert(db, {
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      action: "profile.updated",
      targetType: "user",
      targetId: actor.userId,
      ...meta,
    }),
    ...alongside,
  ]);
}

/** The browser's zone at a sign-in, kept only while the user has none and never chose one (the workspace's included). */
export async function setTimeZoneIfUnset(
  db: Database,
  userId: string,
  zone: string,
  env?: Pick<Bindings, "DB"> & Partial<Bindings>,
): Promise<void> {
  const set = await db
    .update(users)
    .set({ timeZone: zone })
    .where(and(eq(users.id, userId), isNull(users.timeZone), isNull(users.timeZoneChosenAt)))
    .returning({ id: users.id });
  // Their tasks due on a day then remind at 08:00 in this zone rather than the workspace's.
  if (!set.length) return;
  await runRawBatch(db, await recomputeDayReminders(db, userId, zone));
  await dayRemindersOnShards(db, userId, zone, env);
}
