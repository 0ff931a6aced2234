/** Garbage in the "Log activity" and edit forms: a 4xx, the form again with the message by the field, nothing written. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { fieldError } from "../contacts/contact-helpers";
import { HX, interactionRows, lastContacted, logThroughForm, workspaceWithRecords } from "./helpers";

const CASES: [string, Record<string, string>, string, RegExp][] = [
  [
    "a date that is not one",
    { kind: "call", outcome: "busy", occurred_at: "2026-02-30T10:00" },
    "occurred_at",
    /date and time/,
  ],
  [
    "a time that is not one",
    { kind: "call", outcome: "busy", occurred_at: "2026-02-03T25:00" },
    "occurred_at",
    /date and time/,
  ],
  ["words for a date", { kind: "email", occurred_at: "yesterday" }, "occurred_at", /date and time/],
  ["a date next year", { kind: "email", occurred_at: "2099-01-01T10:00" }, "occurred_at", /in the future/],
  ["a negative duration", { kind: "meeting", duration_minutes: "-5" }, "duration_minutes", /0 to 1440/],
  ["a duration over a day", { kind: "meeting", duration_minutes: "1441" }, "duration_minutes", /0 to 1440/],
  ["a huge duration", { kind: "meeting", duration_minutes: "99999999999999999999" }, "duration_minutes", /0 to 1440/],
  ["a fractional duration", { kind: "meeting", duration_minutes: "1.5" }, "duration_minutes", /whole number/],
  ["an unknown call outcome", { kind: "call", outcome: "went great" }, "outcome", /connected, no answer/],
  ["a call without an outcome", { kind: "call" }, "outcome", /how the call went/],
  ["a meeting outcome of 201 characters", { kind: "meeting", outcome: "x".repeat(201) }, "outcome", /at most 200/],
  ["an unknown kind", { kind: "fax", outcome: "connected" }, "kind", /call, a meeting or an email/],
  ["no kind", { outcome: "connected" }, "kind", /call, a meeting or an email/],
  ["notes over 20,000 characters", { kind: "email", notes: "n".repeat(20_001) }, "notes", /at most 20,000/],
  ["control characters in notes", { kind: "email", notes: "a\u0000b" }, "notes", /cannot store/],
];

async function snapshot(tenantId: string, contact: number) {
  const activities = await env.DB.prepare("SELECT count(*) AS n FROM activities WHERE tenant_id = ?")
    .bind(tenantId)
    .first<{ n: number }>();
  return {
    interactions: await interactionRows(tenantId),
    activities: activities!.n,
    lastContacted: await lastContacted("contacts", contact),
  };
}

describe("a refused log", () => {
  it.each(CASES)(
    "refuses %s: 422, the page with the message by the field, nothing written",
    async (_label, form, field, message) => {
      const { owner, records } = await workspaceWithRecords("Garbage Co");
      const before = await snapshot(owner.tenantId, records.contacts);
      // Without JavaScript: the form alone on a page.
      const plain = await send(`/app/contacts/${records.contacts}/interactions`, { cookie: owner.cookie, form });
      expect(plain.status).toBe(422);
      const page = await plain.text();
      expect(fieldError(page, `interaction-new-${field}`)).toMatch(message);
      // With htmx: the timeline again, its log form open with the message.
      const hx = await send(`/app/contacts/${records.contacts}/interactions`, {
        cookie: owner.cookie,
        form,
        headers: HX,
      });
      expect(hx.status).toBe(422);
      const fragment = await hx.text();
      expect(fragment).toContain('<details class="interaction-log" open="">');
      expect(fieldError(fragment, `timeline-contact-${records.contacts}-log-${field}`)).toMatch(message);
      expect(await snapshot(owner.tenantId, records.contacts)).toEqual(before);
    },
  );

  it("keeps what was typed in the refused form", async () => {
    const { owner, records } = await workspaceWithRecords("Echo Co");
    const res = await send(`/app/deals/${records.deals}/interactions`, {
      cookie: owner.cookie,
      form: { kind: "meeting", occurred_at: "2026-01-05T08:15", duration_minutes: "2000", notes: "Keep <me>" },
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('value="2026-01-05T08:15"');
    expect(html).toContain('value="2000"');
    expect(html).toContain("Keep &lt;me&gt;");
    expect(html).toMatch(/<option value="meeting" selected="">/);
  });

  it("refuses a bad edit the same way and leaves the logged call as it was", async () => {
    const { owner, records } = await workspaceWithRecords("Bad Edit Co");
    await logThroughForm(owner.cookie, "companies", records.companies, {
      kind: "call",
      occurred_at: "2026-02-02T10:00",
      outcome: "connected",
    });
    const [row] = await interactionRows(owner.tenantId);
    const before = await interactionRows(owner.tenantId);
    for (const [, form, field, message] of CASES) {
      const res = await send(`/app/interactions/${row!.id}`, { cookie: owner.cookie, form });
      expect(res.status, JSON.stringify(form).slice(0, 80)).toBe(422);
      expect(fieldError(await res.text(), `interaction-${row!.id}-${field}`)).toMatch(message);
    }
    expect(await interactionRows(owner.tenantId)).toEqual(before);
    expect(await lastContacted("companies", records.companies)).toBe(Date.UTC(2026, 1, 2, 10));
  });
});
