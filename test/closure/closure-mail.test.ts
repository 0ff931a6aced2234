/**
 * What the closure and reopen-link mails say: the exact instant the link stops working, in the owner's zone and
 * locale (not a UTC day, which promised hours the link did not have), and the workspace's typed name only to a
 * confirmed address (an unconfirmed sign-up must not have us mail its words to someone else's inbox).
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GOOD_PASSWORD, logIn, send, textOf } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";
import { newTenant } from "../helpers/tenants";
import { verifiedOwner } from "../team/team-helpers";

afterEach(() => {
  vi.useRealTimers();
});

const readable = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, " ");

async function closeAs(cookie: string) {
  return send("/app/settings/close", {
    cookie,
    form: { password: GOOD_PASSWORD, confirm_close: "on" },
    env: { CLOSURE_GRACE_DAYS: "30" },
  });
}

const tenantIdOf = async (email: string) =>
  (await env.DB.prepare(
    "SELECT m.tenant_id AS id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ? AND m.role = 'owner'",
  )
    .bind(email)
    .first<{ id: string }>())!.id;

describe("the reopen deadline in the closure mail", () => {
  it("is the exact cut-off in the owner's zone and locale, and the link works until that instant, not after", async () => {
    // Closed at 05:00 UTC on 1 March 2027 with 30 days' grace: the link dies at 05:00 UTC on 31 March, which in
    // Los Angeles (PDT) is 22:00 on 30 March. A bare "31 March 2027" promised a day the link does not have.
    vi.useFakeTimers({ toFake: ["Date"] });
    const closedAt = Date.UTC(2027, 2, 1, 5, 0);
    vi.setSystemTime(closedAt);
    const owner = await verifiedOwner("Pacific Parts Co");
    await env.DB.prepare("UPDATE users SET time_zone = 'America/Los_Angeles' WHERE email = ?").bind(owner.email).run();

    const res = await closeAs(owner.cookie);
    expect(res.status).toBe(200);
    const cutOff = "3/30/2027, 10:00 PM PDT";
    expect(readable(await res.text())).toContain(`it works once, until ${cutOff}.`);

    const mail = await lastMail(owner.email, "workspace_closed");
    expect(mail.text_body).toContain(`Until ${cutOff} you can reopen it with this link (it works once)`);
    expect(readable(mail.html_body)).toContain(`Until ${cutOff} you can reopen it with this link (it works once).`);
    expect(mail.text_body).not.toContain("March");

    // The owner, signed in again, sees the same instant on the closed page and the workspaces page.
    const { cookie } = await logIn(owner.email);
    expect(readable(await textOf("/app", { cookie }))).toContain(`Unless it is reopened before ${cutOff},`);
    expect(readable(await textOf("/app/workspaces", { cookie }))).toContain(`Erased unless reopened before ${cutOff}.`);

    // The new link mailed on request says it too.
    const tenantId = await tenantIdOf(owner.email);
    expect((await send(`/app/workspaces/${tenantId}/reopen-link`, { cookie, form: {} })).status).toBe(200);
    const again = await lastMail(owner.email, "workspace_reopen_link");
    expect(again.text_body).toContain(`Until ${cutOff} it reopens the workspace`);
    expect(readable(again.html_body)).toContain(`Until ${cutOff} it reopens the workspace`);
    const link = linkPath(again, "/reopen/");

    // A minute before the cut-off the link works (the page, signed out, names the workspace's zone: UTC here).
    const eraseAfter = closedAt + 30 * 86_400_000;
    vi.setSystemTime(eraseAfter - 60_000);
    const page = await send(link);
    expect(page.status).toBe(200);
    expect(readable(await page.text())).toContain("unless it is reopened before 3/31/2027, 5:00 AM UTC");
    // At the cut-off it no longer does, though it is still 30 March in Los Angeles.
    vi.setSystemTime(eraseAfter);
    expect((await send(link)).status).toBe(404);
    expect((await send(link, { form: {} })).status).toBe(404);
  });

  it("is written the German way for an owner who reads German", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.UTC(2027, 2, 1, 5, 0));
    const owner = await verifiedOwner("Berliner Teile GmbH");
    await env.DB.prepare("UPDATE users SET time_zone = 'Europe/Berlin', locale = 'de-DE' WHERE email = ?")
      .bind(owner.email)
      .run();
    expect((await closeAs(owner.cookie)).status).toBe(200);
    const mail = await lastMail(owner.email, "workspace_closed");
    // 05:00 UTC on 31 March is 07:00 summer time in Berlin.
    expect(mail.text_body).toMatch(/Until 31\.3\.2027, 07:00 (MESZ|GMT\+2) you can reopen it/);
  });
});

describe("the workspace's typed name in closure mail", () => {
  const name = "Claim your prize at prizes.example";

  it("is left out for an unconfirmed address, which still gets a working reopen link; a confirmed owner's mail names it", async () => {
    const unconfirmed = await newTenant(name);
    expect((await closeAs(unconfirmed.cookie)).status).toBe(200);
    const mail = await lastMail(unconfirmed.email, "workspace_closed");
    for (const part of [mail.subject, mail.text_body, mail.html_body]) expect(part).not.toContain("prizes.example");
    expect(mail.subject).toBe("Your workspace is closed on CustomerTrackr");
    expect(mail.text_body).toContain("You closed your workspace on CustomerTrackr.");
    const link = linkPath(mail, "/reopen/");

    // A new link asked for from the workspaces page: no name either.
    const { cookie } = await logIn(unconfirmed.email);
    const tenantId = await tenantIdOf(unconfirmed.email);
    expect((await send(`/app/workspaces/${tenantId}/reopen-link`, { cookie, form: {} })).status).toBe(200);
    const again = await lastMail(unconfirmed.email, "workspace_reopen_link");
    for (const part of [again.subject, again.text_body, again.html_body]) expect(part).not.toContain("prizes.example");
    expect(linkPath(again, "/reopen/")).not.toBe(link);
    expect((await send(linkPath(again, "/reopen/"), { form: {} })).status).toBe(200);

    const confirmed = await verifiedOwner(name);
    expect((await closeAs(confirmed.cookie)).status).toBe(200);
    const named = await lastMail(confirmed.email, "workspace_closed");
    expect(named.subject).toBe(`${name} is closed on CustomerTrackr`);
    expect(named.text_body).toContain(`You closed the workspace ${name} on CustomerTrackr.`);
  });
});
