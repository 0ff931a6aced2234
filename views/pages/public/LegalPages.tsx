import type { Child } from "hono/jsx";
import { CookieSettings, type ConsentChoiceValue } from "../../components/Consent";
import { TableHead } from "../../components/TableHead";
import { UsageCookieNote, type UsageDisclosure, UsageDataSection } from "../../components/UsageDisclosure";

export interface CookieRow {
  name: string;
  category: string;
  purpose: string;
  lifetime: string;
}

/** The periods the privacy policy states (src/lib/legal.ts RETENTION). */
export interface RetentionPeriods {
  closureGraceDays: number;
  billingLedgerYears: number;
  backupDays: number;
  requestLogDays: number;
  supportMessageDays: number;
  auditLogDays: number;
  mailBodyDays: number;
  importFileDays: number;
  importUndoDays: number;
  digestRunDays: number;
  exportArchiveHours: number;
  apiAnswerHours: number;
  consentRecordDays: number;
  trashDays: number;
}

function Legal(p: { title: string; updated: string; children: Child }) {
  return (
    <article class="prose card">
      <h1>{p.title}</h1>
      <p class="muted">
        Last updated: <time datetime={p.updated}>{p.updated}</time>
      </p>
      {p.children}
    </article>
  );
}

function ContactLine() {
  return (
    <p>
      Questions or requests: write to us through our <a href="/contact">contact page</a>.
    </p>
  );
}

