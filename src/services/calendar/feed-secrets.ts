/**
 * The secret of a user's calendar feed: 256 random bits in the URL, only their SHA-256 stored (as the
 * session secrets are, src/auth/session.ts), so the table never holds a working address. A feed is found
 * by the hash through its unique index: nothing is compared byte by byte in code that could leak timing.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { calendarFeeds, memberships, tenants, workspaceShards } from "../../db/schema";
import type { RequestMeta } from "../../lib/actor";
import { auditInsert } from "../audit/audit";

/** 32 random bytes in base32: 52 characters of a-z and 2-7. */
const SECRET_SHAPE = /^[a-z2-7]{52}$/;

/** How often reading the feed moves last_read_at (as the session's activity time, at most hourly). */
export const FEED_READ_INTERVAL_MS = 60 * 60 * 1000;

function hashOf(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

function newSecret(): { secret: string; hash: string } {
  const secret = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(32)));
  return { secret, hash: hashOf(secret) };
}

export interface CalendarFeedStatus {
  createdAt: number;
  lastReadAt: number | null;
}

/** The member's feed of the workspace (when it was made and last read), or null when it is off. */
export async function calendarFeedStatus(
  db: Database,
  member: { userId: string; tenantId: string },
): Promise<CalendarFeedStatus | null> {
  const [row] = await db
    .select({ createdAt: calendarFeeds.createdAt, lastReadAt: calendarFeeds.lastReadAt })
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.tenantId, member.tenantId), eq(calendarFeeds.userId, member.userId)))
    .limit(1);
  return row ?? null;
}

/**
 * Every feed the user has, with its workspace's name, for their own data export and the operator's: a query to
 * await or to put in a batch. Through memberships_user_idx, then each feed by its key.
 */
export function calendarFeedsOfUser(db: Database, userId: string) {
  return db
    .select({
      tenantId: calendarFeeds.tenantId,
      workspace: tenants.name,
      createdAt: calendarFeeds.createdAt,
      lastReadAt: calendarFeeds.lastReadAt,
    })
    .from(memberships)
    .innerJoin(
      calendarFeeds,
      and(eq(calendarFeeds.tenantId, memberships.tenantId), eq(calendarFeeds.userId, memberships.userId)),
    )
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId))
    .orderBy(tenants.name, calendarFeeds.tenantId);
}

type FeedActor = { userId: string; tenantId: string };

function audit(db: Database, actor: FeedActor, action: "on" | "rotated" | "off", meta: RequestMeta) {
  return auditInsert(db, {
    tenantId: actor.tenantId,
    actorUserId: actor.userId,
    action: `calendar_feed.${action}`,
    targetType: "user",
    targetId: actor.userId,
    ...meta,
  });
}

/**
 * Gives the member a feed of the workspace with a new secret, replacing any old one (which stops working at
 * once), and returns the secret: the only time it exists outside the member's calendar app.
 */
export async function newCalendarFeedSecret(
  db: Database,
  actor: FeedActor,
  meta: RequestMeta,
  rotating: boolean,
): Promise<string> {
  const { secret, hash } = newSecret();
  await db.batch([
    db
      .insert(calendarFeeds)
      .values({
        tenantId: actor.tenantId,
        userId: actor.userId,
        secretHash: hash,
        createdAt: meta.now,
        lastReadAt: null,
      })
      .onConflictDoUpdate({
        target: [calendarFeeds.tenantId, calendarFeeds.userId],
        set: { secretHash: hash, createdAt: meta.now, lastReadAt: null },
      }),
    audit(db, actor, rotating ? "rotated" : "on", meta),
  ]);
  return secret;
}

/** Turns the member's feed of the workspace off: the row goes, and with it every address it ever had. */
export async function turnOffCalendarFeed(db: Database, actor: FeedActor, meta: RequestMeta): Promise<void> {
  await db.batch([
    db
      .delete(calendarFeeds)
      .where(and(eq(calendarFeeds.tenantId, actor.tenantId), eq(calendarFeeds.userId, actor.userId))),
    audit(db, actor, "off", meta),
  ]);
}

/**
 * Deletes every feed the user has, in each workspace they belong to, for a batch: after a password reset or
 * change, as whoever knew the old password could have turned one on. Through memberships_user_idx, then each
 * feed by its key.
 */
export function calendarFeedsDeletion(db: Database, userId: string) {
  const theirWorkspaces = db
    .select({ tenantId: memberships.tenantId })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  return db
    .delete(calendarFeeds)
    .where(and(inArray(calendarFeeds.tenantId, theirWorkspaces), eq(calendarFeeds.userId, userId)));
}

/** Whose feed of which workspace an address opens, and the database its records are on. */
export interface FeedOwner {
  userId: string;
  tenantId: string;
  workspace: string;
  shard: string;
}

/**
 * The member and workspace whose feed `secret` opens, or null (malformed, unknown, rotated, turned off, or the
 * workspace closed). One read on the control database, with the directory's entry. Notes the read at most
 * hourly, so polling calendar apps do not write on every fetch.
 */
export async function calendarFeedOwner(db: Database, secret: string, now: number): Promise<FeedOwner | null> {
  if (!SECRET_SHAPE.test(secret)) return null;
  const hash = hashOf(secret);
  const [row] = await db
    .select({
      userId: calendarFeeds.userId,
      tenantId: calendarFeeds.tenantId,
      workspace: tenants.name,
      shard: sql<string>`coalesce(${workspaceShards.shard}, 'DB')`,
      lastReadAt: calendarFeeds.lastReadAt,
    })
    .from(calendarFeeds)
    .innerJoin(tenants, and(eq(tenants.id, calendarFeeds.tenantId), isNull(tenants.closedAt)))
    .leftJoin(workspaceShards, eq(workspaceShards.tenantId, calendarFeeds.tenantId))
    .where(eq(calendarFeeds.secretHash, hash))
    .limit(1);
  if (!row) return null;
  if (row.lastReadAt === null || now - row.lastReadAt >= FEED_READ_INTERVAL_MS) {
    await db
      .update(calendarFeeds)
      .set({ lastReadAt: now })
      .where(
        and(
          eq(calendarFeeds.secretHash, hash),
          or(isNull(calendarFeeds.lastReadAt), lte(calendarFeeds.lastReadAt, now - FEED_READ_INTERVAL_MS)),
        ),
      );
  }
  return { userId: row.userId, tenantId: row.tenantId, workspace: row.workspace, shard: row.shard };
}
