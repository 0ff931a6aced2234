/**
 * Opting out of non-essential email: the weekly digest (on by default) and product news (off by
 * default), signed one-click unsubscribe links with RFC 8058 headers, and essential mail labelled
 * as such. What a recipient, a mail provider and a forger see.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { productNewsMail } from "../../src/mail/messages";
import { queueListMail, unsubscribeToken } from "../../src/services/account/email-preferences";
import { send, signUp, textOf } from "../helpers/http";
import { deliveredTo, lastMail, mailTo, type OutboxRow } from "../helpers/mail";
import { newTenant } from "../helpers/tenants";
import { createContact } from "../contacts/contact-helpers";
import { APP_URL, DAY, confirmEmail, preferencesRow, runCron, userId } from "./helpers";

const KEY = env.UNSUBSCRIBE_KEY!;

/** Queues (and delivers) a product-news mail to a user as an operator's send would. */
async function queueNews(email: string): Promise<string | null> {
  const db = createDb(env.DB);
  const id = await userId(email);
  const mail = await queueListMail(
    db,
    {
      to: email,
      userId: id,
      tenantId: null,
      list: "news",
      baseUrl: APP_URL,
      secret: KEY,
      render: (url) => productNewsMail({ title: "Faster search", body: "Search is faster now.", unsubscribeUrl: url }),
    },
    Date.now(),
  );
  if (!mail) return null;
  await mail.query;
  return mail.id;
}

/** The unsubscribe URL in a mail's List-Unsubscribe header, checked against RFC 8058's shape. */
function headerUrl(mail: OutboxRow & { headers?: string | null }): string {
  const headers = JSON.parse(mail.headers ?? "{}") as Record<string, string>;
  expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  const m = headers["List-Unsubscribe"]?.match(/^<(https:\/\/[^>]+)>$/);
  expect(m, "List-Unsubscribe is one https URL in angle brackets").toBeTruthy();
  return m![1]!;
}

async function outboxRow(id: string) {
  return (await env.DB.prepare("SELECT * FROM email_outbox WHERE id = ?")
    .bind(id)
    .first<OutboxRow & { headers: string | null }>())!;
}

describe("email preferences", () => {
  it("start with the digest on and news off, shown so in the profile, and change there", async () => {
    const owner = await signUp();
    const page = await textOf("/app/settings/profile", { cookie: owner.cookie });
    expect(page).toMatch(/<input id="f-digest" type="checkbox" name="digest" value="on" checked/);
    expect(page).toMatch(/<input id="f-news" type="checkbox" name="news" value="on"\/?>/);
    expect(await preferencesRow(await userId(owner.email))).toBeNull();

    const res = await send("/app/settings/profile/email-preferences", { cookie: owner.cookie, form: { news: "on" } });
    expect(res.status).toBe(303);
    expect(await preferencesRow(await userId(owner.email))).toMatchObject({ digest: 0, news: 1 });
    const again = await textOf("/app/settings/profile", { cookie: owner.cookie });
    expect(again).toMatch(/<input id="f-news" type="checkbox" name="news" value="on" checked/);
    expect(again).toMatch(/<input id="f-digest" type="checkbox" name="digest" value="on"\/?>/);
  });

  it("send no product news to someone who did not turn it on", async () => {
    const owner = await signUp();
    expect(await queueNews(owner.email)).toBeNull();
    expect((await mailTo(owner.email)).filter((m) => m.kind === "product_news")).toHaveLength(0);
  });
});

