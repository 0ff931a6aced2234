/**
 * Workspace settings that admins manage: the default phone region, the default currency and number
 * format of deals, and (owners only) the workspace's name. Each change and its audit entry go in one batch. Tags and custom fields: services/records/.
 */
import { eq, sql } from "drizzle-orm";
import { runRawBatch } from "../../db/raw-batch";
import { recomputeDayReminders } from "../reminders/recompute";
import type { TenantDb } from "../../db/scoped";
import { tenants } from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { isCurrency } from "../../lib/money";
import { isRegion } from "../../lib/phone";
import { auditInsert } from "../audit/audit";

// ---- The workspace ------------------------------------------------------------------------------------

export interface WorkspaceSettings {
  name: string;
  defaultRegion: string;
  /** ISO 4217: a new deal's currency. */
  currency: string;
  /** How amounts are written and read (one of NUMBER_LOCALES). */
  locale: string;
  /** IANA zone times are shown in to members who have not chosen their own. */
  timeZone: string;
  /** Whether members and viewers see the team's figures in reports, or only their own. */
  reportScope: "team" | "own";
}

/** The number and date formats a workspace, and each member for themselves, choose from. */
export const NUMBER_LOCALES = [
  "en-US",
  "en-GB",
  "de-DE",
  "fr-FR",
  "es-ES",
  "it-IT",
  "nl-NL",
  "pt-BR",
  "sv-SE",
  "pl-PL",
  "ja-JP",
] as const;

/** Currencies offered first in the settings' select; any other valid code can be typed. */
export const COMMON_CURRENCIES = [
  "USD",
  "EUR",
  "GBP",
  "CAD",
  "AUD",
  "NZD",
  "CHF",
  "SEK",
  "NOK",
  "DKK",
  "PLN",
  "CZK",
  "JPY",
  "CNY",
  "INR",
  "BRL",
  "MXN",
  "ZAR",
  "SGD",
  "HKD",
] as const;

export function isNumberLocale(locale: string): boolean {
  return (NUMBER_LOCALES as readonly string[]).includes(locale);
}

/** The workspace's name, or null when it is gone. */
export async function workspaceName(t: TenantDb): Promise<string | null> {
  const [row] = await t.db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, t.tenantId)).limit(1);
  return row?.name ?? null;
}

/** The workspace's name, default phone region, currency and number format. */
export async function getWorkspaceSettings(t: TenantDb): Promise<WorkspaceSettings | null> {
  const [row] = await t.db
    .select({
      name: tenants.name,
      defaultRegion: tenants.defaultRegion,
      currency: tenants.currency,
      locale: tenants.locale,
      timeZone: tenants.timeZone,
      reportScope: tenants.reportScope,
    })
    .from(tenants)
    .where(eq(tenants.id, t.tenantId))
    .limit(1);
  return row ?? null;
}

/** The settings a change may touch, each with its name in the audit entry's detail (in this order). */
const AUDITED_SETTINGS = [
  ["defaultRegion", "default_region"],
  ["currency", "currency"],
  ["locale", "locale"],
  ["timeZone", "time_zone"],
  ["reportScope", "report_scope"],
  ["name", "name"],
] as const satisfies readonly (readonly [keyof WorkspaceSettings, string])[];

/**
 * Changes the default phone region and, when given, the currency, the number format, the time zone
 * (checked by the route: knownTimeZone) and (owners
 * only: the route decides) the name. Returns the changed settings' names (none: nothing was written).
 */
export async function updateWorkspaceSettings(
  t: TenantDb,
  actor: Actor,
  input: {
    defaultRegion: string;
    name?: string;
    currency?: string;
    locale?: string;
    timeZone?: string;
    reportScope?: "team" | "own";
  },
): Promise<string[]> {
  if (!isRegion(input.defaultRegion)) throw new Error("updateWorkspaceSettings: not a region");
  if (input.currency !== undefined && !isCurrency(input.currency)) throw new Error("updateWorkspaceSettings: currency");
  if (input.locale !== undefined && !isNumberLocale(input.locale)) throw new Error("updateWorkspaceSettings: locale");
  const before = await getWorkspaceSettings(t);
  if (!before) return [];
  const set: Partial<Record<keyof WorkspaceSettings, string>> = {};
  const detail: Record<string, string> = {};
  for (const [key, auditName] of AUDITED_SETTINGS) {
    const value = input[key];
    if (value === undefined || value === before[key]) continue;
    set[key] = value;
    detail[auditName] = `${before[key]} → ${value}`;
  }
  const changed = Object.keys(set);
  if (changed.length === 0) return [];
  await t.db.batch([
    t.db
      .update(tenants)
      .set({ ...(set as Partial<WorkspaceSettings>), updatedAt: actor.now })
      .where(eq(tenants.id, t.tenantId)),
    auditInsert(t.db, {
      tenantId: t.tenantId,
      actorUserId: actor.userId,
      action: "workspace.updated",
      targetType: "workspace",
      targetId: t.tenantId,
      targetLabel: input.name ?? before.name,
      detail,
      ...actor,
    }),
  ]);
  return changed;
}

/**
 * After the workspace's zone changed: the members who read times in it (no zone of their own) have their tasks due
 * on a day remind at 08:00 in the new zone, as a change of their own zone moves them. `t` is the records' handle.
 * Idempotent, after the settings' batch: a failure leaves the old 08:00, nothing lost.
 */
export async function moveZonelessDayReminders(t: TenantDb, zone: string): Promise<void> {
  const members = await t.control.all<{ id: string }>(
    sql`SELECT m.user_id AS id FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.tenant_id = ${t.tenantId} AND u.time_zone IS NULL`,
  );
  for (const m of members)
    await runRawBatch(t.db, await recomputeDayReminders(t.db, m.id, zone, { tenantId: t.tenantId }));
}
