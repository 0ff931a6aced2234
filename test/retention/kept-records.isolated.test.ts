/**
 * Records that once had no period (issue 12): an import's record of what it changed, which undo needs,
 * and the weekly digest's run records. Each goes when its period ends, through the scheduled handler
 * with the clock moved, and the privacy page states the period.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RETENTION } from "../../src/lib/legal";
import { logIn, send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { DAY, runCron } from "../closure/helpers";
import { importFile } from "../import/helpers";
import { MINUTE, count, one, twiceIsOnce } from "./helpers";

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;|&#x27;|&apos;/g, "'")
    .replace(/\s+/g, " ");

const CSV = "First name,Last name,Email\nUndine,Keeps,undine@keeps.example\nOswin,Keeps,oswin@keeps.example\n";

describe("what an import changed", () => {
  it(`is kept ${RETENTION.importUndoDays} days so the import can be undone; then it goes and the job page says undo has ended`, async () => {
    const t = await newTenant("Undo Window Co");
    const { id } = await importFile(t.cookie, CSV);
    const created = (await one<{ created_at: number }>("SELECT created_at FROM import_jobs WHERE id = ?", id))!
      .created_at;
    expect(await count("SELECT 1 FROM import_records WHERE import_id = ?", id)).toBeGreaterThan(0);
    const due = created + RETENTION.importUndoDays * DAY;

    await runCron(due - MINUTE);
    expect(await count("SELECT 1 FROM import_records WHERE import_id = ?", id)).toBeGreaterThan(0);
    // The month-old session ended with the idle timeout; sign in again as the user would.
    const before = text(await textOf(`/app/import/${id}`, { cookie: (await logIn(t.email)).cookie }));
    expect(before).toContain("Undo the import");

    await twiceIsOnce(due + MINUTE);
    expect(await count("SELECT 1 FROM import_records WHERE import_id = ?", id)).toBe(0);
    expect(await one("SELECT records_deleted_at FROM import_jobs WHERE id = ?", id)).toEqual({
      records_deleted_at: due + MINUTE,
    });
    const cookie = (await logIn(t.email)).cookie;
    const after = text(await textOf(`/app/import/${id}`, { cookie }));
    expect(after).not.toContain("Undo the import");
    expect(after).toContain("This import can no longer be undone");
    // Asking anyway changes nothing: the contacts stay.
    const undo = await send(`/app/import/${id}/undo`, { cookie, form: {} });
    expect(undo.status).toBeGreaterThanOrEqual(400);
    expect(undo.status).toBeLessThan(500);
    expect(await count("SELECT 1 FROM contacts WHERE tenant_id = ?", t.tenantId)).toBe(2);
  });

  it("takes its period from RETENTION_IMPORT_UNDO_DAYS, and the privacy page says so", async () => {
    const t = await newTenant("Undo Config Co");
    const { id } = await importFile(t.cookie, CSV);
    const created = (await one<{ created_at: number }>("SELECT created_at FROM import_jobs WHERE id = ?", id))!
      .created_at;
    await runCron(created + 6 * DAY, { RETENTION_IMPORT_UNDO_DAYS: "7" });
    expect(await count("SELECT 1 FROM import_records WHERE import_id = ?", id)).toBeGreaterThan(0);
    await runCron(created + 7 * DAY + MINUTE, { RETENTION_IMPORT_UNDO_DAYS: "7" });
    expect(await count("SELECT 1 FROM import_records WHERE import_id = ?", id)).toBe(0);
    const page = text(await textOf("/privacy", { env: { RETENTION_IMPORT_UNDO_DAYS: "7" } }));
    expect(page).toContain(
      "what an import changed (the values it replaced, so that it can be undone): 7 days after the import; after that it can no longer be undone",
    );
  });
});

describe("the weekly digest's run records", () => {
  it(`are kept ${RETENTION.digestRunDays} days, without the cursor once the run is over`, async () => {
    const started = Date.UTC(2031, 0, 6); // a Monday
    await env.DB.prepare(
      "INSERT INTO digest_runs (week, after_user_id, started_at, finished_at) VALUES ('2031-W02', '', ?1, ?1)",
    )
      .bind(started)
      .run();
    const due = started + RETENTION.digestRunDays * DAY;
    await runCron(due - MINUTE);
    expect(await one("SELECT week FROM digest_runs WHERE week = '2031-W02'")).toEqual({ week: "2031-W02" });
    await twiceIsOnce(due + MINUTE);
    expect(await one("SELECT week FROM digest_runs WHERE week = '2031-W02'")).toBeNull();
    const page = text(await textOf("/privacy"));
    expect(page).toContain(
      `the weekly digest's record of each run (the week and how far the sending got; no content): ${RETENTION.digestRunDays} days`,
    );
  });

  it("keep no user id after the week's sweep has finished", async () => {
    await newTenant("Digest Cursor Co");
    const monday = Date.UTC(2032, 0, 5, 0, 5); // a Monday, after 00:00 UTC
    await runCron(monday, { APP_URL: "https://app.example" });
    const runs = (
      await env.DB.prepare("SELECT after_user_id, finished_at FROM digest_runs").all<{
        after_user_id: string;
        finished_at: number | null;
      }>()
    ).results;
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs.filter((r) => r.finished_at !== null)) expect(r.after_user_id).toBe("");
  });
});
