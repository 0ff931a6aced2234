/** What the privacy and cookies pages say about first-party usage data, rendered from its definitions. */

/** The definitions' disclosure (src/services/usage/definitions.ts usageDisclosure()). */
export interface UsageDisclosure {
  collected: { label: string; detail: string }[];
  features: { name: string; meaning: string }[];
  withEach: string[];
  never: string[];
  rawEventDays: number;
  dailyAggregateMonths: number;
  deviceClasses: string[];
}

/** The full statement: what is collected, with what, what never, and for how long. */
export function UsageDataSection(p: { usage: UsageDisclosure }) {
  const u = p.usage;
  return (
    <div id="usage-data">
      <p>
        <strong>Usage of the app:</strong> while you are signed in, we record how the app is used, ourselves, to run and
        improve it:
      </p>
      <ul>
        {u.collected.map((c) => (
          <li>
            <strong>{c.label}:</strong> {c.detail}
          </li>
        ))}
      </ul>
      <p>The features we count:</p>
      <ul class="usage-features">
        {u.features.map((f) => (
          <li>
            <code>{f.name}</code>: {f.meaning}
          </li>
        ))}
      </ul>
      <p>
        With each we keep {u.withEach.join(", ")} ({u.deviceClasses.join(", ")}), and nothing else: {u.never.join("; ")}
        . Staff looking at a workspace to help its team are not counted.
      </p>
      <p>
        Raw usage records are kept at most {u.rawEventDays} days; daily totals made from them are kept{" "}
        {u.dailyAggregateMonths} months. Workspace owners and admins see their own team's totals on the reports page.
        Your daily totals are in your data export, and go when you delete your account. The raw records are held in our
        host's analytics store (Cloudflare Workers Analytics Engine), which cannot delete one person's records: after
        you delete your account, yours stay there, no longer used, until they expire (at most {u.rawEventDays} days
        after they were made).
      </p>
    </div>
  );
}

/** The cookies page's sentence: our usage script sets no cookie. */
export function UsageCookieNote(p: { usage: UsageDisclosure }) {
  return (
    <p id="usage-no-cookie">
      Inside the app we record pages viewed, features used and time spent ourselves (see the{" "}
      <a href="/privacy#usage-data">privacy policy</a>): {p.usage.never.join("; ")}. Raw records are kept at most{" "}
      {p.usage.rawEventDays} days, daily totals {p.usage.dailyAggregateMonths} months.
    </p>
  );
}
