/**
 * The archive's readers that the list exports (src/services/export/serialise.ts) do not have: the
 * workspace's timeline, its logged calls, meetings and emails, the records a user opened lately, the audit entries about them, and mail
 * text with its emailed tokens taken out.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { TenantDb } from "../../db/scoped";
import { redactPath } from "../../lib/request";
import { auditAboutEntry, auditAboutUser } from "../account/profile";
import { isoTime } from "../export/serialise";

/** The workspace's timeline, oldest first, a page of 1,000 (one query) at a time. */
export async function* activityPages(t: TenantDb): AsyncGenerator<unknown[]> {
  let after = 0;
  for (;;) {
    const rows = await t.db.all<{
      id: number;
      subject_type: string;
      subject_id: number;
      kind: string;
      detail: string | null;
      actor: string | null;
      created_at: number;
    }>(sql`
      SELECT a.id, a.subject_type, a.subject_id, a.kind, a.detail, u.email AS actor, a.created_at
      FROM activities a LEFT JOIN users u ON u.id = a.actor_id
      WHERE a.tenant_id = ${t.tenantId} AND a.id > ${after} ORDER BY a.id LIMIT 1000`);
    yield rows.map((r) => ({
      id: r.id,
      record_type: r.subject_type,
      record_id: r.subject_id,
      kind: r.kind,
      changes: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
      by: r.actor,
      at: isoTime(r.created_at),
    }));
    if (rows.length < 1000) return;
    after = rows.at(-1)!.id;
  }
}

/** The workspace's logged calls, meetings and emails by when they happened, a page of 1,000 (one query) at a time. */
export async function* interactionPages(t: TenantDb): AsyncGenerator<unknown[]> {
  let after = { at: -1, id: 0 };
  for (;;) {
    // Keyset (occurred_at, id) on interactions_tenant_idx: this workspace's rows only, in its order.
    const rows = await t.db.all<{
      id: number;
      subject_type: string;
      subject_id: number;
      kind: string;
      occurred_at: number;
      duration_minutes: number | null;
      outcome: string | null;
      notes: string | null;
      logged_by: string | null;
      created_at: number;
      updated_at: number;
    }>(sql`
      SELECT i.id, i.subject_type, i.subject_id, i.kind, i.occurred_at, i.duration_minutes, i.outcome, i.notes,
        u.email AS logged_by, i.created_at, i.updated_at
      FROM interactions i LEFT JOIN users u ON u.id = i.logged_by
      WHERE i.tenant_id = ${t.tenantId} AND (i.occurred_at, i.id) > (${after.at}, ${after.id})
      ORDER BY i.occurred_at, i.id LIMIT 1000`);
    yield rows.map((r) => ({
      id: r.id,
      record_type: r.subject_type,
      record_id: r.subject_id,
      kind: r.kind,
      occurred_at: isoTime(r.occurred_at),
      duration_minutes: r.duration_minutes,
      outcome: r.outcome,
      notes: r.notes,
      logged_by: r.logged_by,
      created_at: isoTime(r.created_at),
      updated_at: isoTime(r.updated_at),
    }));
    if (rows.length < 1000) return;
    after = { at: rows.at(-1)!.occurred_at, id: rows.at(-1)!.id };
  }
}

/** The records the user opened lately (the dashboard's shortcuts), in every workspace they belong to. */
export async function recentViewRows(db: Database, userId: string): Promise<unknown[]> {
  const rows = await db.all<{ workspace: string; subject_type: string; subject_id: number; viewed_at: number }>(sql`
    SELECT t.name AS workspace, r.subject_type, r.subject_id, r.viewed_at
    FROM memberships m
    JOIN recent_views r ON r.tenant_id = m.tenant_id AND r.user_id = m.user_id
    JOIN tenants t ON t.id = m.tenant_id
    WHERE m.user_id = ${userId} ORDER BY r.viewed_at DESC`);
  return rows.map((r) => ({
    workspace: r.workspace,
    record_type: r.subject_type,
    record_id: r.subject_id,
    viewed_at: isoTime(r.viewed_at),
  }));
}

