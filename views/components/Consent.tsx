/** The analytics consent banner, its answer, and the same choice on the cookies page. */
export type ConsentChoiceValue = "accepted" | "rejected";

/**
 * Two buttons of the same kind and size, side by side, in the tab order: rejecting is as easy as
 * accepting. A plain POST without JavaScript (then back to `back`); with htmx only `target` is
 * replaced, so the page does not reload.
 */
export function ConsentChoiceForm(p: { back: string; target: string }) {
  return (
    <form
      class="consent-choices"
      method="post"
      action="/consent"
      hx-post="/consent"
      hx-target={`#${p.target}`}
      hx-swap="outerHTML"
    >
      <input type="hidden" name="back" value={p.back} />
      <button type="submit" class="consent-choice" name="analytics" value="accept">
        Accept analytics cookies
      </button>
      <button type="submit" class="consent-choice" name="analytics" value="reject">
        Reject analytics cookies
      </button>
    </form>
  );
}

/** Asks signed-out visitors of public pages, until they choose. */
export function ConsentBanner(p: { back: string }) {
  return (
    <section id="consent-banner" class="consent-banner" aria-labelledby="consent-heading">
      <div class="inner">
        <h2 id="consent-heading">Cookies on this site</h2>
        <p>
          We use essential cookies to make this site work. With your permission we would also use Google Analytics
          cookies on our public pages, to count visits and see which pages help. Analytics never runs inside the app,
          where your data is. <a href="/cookies">Read the cookie policy</a>.
        </p>
        <ConsentChoiceForm back={p.back} target="consent-banner" />
      </div>
    </section>
  );
}

function choiceText(analytics: ConsentChoiceValue) {
  return analytics === "accepted"
    ? "You accepted analytics cookies. Google Analytics runs on our public pages from the next page you open, never inside the app."
    : "You rejected analytics cookies. We set none, and Google Analytics does not run for you.";
}

/** What replaces the banner once the visitor has chosen (htmx). */
export function ConsentBannerAnswer(p: { analytics: ConsentChoiceValue }) {
  return (
    <section id="consent-banner" class="consent-banner" aria-labelledby="consent-heading">
      <div class="inner" role="status">
        <h2 id="consent-heading">Cookies on this site</h2>
        <p>
          {choiceText(p.analytics)} You can change this at any time under{" "}
          <a href="/cookies#cookie-settings">Cookie settings</a> at the bottom of every page.
        </p>
      </div>
    </section>
  );
}

/** The "Cookie settings" section of /cookies: the current choice and the same two buttons. */
export function CookieSettings(p: {
  configured: boolean;
  analytics: ConsentChoiceValue | null;
  back: string;
  saved?: boolean;
}) {
  return (
    <section id="cookie-settings" class="card stack" aria-labelledby="cookie-settings-heading">
      <h2 id="cookie-settings-heading">Cookie settings</h2>
      {p.configured ? (
        <>
          <p role={p.saved ? "status" : undefined}>
            {p.analytics ? choiceText(p.analytics) : "You have not chosen yet, so analytics cookies are off."}
          </p>
          <p class="muted">Essential cookies are always on: the site cannot work without them.</p>
          <ConsentChoiceForm back={p.back} target="cookie-settings" />
        </>
      ) : (
        <p>
          This site does not use analytics cookies at the moment, so there is nothing to choose: only essential and
          preference cookies are set.
        </p>
      )}
    </section>
  );
}
