/**
 * "Select all matching" beyond one request (issue 18): over 5,000 matches, tagging and deleting run as a
 * background job with a progress page; a lost message is sent again by the watchdog and the job finishes;
 * a failure is shown; another workspace's job is not found; erasing that many is refused.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { confirmAddressOf, memberOf, newTenant } from "../helpers/tenants";
import { CronClock, deliver, drain, HeldQueue, jobEnv, runCron, type JobEnv } from "../jobs/helpers";
import { createContact, expectCountersExact, insertCompany, insertContacts, insertTag, post } from "./contact-helpers";

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;

const tagged = (tenantId: string, tagId: number, firstName: string) =>
  count(
    `SELECT count(*) AS n FROM contact_tags ct JOIN contacts c ON c.id = ct.contact_id
     WHERE ct.tenant_id = ? AND ct.tag_id = ? AND c.first_name = ?`,
    tenantId,
    tagId,
    firstName,
  );

/** Posts the bulk form through `bindings` (the held queue); returns the job's page path. */
async function startJob(bindings: JobEnv, cookie: string, form: Record<string, string>): Promise<string> {
  const res = await send("/app/contacts/bulk", { cookie, form: { scope: "matching", ...form }, env: bindings });
  expect(res.status).toBe(303);
  const location = res.headers.get("Location")!;
  expect(location).toMatch(/^\/app\/contacts\/bulk-jobs\/[\w-]+\?back=/);
  return location;
}

const jobIdOf = (path: string) => path.split("/").pop()!.split("?")[0]!;

async function page(path: string, cookie: string): Promise<string> {
  const res = await send(path, { cookie });
  expect(res.status, path).toBe(200);
  return res.text();
}

/** The status part the page polls. */
const status = async (path: string, cookie: string) =>
  (await send(`${path}&part=status`, { cookie, headers: { "HX-Request": "true" } })).text();

/** Moves a job's last progress (and, with `seen`, the watchdog's view of it) by `ms`: time passing for its page. */
const shiftHeartbeat = (id: string, ms: number, seen = false) =>
  env.DB.prepare(
    `UPDATE bulk_jobs SET updated_at = updated_at + ?1${seen ? ", watchdog_seen_at = watchdog_seen_at + ?1" : ""} WHERE id = ?2`,
  )
    .bind(ms, id)
    .run();

