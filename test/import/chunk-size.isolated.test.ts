/**
 * A migration from another CRM with long notes: 300 rows carrying ~9 KB each (≈ 2.7 MB) would be one 500-row
 * chunk whose JSON D1 refuses as a single bound value (over 2,000,000 bytes; the local D1 stops a little above).
 * The chunks are cut by size as well, so the file imports whole, every note arrives, and the job's progress still
 * adds up; an undo page of records with long notes is cut by size too.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newTenant } from "../helpers/tenants";
import { send } from "../helpers/http";
import { importFile, snapshot, waitFor } from "./helpers";

/** A note of about `size` characters unique to row `n` (prose, with a comma and quotes a CSV must escape). */
const longNote = (n: number, size = 9_000) => {
  const line = `Row ${n}: called about the renewal, "said yes" to the pilot. `;
  return `${line.repeat(Math.ceil(size / line.length))}end of note ${n}`.slice(-size).trim();
};
/** The same in German: umlauts and € signs are two and three bytes each in UTF-8, as D1 counts them. */
const germanNote = (n: number, size = 9_950) => {
  const line = `Zeile ${n}: Angebot über 5.000 € für Café Müller, „gern“ — Größe geprüft ✓. `;
  return `${line.repeat(Math.ceil(size / line.length))}end of note ${n}`.slice(-size).trim();
};
const csvCell = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** Whether the workspace's notes are exactly `expected`, each once, whole (a mismatch is logged short: notes are long). */
async function sameNotes(tenantId: string, subject: string, expected: string[]) {
  const { results } = await env.DB.prepare("SELECT body FROM notes WHERE tenant_id = ? AND subject_type = ?")
    .bind(tenantId, subject)
    .all<{ body: string }>();
  const have = results.map((r) => r.body).sort();
  const want = [...expected].sort();
  const same = have.length === want.length && have.every((body, i) => body === want[i]);
  if (!same)
    console.log(`notes: ${have.length} of ${want.length}; e.g. ${have[0]?.slice(-40)} vs ${want[0]?.slice(-40)}`);
  return same;
}

/**
 * Megabytes through the job queue every test file shares: under the whole suite's load a step takes seconds. An
 * isolated file (run after the shared ones) with waits to match; alone, each test takes a few seconds.
 */
const WAIT = 150_000;

