/** Logging calls, meetings and emails on records through the real forms, and reading them back as a user would. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf } from "../helpers/tenants";
import {
  HX,
  interactionItem,
  interactionRows,
  lastContacted,
  logThroughForm,
  textOfHtml,
  workspaceWithRecords,
  type RecordKind,
} from "./helpers";

const KINDS: [RecordKind, string][] = [
  ["contacts", "contact"],
  ["companies", "company"],
  ["deals", "deal"],
];

describe("logging an activity", () => {
  it.each(KINDS)(
    "logs a call, a meeting and an email on a %s, shown in its timeline in the reader's zone",
    async (path, type) => {
      const { owner, records } = await workspaceWithRecords(`Log ${type}`, "Europe/Berlin");
      const id = records[path];
      // Berlin is UTC+1 in March (before the change) and UTC+2 in July.
      await logThroughForm(owner.cookie, path, id, {
        kind: "call",
        occurred_at: "2026-03-10T14:30",
        duration_minutes: "25",
        outcome: "left voicemail",
        notes: "Rang about the renewal.\nCall back Tuesday.",
      });
      await logThroughForm(owner.cookie, path, id, {
        kind: "meeting",
        occurred_at: "2026-07-01T09:05",
        duration_minutes: "90",
        outcome: "Agreed on a pilot",
        notes: "",
      });
      await logThroughForm(owner.cookie, path, id, { kind: "email", occurred_at: "2026-07-02T18:00" });

      const rows = await interactionRows(owner.tenantId);
      const ownerId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?")
        .bind(owner.email)
        .first<{ id: string }>())!.id;
      expect(rows).toMatchObject([
        {
          subject_type: type,
          subject_id: id,
          kind: "call",
          occurred_at: Date.UTC(2026, 2, 10, 13, 30),
          duration_minutes: 25,
          outcome: "voicemail",
          notes: "Rang about the renewal.\nCall back Tuesday.",
          logged_by: ownerId,
        },
        {
          kind: "meeting",
          occurred_at: Date.UTC(2026, 6, 1, 7, 5),
          duration_minutes: 90,
          outcome: "Agreed on a pilot",
          notes: null,
        },
        { kind: "email", occurred_at: Date.UTC(2026, 6, 2, 16, 0), duration_minutes: null, outcome: null, notes: null },
      ]);

      const html = await textOf(`/app/${path}/${id}`, { cookie: owner.cookie });
      const call = textOfHtml(interactionItem(html, rows[0]!.id)!);
      expect(call).toContain("Call · 3/10/2026, 2:30 PM GMT+1 · 25 min · left voicemail");
      expect(call).toContain(`logged by ${owner.email}`);
      expect(interactionItem(html, rows[0]!.id)).toContain("Rang about the renewal.<br/>Call back Tuesday.");
      expect(textOfHtml(interactionItem(html, rows[1]!.id)!)).toContain(
        "Meeting · 7/1/2026, 9:05 AM GMT+2 · 1 h 30 min · Agreed on a pilot",
      );
      expect(textOfHtml(interactionItem(html, rows[2]!.id)!)).toContain("Email · 7/2/2026, 6:00 PM GMT+2 · logged by");
      // Newest first by when it happened: the email, the meeting, then the call.
      const order = rows.map((r) => html.indexOf(`id="interaction-${r.id}"`));
      expect(order[2]).toBeLessThan(order[1]!);
      expect(order[1]).toBeLessThan(order[0]!);
      // The log form is there for members, beside "Add a note".
      expect(html).toContain("<summary>Log activity</summary>");
      expect(html).toContain(`action="/app/${path}/${id}/interactions"`);
    },
  );

  it("places a logged call among notes and changes by when it happened, and an empty time is now", async () => {
    const { owner, records } = await workspaceWithRecords("Order Co");
    const company = records.companies;
    const before = Date.now();
    await send(`/app/companies/${company}/notes`, { cookie: owner.cookie, form: { body: "A note written today" } });
    await logThroughForm(owner.cookie, "companies", company, {
      kind: "call",
      occurred_at: new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 16),
      outcome: "no answer",
    });
    await logThroughForm(owner.cookie, "companies", company, { kind: "meeting", occurred_at: "" });
    const after = Date.now();
    const [old, now] = await interactionRows(owner.tenantId);
    expect(now!.occurred_at).toBeGreaterThanOrEqual(before);
    expect(now!.occurred_at).toBeLessThanOrEqual(after);
    const html = await textOf(`/app/companies/${company}`, { cookie: owner.cookie });
    const at = (s: string) => html.indexOf(s);
    // Today's meeting, then today's note and the company's creation, then the call of three days ago.
    expect(at(`id="interaction-${now!.id}"`)).toBeLessThan(at("A note written today"));
    expect(at("A note written today")).toBeLessThan(at("created this record"));
    expect(at("created this record")).toBeLessThan(at(`id="interaction-${old!.id}"`));
    expect(textOfHtml(interactionItem(html, old!.id)!)).toContain("no answer");
  });

  it("answers htmx with the refreshed timeline, which holds the new call", async () => {
    const { owner, records } = await workspaceWithRecords("Htmx Co");
    const res = await send(`/app/contacts/${records.contacts}/interactions`, {
      cookie: owner.cookie,
      form: { kind: "call", outcome: "connected", notes: "Quick check-in" },
      headers: HX,
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`^<section class="timeline card" id="timeline-contact-${records.contacts}"`));
    expect(html).toContain("Quick check-in");
    expect(html).toContain('class="interaction-outcome">connected<');
  });

  it("lists logged calls on the dashboard's recent activity, with who logged them and on what", async () => {
    const { owner, records } = await workspaceWithRecords("Dash Co");
    const member = await memberOf(owner.tenantId, "member");
    await logThroughForm(member.cookie, "contacts", records.contacts, { kind: "call", outcome: "busy" });
    await logThroughForm(member.cookie, "deals", records.deals, { kind: "meeting", duration_minutes: "30" });
    const html = await textOf("/app", { cookie: owner.cookie });
    const activity = textOfHtml(
      html.match(/<section[^>]*aria-labelledby="activity-heading"[\s\S]*?<\/section>/)?.[0] ?? "",
    );
    expect(activity).toContain(`${member.email} logged a call with contact Ada Lovelace`);
    expect(activity).toContain("busy");
    expect(activity).toContain(`${member.email} logged a meeting on deal Dash Co deal`);
    expect(activity).toContain("30 min");
  });

  it("keeps last contacted as the latest logged time on a contact or company, never on the other", async () => {
    const { owner, records } = await workspaceWithRecords("Latest Co");
    expect(await lastContacted("contacts", records.contacts)).toBeNull();
    await logThroughForm(owner.cookie, "contacts", records.contacts, {
      kind: "email",
      occurred_at: "2026-05-01T10:00",
    });
    expect(await lastContacted("contacts", records.contacts)).toBe(Date.UTC(2026, 4, 1, 10));
    // An older one leaves it where it is; a newer one moves it.
    await logThroughForm(owner.cookie, "contacts", records.contacts, {
      kind: "email",
      occurred_at: "2026-04-01T10:00",
    });
    expect(await lastContacted("contacts", records.contacts)).toBe(Date.UTC(2026, 4, 1, 10));
    await logThroughForm(owner.cookie, "contacts", records.contacts, {
      kind: "email",
      occurred_at: "2026-05-02T08:00",
    });
    expect(await lastContacted("contacts", records.contacts)).toBe(Date.UTC(2026, 4, 2, 8));
    // Only the record it is logged on: the contact's company is untouched.
    expect(await lastContacted("companies", records.companies)).toBeNull();
    await logThroughForm(owner.cookie, "companies", records.companies, {
      kind: "meeting",
      occurred_at: "2026-01-01T00:00",
    });
    expect(await lastContacted("companies", records.companies)).toBe(Date.UTC(2026, 0, 1));
    expect(await lastContacted("contacts", records.contacts)).toBe(Date.UTC(2026, 4, 2, 8));
  });
});
