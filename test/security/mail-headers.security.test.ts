/**
 * Typed text never becomes a mail header of its own: a subject is one line whatever a name holds. A form field in
 * a browser drops line breaks, but a direct POST keeps them, and a provider may read "\r\nBcc: …" as a header.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";

describe("mail subjects", () => {
  it("hold no line break or control character from a typed name (the contact form, signed out)", async () => {
    const marker = `crlf-${Date.now()}`;
    const res = await send("/contact", {
      form: { name: `${marker}\r\nBcc: victim@example.com`, email: "sender@example.com", message: "Hello there" },
    });
    expect(res.status).toBe(303);
    const rows = await env.DB.prepare("SELECT subject FROM email_outbox WHERE subject LIKE ?")
      .bind(`%${marker}%`)
      .all<{ subject: string }>();
    expect(rows.results.length).toBeGreaterThan(0);
    for (const { subject } of rows.results) {
      expect(subject).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(subject).toContain(`${marker} Bcc: victim@example.com`);
    }
  });
});
