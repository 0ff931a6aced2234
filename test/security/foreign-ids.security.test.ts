/**
 * Another workspace's ids inside a form, not in its URL. Every form the app posts (the role table's, on this
 * workspace's real records) is sent with each field that names a record or a person set to another workspace's:
 * its company, contact, deal, tag, stage, pipeline, lost reason, field and owner. Afterwards the other workspace is
 * exactly as it was, and no row of this one points at anything of the other's. The tables and their columns come
 * from the schema, so a new table or reference is checked without being named here.
 */
import { pointingAt, snapshot, tenantTables, twoWorkspaces } from "../helpers/foreign-refs";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { postsOnRecords, REMOVES } from "../helpers/app-routes";

describe("another workspace's ids in a form", () => {
  it("change nothing of the other workspace and leave no reference to it", async () => {
    const { mine, theirs, theirOwner } = await twoWorkspaces();
    const ids = theirs.ids;
    const foreign: Record<string, string | string[]> = {
      company_id: String(ids.companies),
      contact_id: String(ids.contacts),
      contact_ids: [String(ids.contacts)],
      contact_ref: String(ids.contacts),
      deal_id: String(ids.deals),
      tag_id: String(ids.tags),
      tag_ids: [String(ids.tags)],
      stage_id: String(ids.stages),
      target_stage_id: String(ids.stages),
      pipeline_id: String(ids.pipelines),
      pipeline: String(ids.pipelines),
      ids: [String(ids.contacts), String(ids.companies), String(ids.deals), String(ids.tasks)],
      subject_type: "contact",
      subject_id: String(ids.contacts),
      record: `contact:${ids.contacts}`,
      field_id: String(ids.custom_fields),
      owner_id: theirOwner,
      owner: theirOwner,
      assignee: theirOwner,
      user_id: theirOwner,
    };
    const tables = await tenantTables();
    expect(tables.size).toBeGreaterThan(40);
    const before = await snapshot(tables, theirs.tenantId);

    const posts = postsOnRecords(mine.ids);
    const firstRemoval = posts.findIndex(({ route }) => REMOVES.test(route.path));
    for (const [n, { route: r, url }] of posts.entries()) {
      // Before the removals, what the other forms wrote is all there: no row of mine names anything of theirs.
      if (n === firstRemoval) {
        const found = await pointingAt(tables, mine.tenantId, theirs.tenantId, theirOwner);
        expect(found.pointing).toEqual([]);
        // The forms did write: my records, stages, tags and their references are there to be checked.
        expect(found.checked).toBeGreaterThan(20);
      }
      // A list field goes as repeated fields, as a form's checkboxes send it.
      const body = new URLSearchParams(r.form);
      for (const [k, v] of Object.entries(foreign)) {
        body.delete(k);
        for (const item of [v].flat()) body.append(k, item);
      }
      const res = await send(url, {
        method: "POST",
        body: body.toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        cookie: mine.cookie,
      });
      expect(res.status, `POST ${url}`).toBeLessThan(500);
      await res.arrayBuffer();
    }

    expect((await pointingAt(tables, mine.tenantId, theirs.tenantId, theirOwner)).pointing).toEqual([]);
    expect(await snapshot(tables, theirs.tenantId)).toEqual(before);
  }, 180_000);
});
