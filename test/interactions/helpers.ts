/** What the interactions tests share: a workspace with one record of each kind, and logging through the form. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createCompanyThroughForm, insertContact } from "../companies/helpers";
import { insertDeal } from "../deals/data-helpers";

export const HX = { "HX-Request": "true" };

export type RecordKind = "contacts" | "companies" | "deals";

/** A workspace whose owner reads times in `zone`, with a contact, a company and a deal. */
export async function workspaceWithRecords(name: string, zone = "UTC") {
  const owner = await newTenant(name);
  await env.DB.prepare("UPDATE users SET time_zone = ? WHERE email = ?").bind(zone, owner.email).run();
  const company = await createCompanyThroughForm(owner.cookie, { name: `${name} Ltd` });
  const contact = await insertContact(owner.tenantId, "Ada", "Lovelace", { id: company, name: `${name} Ltd` });
  const deal = await insertDeal(owner.tenantId, { name: `${name} deal` });
  return { owner, records: { contacts: contact, companies: company, deals: deal } as Record<RecordKind, number> };
}

/** Logs an interaction through the form (no JavaScript): the answer must be the redirect back. */
export async function logThroughForm(cookie: string, kind: RecordKind, id: number, form: Record<string, string>) {
  const res = await send(`/app/${kind}/${id}/interactions`, { cookie, form });
  expect(res.status, await res.clone().text()).toBe(303);
  return res;
}

/** The workspace's interactions, oldest first. */
export async function interactionRows(tenantId: string) {
  return (
    await env.DB.prepare(
      `SELECT id, subject_type, subject_id, kind, occurred_at, duration_minutes, outcome, notes, logged_by
       FROM interactions WHERE tenant_id = ? ORDER BY id`,
    )
      .bind(tenantId)
      .all<{
        id: number;
        subject_type: string;
        subject_id: number;
        kind: string;
        occurred_at: number;
        duration_minutes: number | null;
        outcome: string | null;
        notes: string | null;
        logged_by: string | null;
      }>()
  ).results;
}

/** A contact's or company's last_contacted_at. */
export async function lastContacted(table: "contacts" | "companies", id: number): Promise<number | null> {
  return (await env.DB.prepare(`SELECT last_contacted_at AS v FROM ${table} WHERE id = ?`).bind(id).first<{
    v: number | null;
  }>())!.v;
}

/** The text of an element's contents with tags removed and whitespace squeezed. */
export function textOfHtml(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** The timeline item of an interaction, as HTML (its <li>), or null. */
export function interactionItem(html: string, id: number): string | null {
  return html.match(new RegExp(`<li[^>]*id="interaction-${id}"[^>]*>[\\s\\S]*?</li>`))?.[0] ?? null;
}
