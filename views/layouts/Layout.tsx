import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import { ConsentBanner } from "../components/Consent";
import { InlinePostButton } from "../components/InlinePostButton";
import { PrivacyNotice } from "../components/PrivacyNotice";
import { AccountMenu, Bell, SignedInAs } from "./HeaderParts";

export type Theme = "light" | "dark" | "system";

export interface LayoutProps {
  title: string;
  appName: string;
  assets: { htmx: string; css: string; js: string; palette?: string };
  nonce: string;
  theme: Theme;
  /** The path of this page, for the theme switch to come back to. */
  path: string;
  /** The signed-in user; `closed`: their workspace is closed, so the navigation offers only what still works. */
  user: {
    email: string;
    /** The workspace this page is rendered for: app.js sends it with the page's changes (src/middleware/page-workspace.tsx). */
    tenantId: string;
    tenantName: string;
    role: string;
    verified: boolean;
    billingState?: string;
    closed?: boolean;
  } | null;
  /** The route pattern of this app page, for our time-spent script (assets-src/app.js); null elsewhere. */
  usageRoute?: string | null;
  /** Google Analytics on this page (a consenting, signed-out visitor on a public page), or null. */
  analytics?: { loaderSrc: string; initSrc: string; measurementId: string } | null;
  /** Ask for analytics consent on this page. */
  consentBanner?: boolean;
  /** The page answers a refused form or request (a 4xx): app.js moves focus to its first error on load. */
  hasErrors?: boolean;
  /** A staff member is viewing the workspace through a support grant: the banner, and only the record pages. */
  support?: { staffName: string; access: "read" | "write"; expiresAt: string; exitHref: string } | null;
  /** The privacy policy changed since this user last saw it. */
  privacyNotice?: { version: string } | null;
  children: Child;
}

// htmx runs without eval, without its injected indicator style (app.css has it), keeps no copy of
// pages in localStorage (CRM records must not linger in the browser), and swaps 4xx/5xx pages so
// form errors and friendly error pages show up.
const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
  selfRequestsOnly: true,
  responseHandling: [
    { code: "204", swap: false },
    { code: "[2345]..", swap: true, error: false },
  ],
});

const THEMES: { value: Theme; label: string }[] = [
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
  { value: "system", label: "System" },
];

