/**
 * A contacts import that will not fit the Free plan says so in its preview, before the commit: the commit checks
 * the limit chunk by chunk and would otherwise stop part-way with no warning.
 */
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { jobId, upload, waitFor } from "./helpers";

/** A file of `count` new people. */
const people = (count: number, tag: string) =>
  ["First name,Email", ...Array.from({ length: count }, (_, i) => `Person ${i},${tag}-${i}@example.com`)].join("\n");

/** Signs up a workspace with `existing` contacts (added through the form) and uploads `file` for a preview. */
async function preview(existing: number, file: string) {
  const owner = await newTenant("Plan Room Co");
  for (let i = 0; i < existing; i += 1)
    expect((await send("/app/contacts", { cookie: owner.cookie, form: { first_name: `Early ${i}` } })).status).toBe(
      303,
    );
  const id = jobId(await upload(owner.cookie, file));
  expect((await waitFor(id, ["ready"])).new_count).toBeGreaterThan(0);
  return { owner, id };
}

describe("the import preview under a contact limit", () => {
  it("warns by the commit button when the new contacts exceed the room left, with the way out for the owner", async () => {
    const { owner, id } = await preview(3, people(5, "over"));
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie, env: { FREE_MAX_CONTACTS: "6" } });
    const commit = page.slice(page.indexOf('id="commit-heading"'));
    expect(commit).toContain(
      "Your plan holds 6 contacts and the workspace has 3: this import would add 5 new ones, so it will stop before it imports any rows.",
    );
    expect(commit).toContain('<a href="/app/settings/billing">Upgrade</a>, or import a smaller file.');
    // An admin imports too, but only the owner can upgrade: they are told to ask.
    const admin = await memberOf(owner.tenantId, "admin");
    const seen = await textOf(`/app/import/${id}`, { cookie: admin.cookie, env: { FREE_MAX_CONTACTS: "6" } });
    expect(seen).toContain("Ask the workspace owner to upgrade, or import a smaller file.");
  });

  it("says nothing when the new contacts fit, or when the plan has no limit", async () => {
    const { owner, id } = await preview(3, people(5, "fits"));
    const fits = await textOf(`/app/import/${id}`, { cookie: owner.cookie, env: { FREE_MAX_CONTACTS: "8" } });
    expect(fits).toContain("Import 5 contacts");
    expect(fits).not.toContain("Your plan holds");
    const unlimited = await textOf(`/app/import/${id}`, {
      cookie: owner.cookie,
      env: { FREE_MAX_CONTACTS: "6", STRIPE_PRICE_MONTHLY: "", STRIPE_PRICE_YEARLY: "" },
    });
    expect(unlimited).not.toContain("Your plan holds");
  });

  it("estimates the rows it gets through when the file spans several chunks", async () => {
    const owner = await newTenant("Plan Room Chunks Co");
    const id = jobId(await upload(owner.cookie, people(1200, "chunks")));
    const ready = await waitFor(id, ["ready"]);
    expect(ready.chunk_count).toBe(3);
    // Room for 600 of 1,200 new rows: the first of three chunks (500 rows) fits, the second would pass the limit.
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie, env: { FREE_MAX_CONTACTS: "600" } });
    expect(page).toContain("this import would add 1,200 new ones, so it will stop after about 400 rows.");
  });
});
