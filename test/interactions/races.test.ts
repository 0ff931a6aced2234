/**
 * A logged activity and its record changed by two requests at once: each write holds only if what it
 * checked is still there when its batch runs, so the timeline never shows a change that did not happen.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { raceBeforeBatch } from "../helpers/batch-race";
import { HX, interactionRows, logThroughForm, workspaceWithRecords } from "./helpers";

const occurrences = (html: string, text: string) => html.split(text).length - 1;
const CALL = { kind: "call", occurred_at: "2026-02-02T10:00", outcome: "connected", notes: "Spoke" };

describe("a logged activity changed by two requests at once", () => {
  it("a call logged on a record deleted after its page loaded answers 404 and leaves no orphan", async () => {
    const { owner, records } = await workspaceWithRecords("Log Meets Delete");
    const company = records.companies;
    const remove = () => send(`/app/companies/${company}`, { cookie: owner.cookie, method: "DELETE", headers: HX });
    const DB = raceBeforeBatch(env.DB, /insert into "?interactions"?/i, remove);
    const res = await send(`/app/companies/${company}/interactions`, {
      cookie: owner.cookie,
      form: CALL,
      headers: HX,
      env: { DB },
    });
    expect(res.status).toBe(404);
    expect(await interactionRows(owner.tenantId)).toEqual([]);
    expect((await send(`/app/companies/${company}`, { cookie: owner.cookie })).status).toBe(404);
  });

  it("deleting the same call twice at once leaves one entry in the timeline", async () => {
    const { owner, records } = await workspaceWithRecords("Double Call Delete");
    await logThroughForm(owner.cookie, "contacts", records.contacts, CALL);
    const [row] = await interactionRows(owner.tenantId);
    const answers = await Promise.all([
      send(`/app/interactions/${row!.id}`, { cookie: owner.cookie, method: "DELETE", headers: HX }),
      send(`/app/interactions/${row!.id}`, { cookie: owner.cookie, method: "DELETE", headers: HX }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 404]);
    const html = await textOf(`/app/contacts/${records.contacts}`, { cookie: owner.cookie });
    expect(occurrences(html, "deleted a logged call")).toBe(1);
  });

  it("an edit whose call is deleted before it is saved answers 404 and logs no edit", async () => {
    const { owner, records } = await workspaceWithRecords("Edit Meets Call Delete");
    await logThroughForm(owner.cookie, "contacts", records.contacts, CALL);
    const [row] = await interactionRows(owner.tenantId);
    const remove = () => send(`/app/interactions/${row!.id}`, { cookie: owner.cookie, method: "DELETE", headers: HX });
    const DB = raceBeforeBatch(env.DB, /update "interactions"/i, remove);
    const res = await send(`/app/interactions/${row!.id}`, {
      cookie: owner.cookie,
      form: { ...CALL, notes: "Spoke again" },
      env: { DB },
    });
    expect(res.status).toBe(404);
    const html = await textOf(`/app/contacts/${records.contacts}`, { cookie: owner.cookie });
    expect(html).not.toContain("edited a logged call");
    expect(occurrences(html, "deleted a logged call")).toBe(1);
  });
});
