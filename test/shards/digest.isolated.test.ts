/**
 * The weekly digest of someone whose workspaces are on shards: each workspace once, with its records' counts from
 * the database the directory names (the control database has every workspace's people, and a move in progress has
 * the workspace on two databases). Isolated: the cron runs a week ahead.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { startMove } from "../../src/services/shards/move";
import { createContact } from "../contacts/contact-helpers";
import { signUp } from "../helpers/http";
import { mailTo } from "../helpers/mail";
import { confirmAddressOf, newTenant } from "../helpers/tenants";
import { runCron } from "../reminders/helpers";
import { directoryOf, moveEnv, moveRow, runSteps } from "./helpers";

const DAY = 86_400_000;

const tenantOf = async (email: string) =>
  (await env.DB.prepare(
    "SELECT m.tenant_id AS id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ? ORDER BY m.created_at DESC",
  )
    .bind(email)
    .first<{ id: string }>())!.id;

const digestsTo = async (email: string) => (await mailTo(email)).filter((m) => m.kind === "weekly_digest");

/** How many times `needle` occurs in `text`. */
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe("the weekly digest with workspaces on shards", { timeout: 90_000 }, () => {
  it("lists each workspace once with its counts: one born on a shard, one being moved to another", async () => {
    const now = Date.now();
    const owner = await signUp({ company_name: "Digest On A Shard" }, { env: { PLACEMENT_TARGETS: "SHARD_1" } });
    await confirmAddressOf(owner.cookie);
    const onShard = await tenantOf(owner.email);
    expect(await directoryOf(onShard)).toEqual({ shard: "SHARD_1", state: "active" });
    for (const name of ["Ada", "Bea", "Cy"])
      await createContact(owner.cookie, { first_name: name, last_name: "Shard" });

    // Someone else's workspace on DB, with two contacts, caught in the middle of its move to SHARD_2.
    const mover = await newTenant("Digest Mid Move");
    await confirmAddressOf(mover.cookie);
    for (const name of ["Dee", "Eve"]) await createContact(mover.cookie, { first_name: name, last_name: "Moving" });
    const { q, bindings } = moveEnv(500);
    const started = await startMove(bindings, mover.tenantId, "SHARD_2", now);
    if (!started.ok) throw new Error(started.reason);
    await runSteps(bindings, q, started.moveId, () => now, { until: (m) => m.status !== "copying" });
    expect((await moveRow(started.moveId)).status).not.toBe("copying");
    expect(await directoryOf(mover.tenantId)).toEqual({ shard: "DB", state: "moving" });
    const onTarget = await env
      .SHARD_2!.prepare("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?")
      .bind(mover.tenantId)
      .first<{ n: number }>();
    expect(onTarget!.n).toBe(2); // both databases hold the workspace's contacts now

    await runCron(now + 7 * DAY);
    const [mail] = await digestsTo(owner.email);
    expect(mail, "the shard workspace's owner gets a digest").toBeDefined();
    expect(occurrences(mail!.text_body, "Digest On A Shard")).toBe(1);
    expect(mail!.text_body).toContain("Digest On A Shard\n  - 3 new contacts");
    expect(mail!.text_body).not.toMatch(/Digest On A Shard\n {2}- 0 /);
    expect(occurrences(mail!.html_body, "Digest On A Shard")).toBe(1);

    const [moving] = await digestsTo(mover.email);
    expect(moving, "the moving workspace's owner gets a digest").toBeDefined();
    expect(occurrences(moving!.text_body, "Digest Mid Move")).toBe(1);
    expect(moving!.text_body).toContain("Digest Mid Move\n  - 2 new contacts");
  });
});
