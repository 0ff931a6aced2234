/**
 * A company renamed by an import, and renamed back by its undo, changes the company name its contacts carry: an
 * API client syncing contacts by updated_since must read them again each time, as after a rename by hand.
 */
import { describe, expect, it } from "vitest";
import { api, makeKey } from "../api/helpers";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { importFile, waitFor } from "./helpers";

interface SyncedContact {
  first_name: string;
  company: { id: number; name: string } | null;
}

/** What a sync reads: the contacts changed at or after `since` (ms), with their company. */
async function changedSince(key: string, since: number) {
  const res = await api(`/contacts?updated_since=${new Date(since).toISOString()}`, { key });
  expect(res.status).toBe(200);
  const { data } = (await res.json()) as { data: SyncedContact[] };
  return data.map((c) => ({ first_name: c.first_name, company: c.company?.name ?? null }));
}

/** A moment strictly after everything written so far (updated_since is at or after, in ms). */
async function nextMoment(): Promise<number> {
  const at = Date.now() + 1;
  while (Date.now() < at) await new Promise((r) => setTimeout(r, 1));
  return at;
}

describe("a company renamed by an import", () => {
  it("gives its contacts a newer version, on import and on undo, so an API sync reads the new name", async () => {
    const owner = await newTenant("Rename Sync");
    const key = await makeKey(owner.cookie, { scope: "read" });
    await importFile(owner.cookie, "Name,Domain\nAcme,acme.example", { kind: "companies" });
    await importFile(owner.cookie, "First name,Email,Company\nPeter,peter@acme.example,Acme");
    // The client's last sync: nothing changed since.
    const synced = await nextMoment();
    expect(await changedSince(key, synced)).toEqual([]);

    const { id, result } = await importFile(owner.cookie, "Name,Domain\nAcme Ltd,acme.example", { kind: "companies" });
    expect(result).toMatchObject({ status: "done", updated_count: 1 });
    expect(await changedSince(key, synced)).toEqual([{ first_name: "Peter", company: "Acme Ltd" }]);

    const beforeUndo = await nextMoment();
    expect((await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    await waitFor(id, ["undone"]);
    expect(await changedSince(key, beforeUndo)).toEqual([{ first_name: "Peter", company: "Acme" }]);
  });
});
