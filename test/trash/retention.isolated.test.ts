/** The retention job empties the trash: an item is kept 30 days after its delete, then goes with its rows. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RETENTION } from "../../src/lib/legal";
import { createContact } from "../contacts/contact-helpers";
import { runCron } from "../helpers/cron";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { trashItemOf, trashRowCount } from "./helpers";

const MINUTE = 60_000;
const DAY = 86_400_000;

describe("the trash's retention", () => {
  it(`keeps a deleted contact ${RETENTION.trashDays} days, then deletes it and its rows for good`, async () => {
    const owner = await newTenant("Trash Retention Co");
    const contact = await createContact(owner.cookie, { first_name: "Ageing", last_name: "Record" });
    await send(`/app/contacts/${contact}/delete`, { cookie: owner.cookie, form: {} });
    const item = (await trashItemOf("contact", contact))!;
    expect(item.purge_after).toBe(item.deleted_at + RETENTION.trashDays * DAY);
    expect(await trashRowCount(item.id)).toBeGreaterThan(0);

    await runCron(item.purge_after - MINUTE);
    expect(await trashItemOf("contact", contact)).not.toBeNull();
    await runCron(item.purge_after + MINUTE);
    expect(await trashItemOf("contact", contact)).toBeNull();
    expect(await trashRowCount(item.id)).toBe(0);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM trash_rows WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
  });

  it("/privacy states the trash's period", async () => {
    const html = await textOf("/privacy");
    expect(html).toMatch(new RegExp(`trash, restorable, for\\s+${RETENTION.trashDays}\\s+days`));
  });
});
