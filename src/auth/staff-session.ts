/**
 * Staff sessions: the customer sessions' recipe (`<id>.<secret>`, only SHA-256(secret) stored, compared in
 * constant time) with the lifetimes a console with access to many customers needs: 8 hours at most and
 * 30 minutes without activity. Activity is written at most once a minute.
 */
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { staff, staffSessions, type StaffRole } from "../db/schema";
import { hashSecret, parseSessionToken, randomToken } from "./session";

export const STAFF_ABSOLUTE_MS = 8 * 60 * 60 * 1000;
export const STAFF_IDLE_MS = 30 * 60 * 1000;
const ACTIVITY_WRITE_MS = 60 * 1000;

export interface StaffAuth {
  sessionId: string;
  id: string;
  email: string;
  name: string;
  role: StaffRole;
}

/** When a staff session ends: the earlier of its idle timeout and its absolute lifetime. */
export function staffSessionExpiresAt(s: { createdAt: number; lastActiveAt: number }): number {
  return Math.min(s.lastActiveAt + STAFF_IDLE_MS, s.createdAt + STAFF_ABSOLUTE_MS);
}

/** A new session row and its cookie value, for the caller's batch. */
export function newStaffSession(db: Database, staffId: string, now: number) {
  const id = randomToken();
  const secret = randomToken();
  return {
    token: `${id}.${secret}`,
    query: db.insert(staffSessions).values({
      id,
      secretHash: Buffer.from(hashSecret(secret)),
      staffId,
      createdAt: now,
      lastActiveAt: now,
    }),
  };
}

/** The staff member a cookie names, or null (unknown, expired, or the member disabled). */
export async function validateStaffSession(db: Database, token: string, now: number): Promise<StaffAuth | null> {
  const parsed = parseSessionToken(token);
  if (!parsed) return null;
  const [row] = await db
    .select({
      secretHash: staffSessions.secretHash,
      createdAt: staffSessions.createdAt,
      lastActiveAt: staffSessions.lastActiveAt,
      staffId: staff.id,
      email: staff.email,
      name: staff.name,
      role: staff.role,
      disabledAt: staff.disabledAt,
    })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(eq(staffSessions.id, parsed.id))
    .limit(1);
  if (!row || !constantTimeEqual(hashSecret(parsed.secret), new Uint8Array(row.secretHash))) return null;
  if (row.disabledAt !== null || now >= staffSessionExpiresAt(row)) {
    await db.delete(staffSessions).where(eq(staffSessions.id, parsed.id));
    return null;
  }
  if (now - row.lastActiveAt >= ACTIVITY_WRITE_MS)
    await db.update(staffSessions).set({ lastActiveAt: now }).where(eq(staffSessions.id, parsed.id));
  return { sessionId: parsed.id, id: row.staffId, email: row.email, name: row.name, role: row.role };
}

export async function deleteStaffSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(staffSessions).where(eq(staffSessions.id, sessionId));
}