/** Audit entries about the user in their workspaces, newest first, a page (one query) at a time. */
export async function* auditPages(db: Database, tenantIds: string[], userId: string): AsyncGenerator<unknown[]> {
  let before: number | undefined;
  for (;;) {
    const rows = await auditAboutUser(db, tenantIds, userId, { before, limit: 1000 });
    yield rows.map((r) => {
      const e = auditAboutEntry(r, userId);
      return {
        id: e.id,
        workspace: e.workspace,
        action: e.action,
        description: e.description,
        by: e.by,
        target_type: e.targetType,
        target: e.target,
        detail: e.detail,
        ip: e.ip,
        user_agent: e.userAgent,
        created_at: isoTime(e.createdAt),
      };
    });
    if (rows.length < 1000) return;
    before = rows[rows.length - 1]!.id;
  }
}

/** A mail's text with the token of every emailed link replaced, as the request log does: an archive is not a key. */
export function withoutTokens(text: string): string {
  return text.replace(/https?:\/\/[^\s"<>]+/g, (link) => {
    try {
      const url = new URL(link);
      const path = redactPath(url.pathname);
      return path === url.pathname && !url.search ? link : `${url.origin}${path}`;
    } catch {
      return link;
    }
  });
}

/** The workspace's tasks, oldest first, a page of 1,000 at a time, with assignee and creator by address. */
export async function* taskPages(t: TenantDb): AsyncGenerator<unknown[]> {
  let after = 0;
  for (;;) {
    const rows = await t.db.all<Record<string, string | number | null> & { id: number }>(sql`
      SELECT k.id, k.title, k.description, k.kind, k.priority, k.due_date, k.due_time, k.time_zone, k.due_at,
        k.remind_lead, k.status, k.completed_at, k.subject_type, k.subject_id, k.repeat_unit, k.repeat_every,
        a.email AS assignee, c.email AS created_by, k.created_at, k.updated_at
      FROM tasks k LEFT JOIN users a ON a.id = k.assignee_id LEFT JOIN users c ON c.id = k.created_by
      WHERE k.tenant_id = ${t.tenantId} AND k.id > ${after} ORDER BY k.id LIMIT 1000`);
    yield rows.map((r) => ({
      ...r,
      due_at: r.due_at === null ? null : isoTime(Number(r.due_at)),
      completed_at: r.completed_at === null ? null : isoTime(Number(r.completed_at)),
      created_at: isoTime(Number(r.created_at)),
      updated_at: isoTime(Number(r.updated_at)),
    }));
    if (rows.length < 1000) return;
    after = rows.at(-1)!.id;
  }
}

/** The user's reminders and mentions in the app (the bell), in every workspace they belong to, newest first, 1,000 a page. */
export async function* reminderPages(db: Database, userId: string): AsyncGenerator<unknown[]> {
  let before = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const rows = await db.all<{
      id: number;
      workspace: string;
      title: string;
      task_id: number | null;
      note_id: number | null;
      created_at: number;
      read_at: number | null;
    }>(sql`
      SELECT n.id, t.name AS workspace, n.title, n.task_id, n.note_id, n.created_at, n.read_at
      FROM memberships m
      JOIN notifications n ON n.tenant_id = m.tenant_id AND n.user_id = m.user_id
      JOIN tenants t ON t.id = m.tenant_id
      WHERE m.user_id = ${userId} AND n.id < ${before} ORDER BY n.id DESC LIMIT 1000`);
    yield rows.map((r) => ({
      workspace: r.workspace,
      reminder: r.title,
      task_id: r.task_id,
      note_id: r.note_id,
      at: isoTime(r.created_at),
      read_at: r.read_at === null ? null : isoTime(r.read_at),
    }));
    if (rows.length < 1000) return;
    before = rows.at(-1)!.id;
  }
}
