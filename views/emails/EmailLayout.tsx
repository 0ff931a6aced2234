import type { Child } from "hono/jsx";
import { raw } from "hono/html";

/** The HTML frame of every email. Inline styles: mail clients ignore style sheets. */
export function EmailLayout(p: {
  appName: string;
  preheader: string;
  essential: boolean;
  children: Child;
  /** Replaces the footer line, for mail to someone who may have no account (the contact form's). */
  note?: string;
  /** Non-essential mail: its one-click unsubscribe link. */
  unsubscribeHref?: string;
}) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
        </head>
        <body style="margin:0;padding:24px;background:#f7f8fa;font-family:system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif;color:#16181d;line-height:1.5">
          <div style="display:none;max-height:0;overflow:hidden">{p.preheader}</div>
          <div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d5d9e0;border-radius:8px;padding:24px">
            <p style="font-weight:700;margin:0 0 16px">{p.appName}</p>
            {p.children}
          </div>
          <p style="max-width:560px;margin:16px auto 0;color:#4a5160;font-size:13px">
            {p.note ? (
              p.note
            ) : p.essential ? (
              `This is an essential message about your ${p.appName} account. It is sent whatever your email preferences.`
            ) : (
              <>
                You get this because it is on in your {p.appName} email preferences.{" "}
                {p.unsubscribeHref ? (
                  <a href={p.unsubscribeHref} style="color:#4a5160">
                    Unsubscribe
                  </a>
                ) : null}{" "}
                or change your choices in your profile.
              </>
            )}
          </p>
        </body>
      </html>
    </>
  );
}

/** A call-to-action link styled as a button, with the plain URL below for clients that hide buttons. */
export function EmailButton(p: { href: string; label: string }) {
  return (
    <>
      <p style="margin:24px 0">
        <a
          href={p.href}
          style="display:inline-block;background:#1d4ed8;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600"
        >
          {p.label}
        </a>
      </p>
      <p style="font-size:13px;color:#4a5160;word-break:break-all">Or paste this link into your browser: {p.href}</p>
    </>
  );
}
