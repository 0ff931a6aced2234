/**
 * The contact page as a visitor, a bot and an abuser meet it: validation beside each field, the
 * honeypot, the per-IP limit, and what is stored and delivered (through the local fake mail API).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/auth/rate-limit";
import { randomIp, send, uniqueEmail, textOf } from "../helpers/http";
import { deliveredTo, mailTo } from "../helpers/mail";

const GOOD = { name: "Ada Lovelace", message: "Hello, I would like to know how the export works." };

function supportEnv(extra: Record<string, string> = {}) {
  return { SUPPORT_EMAIL: uniqueEmail("support"), ...extra };
}

async function storedFrom(email: string) {
  return (
    await env.DB.prepare("SELECT * FROM support_messages WHERE email = ?").bind(email).all<Record<string, unknown>>()
  ).results;
}

function fieldError(html: string, field: string): string | undefined {
  return html.match(new RegExp(`<p class="field-error" id="f-${field}-error">([^<]*)</p>`))?.[1];
}

describe("the contact form", () => {
  it("has name, email and message fields, a hidden honeypot, and is linked from the footer", async () => {
    const html = await textOf("/contact");
    expect(html).toContain('<form class="stack" method="post" action="/contact"');
    for (const name of ["name", "email", "message"]) expect(html).toMatch(new RegExp(`name="${name}"`));
    expect(html).toMatch(
      /<div class="hp-field" aria-hidden="true">[\s\S]*?name="contact_ref" tabindex="-1" autocomplete="off"/,
    );
    expect(html).toContain('<a href="/contact">Contact</a>');
  });

  it("answers bad input with 422, the message beside each field, and what was typed kept", async () => {
    const email = uniqueEmail("typo");
    const cases: [Record<string, string>, Record<string, string>][] = [
      [
        { name: "", email: "", message: "" },
        {
          name: "Enter your name.",
          email: "Enter your email address, so that we can reply.",
          message: "Enter your message.",
        },
      ],
      [
        { name: "N".repeat(101), email: "not-an-email", message: "short" },
        {
          name: "Your name must be at most 100 characters.",
          email: "Enter an email address like name@example.com.",
          message: "Please write a little more: at least 10 characters.",
        },
      ],
      [{ name: "Ada", email, message: "M".repeat(5001) }, { message: "Your message must be at most 5000 characters." }],
    ];
    for (const [form, errors] of cases) {
      const res = await send("/contact", { form, env: supportEnv() });
      expect(res.status).toBe(422);
      const html = await res.text();
      for (const field of ["name", "email", "message"]) expect(fieldError(html, field), field).toBe(errors[field]);
      // The form comes back filled in.
      if (form.name) expect(html).toContain(`value="${form.name}"`);
      if (form.email) expect(html).toContain(`value="${form.email}"`);
      if (form.message) expect(html).toContain(`>${form.message}</textarea>`);
    }
    expect(await storedFrom(email)).toHaveLength(0);
    expect(await mailTo(email)).toHaveLength(0);
  });

  it("stores the message with a keyed hash of the IP, mails support and acknowledges the sender", async () => {
    const email = uniqueEmail("sender");
    const ip = randomIp();
    const config = supportEnv({ IP_HASH_KEY: "test-ip-hash-key-0123456789abcdef" });
    const message = `${GOOD.message}\n<script>alert(1)</script>`;
    const res = await send("/contact", { form: { ...GOOD, email: email.toUpperCase(), message }, ip, env: config });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/contact?sent");
    expect(await textOf("/contact?sent")).toContain("Thank you, your message is on its way");

    const [row] = await storedFrom(email);
    expect(row).toMatchObject({ name: GOOD.name, email, message });
    expect(row!.id).toMatch(/^[a-z2-7]{24}$/);
    expect(row!.ip_hash).toMatch(/^[A-Za-z0-9_-]{43}=?$/);
    expect(JSON.stringify(row)).not.toContain(ip);

    // To support: what was written, escaped in the HTML.
    const [toSupport] = await deliveredTo(config.SUPPORT_EMAIL);
    expect(toSupport).toBeDefined();
    expect(toSupport!.message.text).toContain(GOOD.message);
    expect(toSupport!.message.text).toContain(email);
    expect(toSupport!.message.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(toSupport!.message.html).not.toContain("<script>");

    // To the sender: an acknowledgement, labelled transactional, repeating nothing they typed.
    const [ack] = await deliveredTo(email);
    expect(ack).toBeDefined();
    expect(ack!.message.subject).toBe("We received your message to CustomerTrackr");
    expect(ack!.message.text).toContain(String(row!.id));
    expect(ack!.message.text).toContain("essential, transactional email");
    expect(ack!.message.html).toContain("essential, transactional email");
    for (const body of [ack!.message.text, ack!.message.html]) {
      expect(body).not.toContain(GOOD.name);
      expect(body).not.toContain("how the export works");
    }
    const outbox = await mailTo(email);
    expect(outbox.map((m) => [m.kind, m.essential, m.status])).toEqual([["support_ack", 1, "sent"]]);
  });

  it("lets support reply to the sender: Reply-To is their checked address, and no text of theirs becomes a header", async () => {
    const email = uniqueEmail("replyto");
    const config = supportEnv();
    expect((await send("/contact", { form: { ...GOOD, email }, env: config })).status).toBe(303);
    const [toSupport] = await mailTo(config.SUPPORT_EMAIL);
    const headers = (toSupport as unknown as { headers: string | null }).headers;
    expect(JSON.parse(headers ?? "{}")).toEqual({ "Reply-To": email });
    // The provider gets it as its reply-to field (Cloudflare's API refuses Reply-To among the headers).
    const [delivered] = await deliveredTo(config.SUPPORT_EMAIL);
    expect((delivered!.message as unknown as { reply_to?: string }).reply_to).toBe(email);
    // The acknowledgement, to the sender, has none.
    const [ack] = await mailTo(email);
    expect((ack as unknown as { headers: string | null }).headers).toBeNull();

    // An address carrying a header of its own is refused by the form, and nothing is queued.
    const other = supportEnv();
    const injected = await send("/contact", {
      form: { ...GOOD, email: `${email}\r\nBcc: everyone@example.com` },
      env: other,
    });
    expect(injected.status).toBe(422);
    expect(fieldError(await injected.text(), "email")).toBe("Enter an email address like name@example.com.");
    expect(await mailTo(other.SUPPORT_EMAIL)).toHaveLength(0);
  });

  it("keeps no IP hash without a key", async () => {
    const email = uniqueEmail("nokey");
    await send("/contact", { form: { ...GOOD, email }, env: supportEnv() });
    expect((await storedFrom(email))[0]!.ip_hash).toBeNull();
  });

  it("a filled honeypot gets the same answer as a person, and nothing is stored or sent", async () => {
    const email = uniqueEmail("bot");
    const config = supportEnv();
    const res = await send("/contact", { form: { ...GOOD, email, contact_ref: "http://spam.example" }, env: config });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/contact?sent");
    expect(await storedFrom(email)).toHaveLength(0);
    expect(await mailTo(email)).toHaveLength(0);
    expect(await mailTo(config.SUPPORT_EMAIL)).toHaveLength(0);
    expect(await deliveredTo(email)).toHaveLength(0);
  });

  it("limits messages per IP: beyond the limit 429 with Retry-After, the form kept, nothing stored", async () => {
    const ip = randomIp();
    const email = uniqueEmail("chatty");
    const config = supportEnv();
    for (let i = 0; i < LIMITS.contactPerIp.max; i++) {
      const res = await send("/contact", {
        form: { ...GOOD, email, message: `${GOOD.message} #${i}` },
        ip,
        env: config,
      });
      expect(res.status, `message ${i + 1}`).toBe(303);
    }
    const refused = await send("/contact", {
      form: { ...GOOD, email, message: `${GOOD.message} one too many` },
      ip,
      env: config,
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    const html = await refused.text();
    expect(html).toContain("Too many messages from your network");
    expect(html).toContain(`${GOOD.message} one too many</textarea>`);
    expect(await storedFrom(email)).toHaveLength(LIMITS.contactPerIp.max);
    // Another network is not affected.
    expect((await send("/contact", { form: { ...GOOD, email }, env: config })).status).toBe(303);
  });

  it("acknowledges one address only so often, whatever the IP, so the form cannot flood an inbox", async () => {
    const victim = uniqueEmail("victim");
    const config = supportEnv();
    const attempts = LIMITS.contactAckPerEmail.max + 2;
    for (let i = 0; i < attempts; i++) {
      expect((await send("/contact", { form: { ...GOOD, email: victim }, env: config })).status).toBe(303);
    }
    expect(await storedFrom(victim)).toHaveLength(attempts); // support still gets every message
    expect((await mailTo(victim)).filter((m) => m.kind === "support_ack")).toHaveLength(LIMITS.contactAckPerEmail.max);
    expect((await mailTo(config.SUPPORT_EMAIL)).filter((m) => m.kind === "support_message")).toHaveLength(attempts);
  });

  it("refuses a cross-site POST (CSRF)", async () => {
    const email = uniqueEmail("csrf");
    const res = await send("/contact", { form: { ...GOOD, email }, origin: "https://evil.example", env: supportEnv() });
    expect(res.status).toBe(403);
    expect(await storedFrom(email)).toHaveLength(0);
  });
});
