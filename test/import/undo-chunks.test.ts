/**
 * Undo of an import whose rows update one record from two chunks (CHUNK_ROWS = 500 rows each): the record
 * comes back exactly as it was, whichever chunk changed which field, email or tag.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CHUNK_ROWS } from "../../src/services/import/chunk";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { importFile, snapshot, waitFor } from "./helpers";

/** Undoes an import; returns what it kept (records edited since, tags still in use). */
async function undo(cookie: string, id: string) {
  expect((await send(`/app/import/${id}/undo`, { cookie, form: {} })).status).toBe(303);
  const undone = await waitFor(id, ["undone"], 60_000);
  return JSON.parse(undone.undo_kept!) as unknown;
}

/** Rows 2 to 599 of a file: new records in between, so row 1 is in the first chunk and row 600 in the second. */
const filler = (row: (n: number) => string) => Array.from({ length: 598 }, (_, i) => row(i + 2));

describe("undo of a record two chunks of one import updated", () => {
  it("contacts: rows 1 and 600 both update Ada, and undo gives back her job title, address, emails, tags and notes", async () => {
    expect(CHUNK_ROWS).toBeLessThan(600);
    const owner = await newTenant();
    await importFile(
      owner.cookie,
      "First name,Last name,Email,Job title,Address\nAda,Lovelace,ada@home.example; ada@work.example,Analyst,12 Old St",
    );
    const before = await snapshot(owner.tenantId);
    const { id, result } = await importFile(
      owner.cookie,
      [
        "First name,Last name,Email,Phone,Job title,Address,Tags,Notes",
        "Ada,Lovelace,ada@home.example; countess@example.com,,Countess,,Royalty,Met at the ball",
        ...filler((n) => `Filler${n},Person,filler${n}@example.com,,,,,`),
        "Ada,Lovelace,ada@work.example; engines@example.com,+44 20 7946 0000,,1 New Rd,Engines,Wrote the first program",
      ].join("\n"),
    );
    expect(result).toMatchObject({ status: "done", created_count: 598, updated_count: 2 });
    const ada = () =>
      env.DB.prepare(
        `SELECT c.job_title, c.address, (SELECT group_concat(email, ' ') FROM (SELECT email FROM contact_emails
          WHERE contact_id = c.id ORDER BY email)) AS emails,
          (SELECT count(*) FROM contact_tags WHERE contact_id = c.id) AS tags,
          (SELECT count(*) FROM notes WHERE subject_type = 'contact' AND subject_id = c.id) AS notes
        FROM contacts c WHERE c.tenant_id = ? AND c.first_name = 'Ada'`,
      )
        .bind(owner.tenantId)
        .first();
    expect(await ada()).toEqual({
      job_title: "Countess",
      address: "1 New Rd",
      emails: "ada@home.example ada@work.example countess@example.com engines@example.com",
      tags: 2,
      notes: 2,
    });

    const kept = await undo(owner.cookie, id);
    expect(await ada()).toEqual({
      job_title: "Analyst",
      address: "12 Old St",
      emails: "ada@home.example ada@work.example",
      tags: 0,
      notes: 0,
    });
    expect(kept).toEqual({ total: 0, items: [] });
    expect(await snapshot(owner.tenantId)).toEqual(before);
  });

  it("companies: rows 1 and 600 both update Initech, and undo gives back its industry, address and tags", async () => {
    const owner = await newTenant();
    await importFile(owner.cookie, "Name,Domain,Industry,Address\nInitech,initech.example,Software,Austin", {
      kind: "companies",
    });
    const before = await snapshot(owner.tenantId);
    const { id, result } = await importFile(
      owner.cookie,
      [
        "Name,Domain,Industry,Address,Tags",
        // No domain: matched to Initech by its name; the later row by its domain (a row with a domain is not a
        // duplicate of an earlier one without, in the file's own check).
        "Initech,,Consulting,,Clients",
        ...filler((n) => `Filler ${n},filler${n}.example,,,`),
        "Initech,initech.example,,Dallas,Partners",
      ].join("\n"),
      { kind: "companies" },
    );
    expect(result).toMatchObject({ status: "done", created_count: 598, updated_count: 2 });

    const kept = await undo(owner.cookie, id);
    const initech = await env.DB.prepare(
      `SELECT industry, address, (SELECT count(*) FROM company_tags WHERE company_id = co.id) AS tags
      FROM companies co WHERE tenant_id = ? AND domain = 'initech.example'`,
    )
      .bind(owner.tenantId)
      .first();
    expect(initech).toEqual({ industry: "Software", address: "Austin", tags: 0 });
    expect(kept).toEqual({ total: 0, items: [] });
    expect(await snapshot(owner.tenantId)).toEqual(before);
  });
});