describe("non-essential mail", () => {
  it("carries a signed unsubscribe link in its text, its HTML and the two RFC 8058 headers, also at the provider", async () => {
    const owner = await signUp();
    await send("/app/settings/profile/email-preferences", { cookie: owner.cookie, form: { digest: "on", news: "on" } });
    const id = await queueNews(owner.email);
    expect(id).not.toBeNull();
    const mail = await outboxRow(id!);
    expect(mail.essential).toBe(0);
    const url = headerUrl(mail);
    expect(url.startsWith(`${APP_URL}/unsubscribe/news.${await userId(owner.email)}.`)).toBe(true);
    expect(mail.text_body).toContain(url);
    expect(mail.html_body).toContain(`href="${url}"`);
    expect(mail.text_body).not.toMatch(/essential message/);

    // Delivered with the headers: the fake provider received them in the request body.
    const { deliverDue } = await import("../../src/services/mail/outbox");
    const { httpSender } = await import("../../src/mail/senders");
    await deliverDue(
      createDb(env.DB),
      httpSender(env.MAIL_HTTP_URL!, env.MAIL_HTTP_TOKEN!, "CT <no-reply@example.test>"),
      Date.now(),
      { ids: [id!] },
    );
    const delivered = (await deliveredTo(owner.email)).find((d) => d.message.subject.includes("Faster search"));
    expect((delivered!.message as unknown as { headers: Record<string, string> }).headers).toEqual({
      "List-Unsubscribe": `<${url}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });

    // The link works as a one-click POST.
    const res = await send(new URL(url).pathname, {
      method: "POST",
      origin: null,
      body: "List-Unsubscribe=One-Click",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(200);
    expect(await preferencesRow(await userId(owner.email))).toMatchObject({ digest: 1, news: 0 });
    expect(await queueNews(owner.email)).toBeNull();
  });

  it("essential mail carries no unsubscribe link or header and says it is essential", async () => {
    const owner = await signUp();
    await send("/password/forgot", { form: { email: owner.email } });
    for (const kind of ["verify_email", "password_reset"]) {
      const mail = (await lastMail(owner.email, kind)) as OutboxRow & { headers?: string | null };
      expect(mail.essential, kind).toBe(1);
      expect((mail as { headers?: string | null }).headers ?? null, kind).toBeNull();
      expect(mail.text_body, kind).not.toContain("/unsubscribe/");
      expect(mail.html_body, kind).not.toContain("/unsubscribe/");
      expect(mail.text_body, kind).toContain("This is an essential message about your CustomerTrackr account.");
      expect(mail.html_body, kind).toContain("This is an essential message about your CustomerTrackr account.");
    }
    const delivered = await deliveredTo(owner.email);
    for (const d of delivered)
      expect((d.message as unknown as { headers: Record<string, string> }).headers ?? {}).toEqual({});
  });
});

describe("the unsubscribe link", () => {
  it("GET shows what it would do and changes nothing; POST works without a session or an Origin header", async () => {
    const owner = await signUp();
    const id = await userId(owner.email);
    const path = `/unsubscribe/${await unsubscribeToken(KEY, id, "digest")}`;
    const page = await send(path);
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toContain("no-store");
    const html = await page.text();
    expect(html).toContain("the weekly activity digest");
    expect(html).toMatch(new RegExp(`<form method="post" action="${path}"`));
    expect(await preferencesRow(id)).toBeNull();

    // No cookie, no Origin: as Gmail's one-click request arrives.
    const res = await send(path, {
      method: "POST",
      origin: null,
      body: "List-Unsubscribe=One-Click",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("You are unsubscribed");
    expect(await preferencesRow(id)).toMatchObject({ digest: 0, news: 0 });
    // Again: the same answer, nothing else changes.
    expect((await send(path, { method: "POST", origin: null })).status).toBe(200);
    expect(await preferencesRow(id)).toMatchObject({ digest: 0, news: 0 });
  });

  it("refuses a forged or altered token, and changes nothing", async () => {
    const victim = await signUp();
    const attacker = await signUp();
    const victimId = await userId(victim.email);
    const mine = await unsubscribeToken(KEY, await userId(attacker.email), "digest");
    const [list, , mac] = mine.split(".");
    const real = await unsubscribeToken(KEY, victimId, "news");
    const forged = [
      `${list}.${victimId}.${mac}`, // my signature on someone else's id
      `digest.${victimId}.${real.split(".")[2]}`, // their news signature on the digest
      `${real.slice(0, -2)}${real.endsWith("AA") ? "AB" : "AA"}`, // an altered signature
      await unsubscribeToken("some other key", victimId, "digest"), // signed with a key that is not ours
      `digest.${victimId}`, // no signature
      "digest.x.y.z",
    ];
    for (const token of forged) {
      const get = await send(`/unsubscribe/${token}`);
      expect(get.status, token).toBe(404);
      expect(await get.text()).toContain("not valid");
      const post = await send(`/unsubscribe/${token}`, { method: "POST", origin: null });
      expect(post.status, token).toBe(404);
    }
    expect(await preferencesRow(victimId)).toBeNull();
  });

  it("is refused when no key is configured", async () => {
    const owner = await signUp();
    const token = await unsubscribeToken(KEY, await userId(owner.email), "digest");
    const res = await send(`/unsubscribe/${token}`, { method: "POST", origin: null, env: { UNSUBSCRIBE_KEY: "" } });
    expect(res.status).toBe(404);
    expect(await preferencesRow(await userId(owner.email))).toBeNull();
  });
});

describe("the weekly digest", () => {
  it("goes once a week to each user who wants it, however often the cron runs, with counts only", async () => {
    const now = Date.now();
    const a = await newTenant("Digest Alpha");
    await confirmEmail(a.email);
    const secret = "Zebediah Quartermaine";
    await createContact(a.cookie, { first_name: "Zebediah", last_name: "Quartermaine", emails: "zq@example.com" });
    await createContact(a.cookie, { first_name: "Second", last_name: "Person" });
    // Someone who turned it off, and someone whose address is not confirmed, get none.
    const off = await newTenant("Digest Off");
    await confirmEmail(off.email);
    await createContact(off.cookie, { first_name: "Any" });
    await send("/app/settings/profile/email-preferences", { cookie: off.cookie, form: {} });
    const unconfirmed = await newTenant("Digest Unconfirmed");
    await createContact(unconfirmed.cookie, { first_name: "Any" });

    // A week later (the digest covers the previous Monday-to-Monday week), twice, and then again.
    const nextWeek = now + 7 * DAY;
    await runCron(nextWeek);
    await runCron(nextWeek);
    await runCron(nextWeek + 60_000);
    const digests = (await mailTo(a.email)).filter((m) => m.kind === "weekly_digest");
    expect(digests).toHaveLength(1);
    const mail = await outboxRow(digests[0]!.id);
    expect(mail.essential).toBe(0);
    expect(mail.status).toBe("sent");
    expect(mail.text_body).toContain("Digest Alpha");
    expect(mail.text_body).toContain("2 new contacts");
    expect(mail.text_body).not.toContain(secret.split(" ")[0]);
    expect(mail.text_body).not.toContain("zq@example.com");
    expect(mail.html_body).not.toContain("Zebediah");
    const url = headerUrl(mail);
    expect(mail.text_body).toContain(url);
    expect((await mailTo(off.email)).filter((m) => m.kind === "weekly_digest")).toHaveLength(0);
    expect((await mailTo(unconfirmed.email)).filter((m) => m.kind === "weekly_digest")).toHaveLength(0);

    // The next week, with new activity: one more. Its link turns the digest off in one click.
    await env.DB.prepare("UPDATE contacts SET created_at = ?, updated_at = ? WHERE tenant_id = ?")
      .bind(nextWeek, nextWeek, a.tenantId)
      .run();
    await runCron(now + 14 * DAY);
    await runCron(now + 14 * DAY);
    expect((await mailTo(a.email)).filter((m) => m.kind === "weekly_digest")).toHaveLength(2);
    expect((await send(new URL(url).pathname, { method: "POST", origin: null })).status).toBe(200);
    await env.DB.prepare("UPDATE contacts SET created_at = ?, updated_at = ? WHERE tenant_id = ?")
      .bind(now + 14 * DAY, now + 14 * DAY, a.tenantId)
      .run();
    await runCron(now + 21 * DAY);
    expect((await mailTo(a.email)).filter((m) => m.kind === "weekly_digest")).toHaveLength(2);
  });

  it("is not sent without APP_URL or without the signing key", async () => {
    const now = Date.now();
    const a = await newTenant("Digest Unconfigured");
    await confirmEmail(a.email);
    await createContact(a.cookie, { first_name: "Some" });
    await runCron(now + 35 * DAY, { UNSUBSCRIBE_KEY: "" });
    await runCron(now + 42 * DAY, { APP_URL: "" });
    expect((await mailTo(a.email)).filter((m) => m.kind === "weekly_digest")).toHaveLength(0);
  });
});
