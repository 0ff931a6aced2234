import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import { InlinePostButton } from "../components/InlinePostButton";

export interface StaffLayoutProps {
  title: string;
  assets: { css: string; js: string; htmx: string };
  nonce: string;
  theme: "light" | "dark" | "system";
  staff: { name: string; role: string } | null;
  children: Child;
}

/** The staff console's shell: plainly not the customer app, with the console's own navigation. */
export function StaffLayout(p: StaffLayoutProps) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en" data-theme={p.theme}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${p.title} · CustomerTrackr staff console`}</title>
          <link rel="stylesheet" href={p.assets.css} />
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          <script src={p.assets.js} nonce={p.nonce} defer></script>
        </head>
        <body class="staff-console">
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <div class="inner">
              <a class="brand" href="/staff">
                <img src="/favicon.svg" alt="" />
                Staff console
              </a>
              {p.staff ? (
                <nav class="site-nav" aria-label="Console">
                  <a href="/staff">Find a workspace</a>
                  {p.staff.role === "billing" ? null : <a href="/staff/accounts">Find an account</a>}
                  {p.staff.role === "admin" ? (
                    <>
                      <a href="/staff/break-glass">Break-glass</a>
                      <a href="/staff/accounts/erasures">Second-admin requests</a>
                      <a href="/staff/team">Staff</a>
                      <a href="/staff/usage">Usage</a>
                    </>
                  ) : null}
                  <span class="who">
                    {p.staff.name} · {p.staff.role}
                  </span>
                  <InlinePostButton action="/staff/logout" buttonClass="link">
                    Sign out
                  </InlinePostButton>
                </nav>
              ) : null}
            </div>
          </header>
          <main id="main" tabindex={-1}>
            {p.children}
          </main>
        </body>
      </html>
    </>
  );
}
