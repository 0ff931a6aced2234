// CustomerTrackr's own small behaviours. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";
  // After htmx swaps in a form that failed validation, move focus to its first invalid field (or
  // to the form's alert) so keyboard and screen-reader users land on the message.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (!target || !target.querySelector) return;
    var invalid = target.querySelector("[aria-invalid='true']");
    if (invalid) {
      invalid.focus();
      return;
    }
    // A form-level message (a failed login, a rate limit): focus it so it is read out first.
    var alert = target.querySelector("[role='alert']");
    if (alert && target.querySelector("form")) {
      alert.setAttribute("tabindex", "-1");
      alert.focus();
    }
  });
})();