/** The page shell: header with navigation, main region, footer with legal links and theme switch. */
export function Layout(p: LayoutProps) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en" data-theme={p.theme}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${p.title} · ${p.appName}`}</title>
          <meta
            name="description"
            content={`${p.appName}: the CRM small businesses sell from: contacts, companies, deals and tasks.`}
          />
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <link rel="stylesheet" href={p.assets.css} />
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          <script src={p.assets.htmx} nonce={p.nonce} defer></script>
          <script src={p.assets.js} nonce={p.nonce} defer></script>
          {/* The command palette (Ctrl-K), for signed-in pages; it acts only where the header's search is. app.js
              loads it at the first Ctrl-K: most page loads never open it, and its start-up was on every one. */}
          {p.user && p.assets.palette ? <meta name="palette-src" content={p.assets.palette} /> : null}
          {p.analytics ? (
            <>
              <script src={p.analytics.loaderSrc} nonce={p.nonce} async></script>
              <script
                src={p.analytics.initSrc}
                nonce={p.nonce}
                data-measurement-id={p.analytics.measurementId}
                defer
              ></script>
            </>
          ) : null}
        </head>
        {/* Not boosted as a whole: htmx processes every link under a boosted element as a page loads (a third of its
            start-up on the contacts list). Only the navigation is boosted; links in the content and forms load pages. */}
        <body>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          {/* In the body, not <head>: a boosted navigation swaps only the body, so the head would keep the first page's. */}
          {p.usageRoute ? <div id="ct-route" data-route={p.usageRoute} hidden></div> : null}
          {/* The page's workspace, sent by app.js with every POST form and htmx change: a write from a page of another
              workspace than the session's now is refused. Not an attribute of <body>, which a boosted swap keeps. */}
          {p.user ? <div id="ct-workspace" data-workspace={p.user.tenantId} hidden></div> : null}
          <header class="site-header">
            <div class="inner">
              <a class="brand" href={p.user ? "/app" : "/"}>
                <img src="/favicon.svg" alt="" />
                <span class="brand-name">{p.appName}</span>
              </a>
              {p.user ? (
                // Phones: the navigation is folded from the first paint (no shift when scripts run). Without
                // scripts this link unfolds it (#site-nav:target); app.js makes it a button that toggles it.
                <a class="menu-toggle button secondary" href="#site-nav" aria-controls="site-nav">
                  Menu
                </a>
              ) : null}
              {/* With GA on the page, links load whole pages: a boosted swap would keep GA running on the next page. */}
              <nav class="site-nav" id="site-nav" aria-label="Main" hx-boost={p.analytics ? undefined : "true"}>
                {p.user && p.support ? (
                  <>
                    <a href="/app">Dashboard</a>
                    <a href="/app/contacts">Contacts</a>
                    <a href="/app/companies">Companies</a>
                    <a href="/app/deals">Deals</a>
                    <a href="/app/tasks">Tasks</a>
                    <a href="/app/reports">Reports</a>
                    <a href={p.support.exitHref} hx-boost="false">
                      Leave the support view
                    </a>
                  </>
                ) : p.user?.closed ? (
                  <>
                    <a href="/app/workspaces">Workspaces</a>
                    <SignedInAs email={p.user.email} tenantName={p.user.tenantName} closed />
                  </>
                ) : p.user ? (
                  <>
                    <form
                      class="global-search"
                      method="get"
                      action="/app/search"
                      role="search"
                      aria-label="Search the workspace"
                    >
                      <label for="global-q" class="visually-hidden">
                        Search contacts, companies, deals and tasks
                      </label>
                      <input
                        id="global-q"
                        type="search"
                        name="q"
                        placeholder="Search ( / )"
                        maxlength={100}
                        autocomplete="off"
                        aria-controls="global-results"
                        hx-get="/app/search"
                        hx-trigger="input changed delay:200ms, search"
                        hx-target="#global-results"
                        hx-sync="this:replace"
                      />
                      <div id="global-results" class="global-results" aria-live="polite"></div>
                    </form>
                    <a href="/app">Dashboard</a>
                    <a href="/app/contacts">Contacts</a>
                    <a href="/app/companies">Companies</a>
                    <a href="/app/deals">Deals</a>
                    <a href="/app/tasks">
                      Tasks <span class="nav-badge" data-fill="/app/tasks/badge"></span>
                    </a>
                    <a href="/app/reports">Reports</a>
                    <Bell />
                    <AccountMenu email={p.user.email} tenantName={p.user.tenantName} />
                  </>
                ) : (
                  <>
                    <a href="/login">Log in</a>
                    <a class="button" href="/signup">
                      Start free
                    </a>
                  </>
                )}
              </nav>
            </div>
          </header>
          {p.consentBanner ? <ConsentBanner back={p.path} /> : null}
          {p.user && p.support ? (
            <div class="support-banner" role="status">
              <p>
                <strong>Support view</strong> of {p.user.tenantName} · {p.support.staffName} ·{" "}
                {p.support.access === "read" ? "read-only" : "read and write"} · ends {p.support.expiresAt}. Every page
                you open here is shown to the workspace in its audit trail.
              </p>
            </div>
          ) : null}
          {/* data-role: the reader's role, so the palette and the `t` key offer only what answers them (app.js, palette.js).
              data-has-errors: the page answers a refused form, so app.js focuses the first error (not every browser
              exposes the navigation's response status). Both on <main>, which every full page and boosted swap renders anew. */}
          <main id="main" tabindex={-1} data-role={p.user?.role} data-has-errors={p.hasErrors ? "true" : undefined}>
            {p.user && p.privacyNotice ? <PrivacyNotice version={p.privacyNotice.version} back={p.path} /> : null}
            {p.user && !p.user.verified ? (
              <div class="flash warn verify-banner" role="status">
                <p>
                  Please confirm your email address: we sent a link to <strong>{p.user.email}</strong>. Until then you
                  cannot invite your team or set up API keys, webhooks and calendar feeds, and we send you no optional
                  email (task reminders, the daily agenda, mentions, the weekly digest).
                </p>
                <InlinePostButton action="/verify-email/resend">Send the link again</InlinePostButton>
              </div>
            ) : null}
            {p.user?.billingState === "past_due" ? (
              <div class="flash warn verify-banner" role="status">
                {p.user.role === "owner" ? (
                  <p>
                    The last payment for {p.user.tenantName} did not go through, so the Free plan's limits apply until
                    it does. Nothing is deleted. <a href="/app/settings/billing">Update the payment method</a>
                  </p>
                ) : (
                  <p>
                    The last payment for {p.user.tenantName} did not go through, so the Free plan's limits apply until
                    it does. Nothing is deleted. Please ask the workspace owner to update the payment method.
                  </p>
                )}
              </div>
            ) : null}
            {p.children}
            {/* One region that outlives htmx swaps: app.js says here what a swapped [data-announce] says. */}
            <p id="live-announce" class="visually-hidden" role="status"></p>
          </main>
          <footer class="site-footer">
            <div class="inner">
              <span>© {p.appName}</span>
              <a href="/privacy">Privacy</a>
              <a href="/terms">Terms</a>
              <a href="/cookies">Cookies</a>
              <a href="/cookies#cookie-settings">Cookie settings</a>
              <a href="/contact">Contact</a>
              <form class="inline-form" method="post" action="/preferences/theme">
                <input type="hidden" name="back" value={p.path} />
                <fieldset class="theme-switch">
                  <legend>Theme</legend>
                  {THEMES.map((t) => (
                    <button
                      type="submit"
                      name="theme"
                      value={t.value}
                      aria-pressed={p.theme === t.value ? "true" : "false"}
                    >
                      {t.label}
                    </button>
                  ))}
                </fieldset>
              </form>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
