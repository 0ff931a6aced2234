/**
 * Undoing an import does not put back a select value whose option was removed since the import: the record
 * keeps the import's value (which is still offered), so it stays editable through the app and the API.
 */
import { describe, expect, it } from "vitest";
import { api, makeKey } from "../api/helpers";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { importFile, waitFor } from "./helpers";

type Contact = { id: number; custom_fields: Record<string, { value: unknown }> };

describe("undoing an import after a select option was removed", () => {
  it("leaves out the removed option, and the record can be edited again", async () => {
    const owner = await newTenant("Undo Dropped Option Co");
    const key = await makeKey(owner.cookie);
    const field = async (json: unknown) =>
      ((await (await api("/custom_fields", { key, method: "POST", json })).json()) as { id: number }).id;
    const tier = await field({ entity: "contact", name: "Tier", kind: "select", options: ["Gold", "Silver"] });
    await field({ entity: "contact", name: "Region", kind: "select", options: ["North", "South"] });
    const created = await api("/contacts", {
      key,
      method: "POST",
      json: { first_name: "Ada", emails: ["ada@example.com"], custom_fields: { Tier: "Gold", Region: "North" } },
    });
    const ada = ((await created.json()) as Contact).id;

    const { id, result } = await importFile(
      owner.cookie,
      "First name,Email,Tier,Region\nAda,ada@example.com,Silver,South\n",
    );
    expect(result).toMatchObject({ status: "done", updated_count: 1 });
    // The import took Gold off the only record holding it, so the option can go.
    const dropped = await api(`/custom_fields/${tier}`, {
      key,
      method: "PATCH",
      json: { options: ["Silver", "Platinum"] },
    });
    expect(dropped.status, await dropped.clone().text()).toBe(200);

    expect((await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    await waitFor(id, ["undone"]);
    const back = (await (await api(`/contacts/${ada}`, { key })).json()) as Contact;
    expect(back.custom_fields).toEqual({
      Tier: expect.objectContaining({ value: "Silver" }),
      Region: expect.objectContaining({ value: "North" }),
    });
    const edited = await api(`/contacts/${ada}`, { key, method: "PATCH", json: { job_title: "Analyst" } });
    expect(edited.status, await edited.clone().text()).toBe(200);
  });
});
