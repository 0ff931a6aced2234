import type { Child } from "hono/jsx";

export interface CookieRow {
  name: string;
  category: string;
  purpose: string;
  lifetime: string;
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

export const LEGAL_UPDATED = "2026-11-26";

/** Our privacy policy, in our own words, describing what the code does today. */
export function PrivacyPage() {
  return (
    <Legal title="Privacy policy" updated={LEGAL_UPDATED}>
      <p>
        CustomerTrackr is a customer-relationship manager that businesses rent by the month. This page says what we
        collect about you, why, and what you can do about it.
      </p>
      <h2>What we collect</h2>
      <ul>
        <li>
          <strong>Your account:</strong> your email address, your company's name, and when you confirmed that you are 18
          or older and accepted our terms. Your password is stored only as a salted scrypt hash; nobody, us included,
          can read it.
        </li>
        <li>
          <strong>What your team stores:</strong> the contacts, companies and notes you put into CustomerTrackr belong
          to your business. We keep them to provide the service and look at them only when you ask us to.
        </li>
        <li>
          <strong>Sessions:</strong> for each signed-in browser we keep when it signed in, when it was last active, its
          IP address and its browser description, so you can recognise your sessions and we can spot abuse.
        </li>
        <li>
          <strong>Request logs:</strong> for each request, the time, the page (without its query string), the result,
          your IP address, your browser description and your account's identifiers. Never what you typed, your cookies
          or your password.
        </li>
        <li>
          <strong>Abuse counters:</strong> to slow down password guessing we count recent sign-in attempts per network
          address and per account, stored as one-way hashes.
        </li>
      </ul>
      <h2>Error reports</h2>
      <p>
        When something breaks on our side we may send a report to Sentry, our error-tracking provider. Before it leaves
        we remove cookies, authorisation headers, query strings, IP addresses and anything typed into forms.
      </p>
      <h2>Cookies</h2>
      <p>
        We use only the cookies listed on our <a href="/cookies">cookies page</a>.
      </p>
      <h2>Who we share with</h2>
      <p>We do not sell, rent or trade personal information, and we never have.</p>
      <h2>Age</h2>
      <p>CustomerTrackr is for people aged 18 and over. Sign-up asks you to confirm your age.</p>
      <h2>Your rights</h2>
      <p>
        You can see and correct your details in your account, ask for a copy of your data, and ask us to delete your
        account. California residents have the rights the CCPA gives them, including to know and to delete; we do not
        sell personal information.
      </p>
    </Legal>
  );
}

/** Our terms of service, briefly and plainly. */
export function TermsPage() {
  return (
    <Legal title="Terms of service" updated={LEGAL_UPDATED}>
      <p>These terms apply between your business and CustomerTrackr when you use the service.</p>
      <h2>Your account</h2>
      <p>
        You must be 18 or older and able to act for the business that signs up. Keep your password to yourself; you are
        responsible for what happens under your account.
      </p>
      <h2>Your data</h2>
      <p>
        What you store in CustomerTrackr remains yours. You may export it at any time. You must have the right to store
        the personal data of the people you keep in it.
      </p>
      <h2>Acceptable use</h2>
      <p>Do not use the service to send spam, to break the law, or to attack the service or other customers.</p>
      <h2>Changes</h2>
      <p>When we change these terms we update the date above and tell signed-in users.</p>
    </Legal>
  );
}

/** Every cookie we set, rendered from the list the code uses. */
export function CookiesPage(p: { cookies: CookieRow[] }) {
  return (
    <Legal title="Cookies" updated={LEGAL_UPDATED}>
      <p>These are all the cookies CustomerTrackr sets. We set no advertising or tracking cookies.</p>
      <table>
        <caption class="muted">Cookies we set</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Purpose</th>
            <th scope="col">Lifetime</th>
          </tr>
        </thead>
        <tbody>
          {p.cookies.map((c) => (
            <tr>
              <td>
                <code>{c.name}</code>
              </td>
              <td>{c.category}</td>
              <td>{c.purpose}</td>
              <td>{c.lifetime}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Legal>
  );
}
