/**
 * A call logged in the hour a fall-back day repeats: editing anything but its time keeps the instant, though
 * the edit form can only show it as a wall time that names both 01:30s.
 */
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf } from "../helpers/tenants";
import { interactionRows, logThroughForm, workspaceWithRecords } from "./helpers";

// 2026-11-01 in New York: 01:30 EDT is 05:30Z, and an hour later the clock reads 01:30 again (EST, 06:30Z).
const SECOND_ONE_THIRTY = Date.UTC(2026, 10, 1, 6, 30);

describe("editing a call logged in the repeated hour", () => {
  it("keeps 01:30 EST when only the notes change", async () => {
    const { owner, records } = await workspaceWithRecords("Fall Back Co", "America/New_York");
    // A colleague who reads UTC logs it at 06:30, which is the second 01:30 in New York.
    const colleague = await memberOf(owner.tenantId, "member");
    await logThroughForm(colleague.cookie, "contacts", records.contacts, {
      kind: "call",
      occurred_at: "2026-11-01T06:30",
      outcome: "connected",
      notes: "Late call",
    });
    const [logged] = await interactionRows(owner.tenantId);
    expect(logged!.occurred_at).toBe(SECOND_ONE_THIRTY);

    const page = await textOf(`/app/interactions/${logged!.id}/edit`, { cookie: owner.cookie });
    expect(page).toContain('value="2026-11-01T01:30"');
    const res = await send(`/app/interactions/${logged!.id}`, {
      cookie: owner.cookie,
      form: {
        kind: "call",
        occurred_at: "2026-11-01T01:30",
        duration_minutes: "",
        outcome: "connected",
        notes: "Late call, he asked for a quote",
      },
    });
    expect(res.status).toBe(303);

    // The colleague still sees the call at 06:30 their time, not at 05:30.
    const again = await textOf(`/app/interactions/${logged!.id}/edit`, { cookie: colleague.cookie });
    expect(again).toContain('value="2026-11-01T06:30"');
    expect(await interactionRows(owner.tenantId)).toMatchObject([
      { occurred_at: SECOND_ONE_THIRTY, notes: "Late call, he asked for a quote" },
    ]);
  });

  it("a time typed anew in the repeated hour is still its first occurrence", async () => {
    const { owner, records } = await workspaceWithRecords("Fall Back Typed", "America/New_York");
    await logThroughForm(owner.cookie, "contacts", records.contacts, {
      kind: "call",
      occurred_at: "2026-11-01T09:00",
      outcome: "busy",
    });
    const [logged] = await interactionRows(owner.tenantId);
    const res = await send(`/app/interactions/${logged!.id}`, {
      cookie: owner.cookie,
      form: { kind: "call", occurred_at: "2026-11-01T01:30", duration_minutes: "", outcome: "busy", notes: "" },
    });
    expect(res.status).toBe(303);
    expect(await interactionRows(owner.tenantId)).toMatchObject([{ occurred_at: Date.UTC(2026, 10, 1, 5, 30) }]);
  });
});
