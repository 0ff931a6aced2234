/**
 * Settings → Privacy follows a copy being prepared without a reload: the request button and the table are one
 * part that asks for itself again every 3 s while a copy is being prepared, shows the stalled build's words and
 * then the Download link, and stops asking once nothing is being prepared. Each member sees only their own copies.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { deliver, HeldQueue, jobEnv } from "../jobs/helpers";

const PART = "/app/settings/privacy?part=exports";
const POLLS = `hx-get="${PART}"`;

/** The part as htmx asks for it while the page is open. */
async function part(cookie: string): Promise<string> {
  const res = await send(PART, { cookie, headers: { "HX-Request": "true" } });
  expect(res.status).toBe(200);
  return res.text();
}

async function askForCopy(t: { cookie: string; email: string }) {
  const q = new HeldQueue();
  const bindings = jobEnv(q);
  const res = await send("/app/settings/privacy/export", { cookie: t.cookie, form: {}, env: bindings });
  expect(res.headers.get("Location")).toBe("/app/settings/privacy?notice=requested");
  const copy = (await env.DB.prepare(
    "SELECT d.id FROM data_exports d JOIN users u ON u.id = d.user_id WHERE u.email = ? ORDER BY d.created_at DESC LIMIT 1",
  )
    .bind(t.email)
    .first<{ id: string }>())!;
  return { q, bindings, id: copy.id };
}

describe("Settings → Privacy while a copy is being prepared", () => {
  it("asks for its part every 3 s, shows a stalled build's words, then the Download link, and stops asking", async () => {
    const t = await newTenant("Polling Privacy Ltd");
    expect(await textOf("/app/settings/privacy", { cookie: t.cookie })).not.toContain(POLLS);

    const { q, bindings, id } = await askForCopy(t);
    const page = await textOf("/app/settings/privacy", { cookie: t.cookie });
    expect(page).toContain(POLLS);
    expect(page).toContain('hx-trigger="every 3s"');

    const waiting = await part(t.cookie);
    expect(waiting).toMatch(/^<div id="data-exports"/);
    expect(waiting).not.toContain("<html");
    expect(waiting).toContain("Being prepared");
    expect(waiting).toContain(`action="/app/settings/privacy/exports/${id}/cancel"`);
    expect(waiting).toContain(POLLS);
    expect(waiting).not.toContain("No progress");

    // The heartbeat moved back 50 s (the clock cannot be): the part says what happens next, without a reload.
    await env.DB.prepare("UPDATE data_exports SET updated_at = updated_at - 50000 WHERE id = ?").bind(id).run();
    expect(await part(t.cookie)).toMatch(/No progress for 5\d seconds\. If its last step was lost/);

    expect(await deliver(bindings, q.takeOne(id)!)).toBe(true);
    const ready = await part(t.cookie);
    expect(ready).toContain(`href="/app/settings/privacy/exports/${id}"`);
    expect(ready).toContain("Download ZIP");
    expect(ready).not.toContain("hx-get");
    expect(ready).not.toContain("hx-trigger");
    expect(ready).toMatch(/<button id="export-request" type="submit">Download my data<\/button>/);
  });

  it("shows each member only their own copies, and a page load without htmx gets the whole page", async () => {
    const t = await newTenant("Own Copies Ltd");
    const colleague = await memberOf(t.tenantId, "member");
    const other = await newTenant("Elsewhere Ltd");
    const { id } = await askForCopy(t);

    for (const someone of [colleague, other]) {
      const theirs = await part(someone.cookie);
      expect(theirs).not.toContain(id);
      expect(theirs).not.toContain("Being prepared");
      expect(theirs).not.toContain("hx-get");
    }
    const plain = await textOf(PART, { cookie: t.cookie });
    expect(plain).toContain("<html");
    expect(plain).toContain("<h1>Privacy</h1>");
  });
});