describe("an import of rows with long notes", { timeout: 4 * WAIT }, () => {
  it("contacts: 300 rows with 9 KB notes (≈ 2.7 MB) import completely, every note arrives", async () => {
    const owner = await newTenant();
    const rows = Array.from({ length: 300 }, (_, i) => i + 1);
    const csv = [
      "First name,Last name,Email,Notes",
      ...rows.map((n) => `Person${n},Migrated,person${n}@example.com,${csvCell(longNote(n))}`),
    ].join("\n");
    expect(new TextEncoder().encode(csv).length).toBeGreaterThan(2_700_000);

    const { preview, result } = await importFile(owner.cookie, csv, { waitMs: WAIT });
    expect(preview).toMatchObject({ status: "ready", new_count: 300, total_rows: 300 });
    expect(preview.chunk_count).toBeGreaterThan(1);
    expect(result).toMatchObject({ status: "done", created_count: 300, message: null });
    // The job page's progress: every chunk written, none left over.
    expect(result.chunks_done).toBe(result.chunk_count);
    expect(result.chunk_count).toBe(preview.chunk_count);

    expect(
      await sameNotes(
        owner.tenantId,
        "contact",
        rows.map((n) => longNote(n)),
      ),
    ).toBe(true);
    const counters = await env.DB.prepare("SELECT contacts, notes FROM tenant_counters WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first();
    expect(counters).toEqual({ contacts: 300, notes: 300 });
  });

  it("companies: the same file again with new long notes and addresses updates every company; undo takes it back", async () => {
    const owner = await newTenant();
    const rows = Array.from({ length: 240 }, (_, i) => i + 1);
    const file = (note: (n: number) => string, street: string) =>
      [
        "Name,Domain,Address,Notes",
        ...rows.map((n) => `Company ${n},company${n}.example,${n} ${street},${csvCell(note(n))}`),
      ].join("\n");
    // Notes near the longest a row may carry: 200 of them (an undo page) pass 2 MB.
    const first = await importFile(
      owner.cookie,
      file((n) => germanNote(n), "Long Road"),
      { kind: "companies", waitMs: WAIT },
    );
    expect(first.result).toMatchObject({ status: "done", created_count: 240 });
    const before = await snapshot(owner.tenantId);
    // An update carries each new value more than once (the values written, import_records' after, the timeline).
    const second = await importFile(
      owner.cookie,
      file((n) => germanNote(n + 1000), "Short Street"),
      { kind: "companies", waitMs: WAIT },
    );
    expect(second.preview).toMatchObject({ update_count: 240 });
    expect(second.result).toMatchObject({ status: "done", updated_count: 240, message: null });
    expect(second.result.chunks_done).toBe(second.result.chunk_count);
    const both = [...rows.map((n) => germanNote(n)), ...rows.map((n) => germanNote(n + 1000))];
    expect(await sameNotes(owner.tenantId, "company", both)).toBe(true);

    expect((await send(`/app/import/${second.id}/undo`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    const undone = await waitFor(second.id, ["undone", "failed"], WAIT);
    expect(undone).toMatchObject({ status: "undone", message: null });
    expect(await snapshot(owner.tenantId)).toEqual(before);
  });

  it("deals: 400 deals with three long custom fields (≈ 3 MB) import completely, every value arrives", async () => {
    const owner = await newTenant();
    const fields = ["Background", "Requirements", "Next steps"];
    for (const name of fields) {
      const made = await send("/app/settings/fields", {
        cookie: owner.cookie,
        form: { entity: "deal", name, kind: "text" },
      });
      expect(made.status).toBe(303);
    }
    const rows = Array.from({ length: 400 }, (_, i) => i + 1);
    // A custom text value holds up to 2,000 characters.
    const value = (n: number, field: number) => germanNote(n * 10 + field, 2_000);
    const csv = [
      `Name,Amount,Currency,Stage,${fields.join(",")}`,
      ...rows.map((n) => `Deal ${n},${n},EUR,Lead,${[0, 1, 2].map((f) => csvCell(value(n, f))).join(",")}`),
    ].join("\n");
    expect(new TextEncoder().encode(csv).length).toBeGreaterThan(2_900_000);
    const { preview, result } = await importFile(owner.cookie, csv, { kind: "deals", waitMs: WAIT });
    expect(preview).toMatchObject({ status: "ready", new_count: 400 });
    expect(result).toMatchObject({ status: "done", created_count: 400, message: null });
    expect(result.chunks_done).toBe(result.chunk_count);
    const { results } = await env.DB.prepare(
      `SELECT d.name, f.name AS field, v.value FROM deals d JOIN custom_field_values v ON v.tenant_id = d.tenant_id
         AND v.entity_id = d.id JOIN custom_fields f ON f.id = v.field_id AND f.entity = 'deal' WHERE d.tenant_id = ?`,
    )
      .bind(owner.tenantId)
      .all<{ name: string; field: string; value: string }>();
    expect(results).toHaveLength(1_200);
    const wrong = results.filter((r) => r.value !== value(Number(r.name.slice(5)), fields.indexOf(r.field)));
    expect(wrong.map((r) => `${r.name}: ${r.field}`)).toEqual([]);
  });

  it("companies: short values replacing long ones (the old values ride along in the update) import and undo", async () => {
    const owner = await newTenant();
    const fields = ["Background", "Requirements", "Next steps"];
    for (const name of fields) {
      const made = await send("/app/settings/fields", {
        cookie: owner.cookie,
        form: { entity: "company", name, kind: "text" },
      });
      expect(made.status).toBe(303);
    }
    const rows = Array.from({ length: 500 }, (_, i) => i + 1);
    const file = (value: (n: number, field: number) => string) =>
      [
        `Name,Domain,${fields.join(",")}`,
        ...rows.map((n) => `Firm ${n},firm${n}.example,${[0, 1, 2].map((f) => csvCell(value(n, f))).join(",")}`),
      ].join("\n");
    const first = await importFile(
      owner.cookie,
      file((n, f) => germanNote(n * 10 + f, 2_000)),
      { kind: "companies", waitMs: WAIT },
    );
    expect(first.result).toMatchObject({ status: "done", created_count: 500 });
    const before = await snapshot(owner.tenantId);
    // 500 short rows are one chunk, but each update keeps the ~7 KB it replaces (for undo and the timeline).
    const second = await importFile(
      owner.cookie,
      file((n, f) => `short ${n}.${f}`),
      { kind: "companies", waitMs: WAIT },
    );
    expect(second.preview).toMatchObject({ chunk_count: 1, update_count: 500 });
    expect(second.result).toMatchObject({ status: "done", updated_count: 500, message: null });
    const short = await env.DB.prepare(
      "SELECT count(*) AS n FROM custom_field_values WHERE tenant_id = ? AND value LIKE 'short %'",
    )
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(short!.n).toBe(1_500);

    expect((await send(`/app/import/${second.id}/undo`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    expect(await waitFor(second.id, ["undone", "failed"], WAIT)).toMatchObject({ status: "undone" });
    expect(await snapshot(owner.tenantId)).toEqual(before);
  });
});
