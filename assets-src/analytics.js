// Google Analytics (GA4) set-up. The server includes this file, and GA's loader, only on public
// pages for signed-out visitors who accepted analytics cookies (src/lib/consent.ts); never on /app.
(() => {
  const script = document.currentScript;
  const id = script?.getAttribute("data-measurement-id");
  if (!id) return;
  window.dataLayer = window.dataLayer || [];
  function gtag() {
    // biome-ignore lint/complexity/noArguments: gtag.js reads each dataLayer entry as an Arguments object, not an array.
    window.dataLayer.push(arguments);
  }
  // The referrer may be one of our /app pages (after logging out, say), whose address can carry a
  // record id or a search; GA gets only its origin. The page's own address goes without its query
  // and fragment for the same reason.
  let referrer = "";
  try {
    if (document.referrer) referrer = `${new URL(document.referrer).origin}/`;
  } catch (_e) {
    referrer = "";
  }
  gtag("js", new Date());
  gtag("config", id, {
    page_location: location.origin + location.pathname,
    page_referrer: referrer,
    // Host-only cookies, which the server can remove when the visitor rejects analytics later.
    cookie_domain: "none",
    // Measurement only: no Google signals, no ad personalisation (the privacy policy says so).
    allow_google_signals: false,
    allow_ad_personalization_signals: false,
  });

  // Rejecting from the banner or the cookie settings (an htmx request) answers with this event:
  // GA stops at once on this page, and the server has already removed its cookies.
  document.addEventListener("analytics-consent", (event) => {
    if (event.detail && event.detail.value === "rejected") window[`ga-disable-${id}`] = true;
  });
})();