describe("select all matching, in the background", () => {
  it("tags 6,000 contacts in chunks with progress, and finishes after a lost message via the watchdog", async () => {
    const t = await newTenant("Big Tag Co");
    await insertContacts(t.tenantId, 6_000, { prefix: "Match" });
    await insertContacts(t.tenantId, 5, { prefix: "Other" });
    const vip = await insertTag(t.tenantId, "VIP");
    const list = await page("/app/contacts?q=match", t.cookie);
    expect(list).toContain("Select all over 200 matching contacts"); // a search counts up to 200
    expect(list).toContain("run in the background with a progress page");

    const q = new HeldQueue();
    const bindings = jobEnv(q);
    const path = await startJob(bindings, t.cookie, { action: "tag", tag_id: String(vip), match_query: "q=match" });
    const id = jobIdOf(path);
    const start = await page(path, t.cookie);
    expect(start).toContain("Adding &quot;VIP&quot; to matching contacts");
    expect(start).toContain("0 of 6,000 contacts done");
    expect(start).toContain(`hx-get="/app/contacts/bulk-jobs/${id}?part=status"`);

    // One step (four chunks of 500), then its next message is lost, as a killed worker loses it.
    expect(await deliver(bindings, q.takeOne(id)!)).toBe(true);
    expect(await tagged(t.tenantId, vip, "Match")).toBe(2_000);
    expect(q.takeOne(id)?.type).toBe("contacts.bulk");
    expect(q.of(id)).toEqual([]);
    const midway = await send(`${path}&part=status`, { cookie: t.cookie, headers: { "HX-Request": "true" } });
    const midwayText = await midway.text();
    expect(midwayText).toContain("2,000 of 6,000 contacts done");
    expect(midwayText).toContain('value="33"');
    expect(midwayText).not.toContain("<html");
    expect(midwayText).not.toContain("No progress");

    // Still at 33 % 45 s later (the heartbeat moved back, as the clock cannot be): the page says what happens next.
    await shiftHeartbeat(id, -45_000);
    const quiet = await status(path, t.cookie);
    expect(quiet).toMatch(/No progress for 4\d seconds\./);
    expect(quiet).toContain("started again by itself 2 minutes after its last progress");
    await shiftHeartbeat(id, 45_000);

    // Not yet silent for two minutes: nothing is sent. Later, the watchdog sends the step again.
    await runCron(bindings, Date.now() + 60_000);
    expect(q.of(id)).toEqual([]);
    const clock = new CronClock();
    await runCron(bindings, clock.next());
    expect(q.of(id)).toHaveLength(1);
    // Seen 3 minutes after the last progress, before the re-sent step has run: the page counts the tries.
    await shiftHeartbeat(id, -180_000, true);
    expect(await status(path, t.cookie)).toContain(
      "No progress for 3 minutes. It was started again by itself (1 of 5 tries).",
    );
    await drain(q, bindings, id);

    expect(await tagged(t.tenantId, vip, "Match")).toBe(6_000);
    expect(await tagged(t.tenantId, vip, "Other")).toBe(0);
    const done = await page(path, t.cookie);
    expect(done).toContain("6,000 contacts tagged.");
    expect(done).not.toContain("part=status");
    // A late duplicate of a step changes nothing.
    const timeline = await count("SELECT count(*) AS n FROM activities WHERE tenant_id = ?", t.tenantId);
    await deliver(bindings, { type: "contacts.bulk", bulkJobId: id, tenantId: t.tenantId });
    expect(await count("SELECT count(*) AS n FROM activities WHERE tenant_id = ?", t.tenantId)).toBe(timeline);
  });

  it("asks before deleting over 5,000 matches, then moves them all to the trash in the background", async () => {
    const t = await newTenant("Big Delete Co");
    await insertContacts(t.tenantId, 5_100, { prefix: "Gone" });
    await insertContacts(t.tenantId, 3, { prefix: "Kept" });
    const form = { action: "delete", scope: "matching", match_query: "q=gone", back: "/app/contacts?q=gone" };
    const ask = await post("/app/contacts/bulk", t.cookie, form);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain("Move all 5,100 matching contacts to the trash?");
    expect(await count("SELECT count(*) AS n FROM bulk_jobs WHERE tenant_id = ?", t.tenantId)).toBe(0);

    const q = new HeldQueue();
    const bindings = jobEnv(q);
    const path = await startJob(bindings, t.cookie, { ...form, confirm: "1" });
    expect(path).toContain(`back=${encodeURIComponent("/app/contacts?q=gone")}`);
    await drain(q, bindings, jobIdOf(path));
    expect(await count("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?", t.tenantId)).toBe(3);
    expect(await count("SELECT count(*) AS n FROM trash_items WHERE tenant_id = ?", t.tenantId)).toBe(5_100);
    await expectCountersExact(t.tenantId);
    const done = await page(path, t.cookie);
    expect(done).toContain("5,100 contacts moved to the trash.");
    expect(done).toContain('href="/app/contacts?q=gone"');
  }, 120_000);

  it("asks before deleting over 10,000 matches as 'over 10,000', saying they wait in the trash", async () => {
    const t = await newTenant("Capped Delete Co");
    await insertContacts(t.tenantId, 10_050, { prefix: "Many" });
    const form = { action: "delete", scope: "matching", match_query: "", back: "/app/contacts" };
    const ask = await post("/app/contacts/bulk", t.cookie, form);
    expect(ask.status).toBe(200);
    const html = await ask.text();
    expect(html).toContain("Move over 10,000 matching contacts to the trash?");
    expect(html).toContain("Move over 10,000 contacts to the trash");
    expect(html).toContain("They wait in the trash for 30 days");
    // Not the count's bound plus one as if exact, and not a warning the trash makes untrue.
    expect(html).not.toContain("10,001");
    expect(html).not.toContain("cannot be undone");
    expect(await count("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?", t.tenantId)).toBe(10_050);
  }, 60_000);

  it("a delete job reaches only the contacts there when it was confirmed, not one added while it runs", async () => {
    const t = await newTenant("Bounded Delete Co");
    await insertContacts(t.tenantId, 5_100, { prefix: "Gone" });
    const q = new HeldQueue();
    const bindings = jobEnv(q);
    const form = { action: "delete", confirm: "1", match_query: "q=gone", back: "/app/contacts?q=gone" };
    const path = await startJob(bindings, t.cookie, form);
    const id = jobIdOf(path);
    expect(await deliver(bindings, q.takeOne(id)!)).toBe(true);
    // A colleague adds a contact that matches the job's filters between two of its steps.
    const late = await createContact(t.cookie, { first_name: "Gone", last_name: "Later" });
    await drain(q, bindings, id);
    expect(await count("SELECT count(*) AS n FROM contacts WHERE tenant_id = ? AND id = ?", t.tenantId, late)).toBe(1);
    expect(
      await count("SELECT count(*) AS n FROM trash_items WHERE tenant_id = ? AND record_id = ?", t.tenantId, late),
    ).toBe(0);
    expect(await count("SELECT count(*) AS n FROM trash_items WHERE tenant_id = ?", t.tenantId)).toBe(5_100);
    expect(await page(path, t.cookie)).toContain("5,100 contacts moved to the trash.");
  }, 120_000);

  it("stops a job, saying why, once whoever started it may no longer change contacts", async () => {
    const t = await newTenant("Demoted Job Co");
    await confirmAddressOf(t.cookie);
    const member = await memberOf(t.tenantId, "member");
    const memberId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?")
      .bind(member.email)
      .first<{ id: string }>())!.id;
    await insertContacts(t.tenantId, 5_001, { prefix: "Match" });
    const vip = await insertTag(t.tenantId, "VIP");
    const q = new HeldQueue();
    const bindings = jobEnv(q);
    const path = await startJob(bindings, member.cookie, { action: "tag", tag_id: String(vip), match_query: "" });
    const id = jobIdOf(path);
    await deliver(bindings, q.takeOne(id)!);
    expect(await tagged(t.tenantId, vip, "Match")).toBe(2_000);
    const demoted = await send(`/app/settings/team/members/${memberId}/role`, {
      cookie: t.cookie,
      form: { role: "viewer" },
    });
    expect(demoted.status).toBe(303);
    await drain(q, bindings, id);
    expect(await tagged(t.tenantId, vip, "Match")).toBe(2_000);
    const stopped = await page(path, t.cookie);
    expect(stopped).toContain("Stopped after 2,000 contacts. The person who started this job is no longer a member");
    expect(stopped).toContain('role="alert"');
  });

  it("shows a job that stopped because its tag was removed, keeping what it did", async () => {
    const t = await newTenant("Stopped Co");
    await insertContacts(t.tenantId, 5_001, { prefix: "Match" });
    const vip = await insertTag(t.tenantId, "VIP");
    const q = new HeldQueue();
    const bindings = jobEnv(q);
    const path = await startJob(bindings, t.cookie, { action: "tag", tag_id: String(vip), match_query: "" });
    const id = jobIdOf(path);
    await deliver(bindings, q.takeOne(id)!);
    const removed = await post(`/app/settings/tags/${vip}/delete`, t.cookie, {});
    expect(removed.status).toBe(303);
    await drain(q, bindings, id);
    const stopped = await page(path, t.cookie);
    expect(stopped).toContain("Stopped after 2,000 contacts. The tag was removed while the job ran.");
    expect(stopped).toContain('role="alert"');
    expect(stopped).not.toContain("part=status");
  });

  it("keeps jobs to their workspace and refuses what it cannot do with a 4xx, starting nothing", async () => {
    const a = await newTenant("Job Owner Co");
    const b = await newTenant("Job Other Co");
    await insertContacts(a.tenantId, 5_001, { prefix: "Huge" });
    const aTag = await insertTag(a.tenantId, "A");
    const bTag = await insertTag(b.tenantId, "B");
    const bCompany = await insertCompany(b.tenantId, "B Company");
    const q = new HeldQueue();
    const bindings = jobEnv(q);
    const path = await startJob(bindings, a.cookie, { action: "tag", tag_id: String(aTag), match_query: "q=huge" });
    expect((await send(path, { cookie: b.cookie })).status).toBe(404);
    expect((await send("/app/contacts/bulk-jobs/not-an-id", { cookie: a.cookie })).status).toBe(404);
    expect((await send("/app/contacts/bulk-jobs/00000000000000000000000000", { cookie: a.cookie })).status).toBe(404);

    const jobs = () => count("SELECT count(*) AS n FROM bulk_jobs");
    const before = await jobs();
    const cases: [Record<string, string>, string][] = [
      [{ action: "tag", tag_id: String(bTag), scope: "matching", match_query: "q=huge" }, "Choose a tag from the list"],
      [{ action: "tag", tag_id: String(aTag), scope: "matching", match_query: `company=${bCompany}` }, "No contacts"],
      [{ action: "tag", scope: "matching", match_query: "q=huge" }, "Choose the tag"],
      [{ action: "erase", confirm: "1", scope: "matching", match_query: "q=huge" }, "narrow the filters to erase"],
      [{ action: "untag", tag_id: "x", scope: "matching", match_query: "q=huge" }, "Choose the tag"],
    ];
    for (const [form, message] of cases) {
      const res = await send("/app/contacts/bulk", { cookie: a.cookie, form, env: bindings });
      expect(res.status, message).toBe(422);
      expect(await res.text(), message).toContain(message);
    }
    expect(await jobs()).toBe(before);
    expect(q.held).toHaveLength(1);
  });
});
