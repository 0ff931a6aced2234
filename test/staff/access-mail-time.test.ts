/**
 * The mail telling an owner that support access has started says when it ends in their own zone, written their
 * way (not a bare UTC time an owner in Los Angeles or Berlin must convert), the same in its text and HTML.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { lastMail } from "../helpers/mail";
import { newTenant } from "../helpers/tenants";
import { giveAccess } from "./helpers";

afterEach(() => {
  vi.useRealTimers();
});

const readable = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("the support access started mail", () => {
  it.each([
    // Given at 14:00 UTC on 1 March 2027 for an hour: it ends at 15:00 UTC.
    { zone: "America/Los_Angeles", locale: "en-US", ends: "3/1/2027, 7:00 AM PST" },
    { zone: "Europe/Berlin", locale: "de-DE", ends: "1.3.2027, 16:00 MEZ" },
  ])("says when access ends in the owner's zone and locale ($locale, $zone)", async ({ zone, locale, ends }) => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.UTC(2027, 2, 1, 14, 0));
    const owner = await newTenant(`Access Time ${locale} Co`);
    await env.DB.prepare("UPDATE users SET time_zone = ?, locale = ? WHERE email = ?")
      .bind(zone, locale, owner.email)
      .run();
    await giveAccess(owner.cookie, "read", "1h");
    const mail = await lastMail(owner.email, "support_access_started");
    expect(mail.text_body).toContain(`It ends by itself at ${ends}; you can end it earlier`);
    expect(readable(mail.html_body)).toContain(`It ends by itself at ${ends}; you can end it earlier`);
    expect(mail.text_body).not.toContain("UTC");
  });
});