/** Our privacy policy, in our own words, describing what the code does. */
export function PrivacyPage(p: { updated: string; retention: RetentionPeriods; usage: UsageDisclosure }) {
  const r = p.retention;
  return (
    <Legal title="Privacy policy" updated={p.updated}>
      <p>
        CustomerTrackr is a customer-relationship manager that businesses rent by the month. This page says what
        personal information we collect, why, who else handles it, how long we keep it, and what you can do about it.
        "We" is CustomerTrackr; "you" is anyone who visits our site, signs up, or writes to us.
      </p>

      <h2 id="collect">1. What we collect</h2>
      <h3>What you give us</h3>
      <ul>
        <li>
          <strong>Your account:</strong> your email address, your name if you give it, your company's name, and when you
          confirmed that you are 18 or older and accepted our terms. Your password is kept only as a salted scrypt hash:
          nobody, us included, can read it.
        </li>
        <li>
          <strong>What your business stores:</strong> the contacts, companies, deals (with their amounts, the people on
          them and their roles, and each move between stages), pipelines and their stages, lost reasons, notes, tasks
          (with their due dates, assignees and whether they are done), the calls, meetings and emails your team logs
          (when, how long, the outcome, notes and who logged each), tags and custom fields your team puts into
          CustomerTrackr, and files you import. They belong to your business. We keep them to provide the service and
          look at them only when you ask us to: our support staff can open your workspace only while its owner or an
          admin gives them access in Settings → Support access (read-only or read and write, for up to 7 days, ended at
          any moment), and every page they view is listed there and in your audit trail. Only a legal or security
          emergency, approved by two of our admins, opens it without that, and you are told in your trail and by email.
        </li>
        <li>
          <strong>Payments:</strong> Stripe collects and processes card details on its own pages; they never reach our
          servers. We give Stripe the workspace owner's email address and the workspace name, and keep only Stripe's
          customer and subscription references and which plan you are on.
        </li>
        <li>
          <strong>Messages to us:</strong> when you use the <a href="/contact">contact page</a> we keep your name, email
          address and message, and a keyed one-way hash of your network address (never the address itself) to spot
          abuse.
        </li>
        <li>
          <strong>Your settings:</strong> what you change in your profile and settings, such as your email preferences,
          your time zone and the format you read numbers and dates in.
        </li>
        <li id="calendar-feed">
          <strong>Your calendar feed:</strong> off unless you turn it on in your profile, one for each workspace. Then a
          private address lets your calendar app read your own open tasks in that workspace (their titles, times and the
          names of the contacts, companies or deals they belong to) and the names and expected close dates of your own
          open deals there: nothing else, no email addresses, phone numbers, notes or descriptions. We keep only a hash
          of the secret in the address, when you turned the feed on and, at most hourly, when a calendar last read it.
          Anyone who holds the address can read the feed, so keep it private; if you shared it, give it a new address in
          your profile (the old one stops working at once) or turn the feed off.
        </li>
      </ul>
      <h3>What we collect automatically</h3>
      <ul>
        <li>
          <strong>Sessions:</strong> for each signed-in browser, when it signed in and was last active, its IP address
          and its browser description, so you can recognise and end your sessions and we can spot abuse.
        </li>
        <li>
          <strong>Request logs:</strong> for each request, the time, the page (without its query string), the result,
          your IP address, your browser description and your account's identifiers. Never what you typed, your cookies
          or your password. Our host keeps them for {r.requestLogDays} days.
        </li>
        <li>
          <strong>The audit trail:</strong> security-relevant actions in your workspace (sign-ins, invitations, role
          changes, deletions, exports), with who did them, when, from which IP address and browser. Owners and admins of
          the workspace can read it.
        </li>
        <li>
          <strong>Reminders and mentions:</strong> when a task assigned to you reminds you, or a colleague mentions you
          in a note, the entry in the app (the bell: what it said, when, and when you read it) and which reminders were
          sent, so that each goes only once. They are part of your workspace and go with it, and with your account; a
          mention's entry also goes with its note.
        </li>
        <li>
          <strong>Abuse counters:</strong> to slow down password guessing and spam we count recent attempts per network
          address and per account, stored only as one-way hashes.
        </li>
        <li>
          <strong>Usage of our public pages:</strong> only if you accept analytics cookies, Google Analytics measures
          which of our public pages are visited (see <a href="#third-parties">who else handles your information</a>).
          Google Analytics never runs inside the app.
        </li>
        <li>
          <UsageDataSection usage={p.usage} />
        </li>
        <li>
          <strong>Your cookie choice:</strong> a random id, whether you accepted or rejected analytics cookies, the date
          of the cookie policy you were shown and when you chose. No IP address.
        </li>
      </ul>

      <h2 id="use">2. How we use it</h2>
      <ul>
        <li>to run the service: sign you in, store and show your records, bill your subscription;</li>
        <li>
          to send the emails the service needs (sign-up confirmation, password resets, invitations, billing and security
          notices) and the ones you chose to get;
        </li>
        <li>to answer your messages and requests;</li>
        <li>to keep the service secure: to detect abuse and fix what breaks;</li>
        <li>to see which pages and features of the app are used, and how long, to run and improve it;</li>
        <li>with your consent only, to see how our public pages are used;</li>
        <li>
          to meet our legal obligations and enforce our <a href="/terms">terms</a>.
        </li>
      </ul>
      <p>We do not use the records your business stores for any purpose of our own, and we show no advertising.</p>

      <h2 id="cookies">3. Cookies</h2>
      <p>
        We set essential cookies (to keep you signed in and remember your cookie choice), a preference cookie once you
        pick a colour scheme, and, only if you accept them, Google Analytics cookies on our public pages. Every cookie,
        with its purpose and lifetime, is listed on our <a href="/cookies">cookies page</a>, where you can also change
        your choice at any time ("Cookie settings" at the bottom of every page).
      </p>

      <h2 id="third-parties">4. Who else handles your information</h2>
      <ul>
        <li>
          <strong>Cloudflare</strong> runs our servers, database, file storage and email delivery.
        </li>
        <li>
          <strong>Stripe</strong> processes payments. Its use of your information is governed by Stripe's privacy
          policy.
        </li>
        <li>
          <strong>Google Analytics</strong>, only after you accept analytics cookies, only on our public pages (never
          inside the app, where your business's data is) and only while you are signed out. We send it the page's
          address without its query string, and we have turned off Google signals and ad personalisation. Google's use
          of the data is governed by Google's privacy policy.
        </li>
        <li>
          <strong>Sentry</strong> receives a report when something breaks on our side. Before a report leaves we remove
          cookies, authorisation headers, query strings, IP addresses and anything typed into forms.
        </li>
      </ul>
      <p>They act on our instructions and may use the information only to provide their service to us.</p>

      <h2 id="sharing">5. Sharing</h2>
      <p>
        <strong>We do not sell, rent or trade personal information.</strong> Besides the providers above, we share it
        only when the law requires it (a valid request from a court or authority), to protect the rights and safety of
        our users or ourselves (fraud, abuse), as part of a merger or sale of our business (the buyer keeps this
        policy's promises), or when you ask us to.
      </p>

      <h2 id="security">6. Security</h2>
      <ul>
        <li>every connection is encrypted (TLS, with HSTS so browsers never fall back to plain HTTP);</li>
        <li>
          passwords are hashed with scrypt; session tokens, emailed links and calendar feed addresses are stored only as
          hashes;
        </li>
        <li>every workspace's data is kept apart, and every request is checked against the member's role;</li>
        <li>
          the sign-in cookie cannot be read by scripts and is sent only over encrypted connections; pages carry a strict
          Content Security Policy;
        </li>
        <li>actions that matter are written to an append-only audit trail.</li>
      </ul>
      <p>
        No system is perfectly secure. Keep your password to yourself, and if you think your account has been misused,
        end your other sessions in your security settings and tell us through the <a href="/contact">contact page</a>.
      </p>

      <h2 id="rights">7. Your rights and choices</h2>
      <ul>
        <li>
          <strong>Access:</strong> your profile settings show the personal information we hold about you: your details,
          your signed-in sessions, audit entries about you, your cookie choices and your email preferences.
        </li>
        <li>
          <strong>Correction:</strong> change your details in your profile. A new email address is used once you confirm
          it from the link we send to it. Or ask us through the contact page.
        </li>
        <li>
          <strong>Portability:</strong> "Download my data" in your privacy settings builds one ZIP file with your
          account's data (and, for owners and admins, the workspace's records) as JSON and CSV, with a manifest
          describing every file. The download link works for {r.exportArchiveHours} hours. Lists can also be exported as
          CSV, JSON or vCard at any time.
        </li>
        <li>
          <strong>Deletion:</strong> the owner can close the workspace in its settings. Everyone is signed out at once,
          the subscription is cancelled, and the workspace can be reopened from an emailed link for {r.closureGraceDays}{" "}
          days; after that everything in it is erased. A member can delete their own account. A workspace can erase any
          of its contacts completely, and keep a suppression list so a later import skips them; that list holds only a
          keyed hash of the email address. An erased contact's row in an uploaded import file, or in its error report or
          preview, is deleted with that file, {r.importFileDays} days after the upload. You can also ask us to delete
          your account through the contact page.
        </li>
        <li>
          <strong>Opting out of email:</strong> besides the essential emails (security, account and billing, which are
          labelled as such) we send a weekly activity digest, on until you turn it off, and product news, off until you
          turn it on. The digest only counts what your workspaces added in the week, never what the records say. Task
          reminders by email are on until you turn them off (the reminder in the app stays); the daily agenda, at 07:00
          in your time zone with your tasks due that day and the overdue ones, is off until you turn it on. An email
          when a colleague mentions you in a note (who, and a link; never the note's words) is on until you turn it off.
          Each of them has a one-click unsubscribe link, and your profile holds the same switches.
        </li>
        <li>
          <strong>Analytics:</strong> reject or withdraw consent at any time under "Cookie settings" at the bottom of
          every page.
        </li>
      </ul>
      <p>
        To use a right we cannot offer in the app, write to us through the <a href="/contact">contact page</a>. We may
        ask you to confirm that the account is yours before we act, and we answer every request.
      </p>

      <h2 id="retention">8. How long we keep it</h2>
      <ul>
        <li>your account and your workspace's records: while the account is open;</li>
        <li>
          after a workspace is closed: {r.closureGraceDays} days in which it can be reopened, then everything in it is
          erased. We keep only a minimal billing ledger the law requires (invoice references, amounts, dates and the
          closure date; no contact data) for {r.billingLedgerYears} years;
        </li>
        <li>
          backups: our database's point-in-time restore copies (Cloudflare D1 Time Travel) age out within {r.backupDays}{" "}
          days, so erased data is gone from them too after that;
        </li>
        <li>messages sent through the contact page: {r.supportMessageDays} days;</li>
        <li>the audit trail: {r.auditLogDays} days;</li>
        <li>
          copies of the emails we sent, and of emails we could not deliver: {r.mailBodyDays} days after they were
          written; then the whole record of the email goes, including the address it was sent to (an email still waiting
          for a retry by then is never sent);
        </li>
        <li>
          uploaded import files and their error reports and previews: {r.importFileDays} days after the upload, then
          deleted. A contact you erase stays in the file that imported them, and in its error report and preview, until
          then, and goes with it;
        </li>
        <li>
          what an import changed (the values it replaced, so that it can be undone): {r.importUndoDays} days after the
          import; after that it can no longer be undone;
        </li>
        <li>
          deleted contacts, companies, deals, notes and tasks wait in the workspace's trash, restorable, for{" "}
          {r.trashDays} days after they were deleted; then they are deleted for good. Erasing a person on request skips
          the trash and also removes them from it at once;
        </li>
        <li>
          the weekly digest's record of each run (the week and how far the sending got; no content): {r.digestRunDays}{" "}
          days;
        </li>
        <li>data-export archives: {r.exportArchiveHours} hours;</li>
        <li>
          the API's answers to requests sent with an Idempotency-Key (which can contain the records they wrote), kept to
          answer a retried request the same way: {r.apiAnswerHours} hours;
        </li>
        <li>the record of each cookie choice (our proof of your consent or refusal): {r.consentRecordDays} days;</li>
        <li>
          usage of the app: raw records at most {p.usage.rawEventDays} days, daily totals {p.usage.dailyAggregateMonths}{" "}
          months;
        </li>
        <li>
          sign-in sessions: deleted after 7 days without use; emailed links: deleted when they expire; abuse counters:
          one day;
        </li>
        <li>request logs: {r.requestLogDays} days.</li>
      </ul>

      <h2 id="children">9. Children</h2>
      <p>
        CustomerTrackr is for people aged 18 and over, and sign-up asks you to confirm your age. If you learn that
        someone younger has given us personal information, tell us through the contact page and we will delete it at
        once.
      </p>

      <h2 id="transfers">10. Where your information is processed</h2>
      <p>
        Cloudflare serves each request from a data centre near you, and our providers may process information in other
        countries, including the United States, where data-protection law may differ from yours.
      </p>

      <h2 id="california">11. California residents</h2>
      <p>
        The California Consumer Privacy Act (CCPA) gives you the right to know what personal information we collect, use
        and disclose (the categories are in sections 1 to 5, and "Download my data" gives you a copy), the right to
        delete it, the right to correct it, the right to opt out of its sale or sharing, and the right not to be treated
        differently for using these rights.{" "}
        <strong>
          We do not sell personal information, and we do not share it for cross-context behavioural advertising.
        </strong>{" "}
        Use your rights in the app or through the <a href="/contact">contact page</a>.
      </p>

      <h2 id="changes">12. Changes to this policy</h2>
      <p>
        When we change this policy we change the date at the top. Signed-in users see a notice about it once, until they
        dismiss it.
      </p>

      <h2 id="contact">13. Contact</h2>
      <ContactLine />

      <h2 id="law">14. Governing law</h2>
      <p>This policy is governed by the laws of the State of California.</p>
    </Legal>
  );
}

/** Our terms of service, briefly and plainly. */
export function TermsPage(p: { updated: string; closureGraceDays: number }) {
  return (
    <Legal title="Terms of service" updated={p.updated}>
      <p>These terms apply between your business and CustomerTrackr when you use the service.</p>
      <h2>Your account</h2>
      <p>
        You must be 18 or older and able to act for the business that signs up. Keep your password to yourself; you are
        responsible for what happens under your account.
      </p>
      <h2>Your data</h2>
      <p>
        What you store in CustomerTrackr remains yours. You may export it at any time. You must have the right to store
        the personal data of the people you keep in it, and you must honour their requests (for example, to erase them).
        How we handle personal information is described in our <a href="/privacy">privacy policy</a>.
      </p>
      <h2>Plans and payment</h2>
      <p>
        The Free plan costs nothing and has limits. The Team plan is paid monthly or yearly through Stripe and can be
        cancelled at any time in the billing portal; it then runs to the end of the period paid for. If a payment fails,
        the Free plan's limits apply until it succeeds; nothing is deleted.
      </p>
      <h2>Closing your account</h2>
      <p>
        The owner can close the workspace at any time. It can be reopened for {p.closureGraceDays} days; after that its
        data is erased.
      </p>
      <h2>Acceptable use</h2>
      <p>Do not use the service to send spam, to break the law, or to attack the service or other customers.</p>
      <h2>Changes</h2>
      <p>When we change these terms we update the date above.</p>
      <h2>Governing law</h2>
      <p>These terms are governed by the laws of the State of California.</p>
      <ContactLine />
    </Legal>
  );
}

const CATEGORY_LABELS: Record<string, string> = {
  essential: "Essential",
  preference: "Preference",
  analytics: "Analytics (only with your consent)",
};

/** Every cookie we set, rendered from the list the code uses (src/lib/cookies.ts), and the cookie settings. */
export function CookiesPage(p: {
  updated: string;
  cookies: CookieRow[];
  usage: UsageDisclosure;
  settings: { configured: boolean; analytics: ConsentChoiceValue | null; back: string };
}) {
  return (
    <Legal title="Cookies" updated={p.updated}>
      <p>
        These are all the cookies CustomerTrackr sets. <strong>Essential</strong> cookies make the site work and are
        always on. The <strong>preference</strong> cookie is set only when you pick a colour scheme.{" "}
        <strong>Analytics</strong> cookies belong to Google Analytics and are set only if you accept them, only on our
        public pages, never inside the app, and only while you are signed out. We set no advertising cookies.
      </p>
      <table>
        <caption class="muted">Cookies we set</caption>
        <TableHead columns={["Name", "Kind", "Purpose", "Lifetime"]} />
        <tbody>
          {p.cookies.map((c) => (
            <tr>
              <td>
                <code>{c.name}</code>
              </td>
              <td data-label="Kind">{CATEGORY_LABELS[c.category] ?? c.category}</td>
              <td data-label="Purpose">{c.purpose}</td>
              <td data-label="Lifetime">{c.lifetime}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <UsageCookieNote usage={p.usage} />
      <CookieSettings configured={p.settings.configured} analytics={p.settings.analytics} back={p.settings.back} />
      <p>
        You can also delete cookies or block them in your browser's settings. Blocking essential cookies stops you from
        signing in.
      </p>
      <ContactLine />
    </Legal>
  );
}
