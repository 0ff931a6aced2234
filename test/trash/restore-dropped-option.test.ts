/**
 * A select option removed while its only holder was in the trash does not come back with the record: the
 * record returns without that value (which no form could keep), so it stays editable through the app and
 * the API. Values whose option is still offered come back as they were.
 */
import { describe, expect, it } from "vitest";
import { api, makeKey } from "../api/helpers";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { restoreTo, trashItemOf } from "./helpers";

type Contact = { id: number; custom_fields: Record<string, { value: unknown }> };

describe("restoring a record whose select option was removed meanwhile", () => {
  it("brings it back without that value, and it can be edited again", async () => {
    const owner = await newTenant("Dropped Option Co");
    const key = await makeKey(owner.cookie);
    const field = async (json: unknown) =>
      ((await (await api("/custom_fields", { key, method: "POST", json })).json()) as { id: number }).id;
    const tier = await field({ entity: "contact", name: "Tier", kind: "select", options: ["Gold", "Silver"] });
    await field({ entity: "contact", name: "Region", kind: "select", options: ["North", "South"] });
    await field({ entity: "contact", name: "Nickname", kind: "text" });
    const created = await api("/contacts", {
      key,
      method: "POST",
      json: { first_name: "Ada", custom_fields: { Tier: "Gold", Region: "North", Nickname: "Countess" } },
    });
    const ada = ((await created.json()) as Contact).id;

    expect((await send(`/app/contacts/${ada}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    // Nobody live holds Gold any more, so the option can go.
    const dropped = await api(`/custom_fields/${tier}`, {
      key,
      method: "PATCH",
      json: { options: ["Silver", "Platinum"] },
    });
    expect(dropped.status, await dropped.clone().text()).toBe(200);
    await restoreTo(owner.cookie, (await trashItemOf("contact", ada))!.id, `/app/contacts/${ada}`);

    const back = (await (await api(`/contacts/${ada}`, { key })).json()) as Contact;
    expect(back.custom_fields).toEqual({
      Region: expect.objectContaining({ value: "North" }),
      Nickname: expect.objectContaining({ value: "Countess" }),
    });
    const page = await textOf(`/app/contacts/${ada}`, { cookie: owner.cookie });
    expect(page).not.toContain("Gold");
    const edited = await api(`/contacts/${ada}`, { key, method: "PATCH", json: { job_title: "Analyst" } });
    expect(edited.status, await edited.clone().text()).toBe(200);
  });
});
