// Google Analytics (GA4) set-up. The server includes this file, and GA's loader, only on public
// pages for signed-out visitors who accepted analytics cookies (src/lib/consent.ts); never on /app.
(function () {
  "use strict";
  var script = document.currentScript;
  var id = script && script.getAttribute("data-measurement-id");
  if (!id) return;
  window.dataLayer = window.dataLayer || [];
  function gtag() {
    window.dataLayer.push(arguments);
  }
  // The referrer may be one of our /app pages (after logging out, say), whose address can carry a
  // record id or a search; GA gets only its origin. The page's own address goes without its query
  // and fragment for the same reason.
  var referrer = "";
  try {
    if (document.referrer) referrer = new URL(document.referrer).origin + "/";
  } catch (e) {
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
  document.addEventListener("analytics-consent", function (event) {
    if (event.detail && event.detail.value === "rejected") window["ga-disable-" + id] = true;
  });
})();
