// CustomerTrackr's own small behaviours. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";
  // After htmx swaps in a form that failed validation, move focus to its first invalid field so
  // keyboard and screen-reader users land on the message.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (!target || !target.querySelector) return;
    var invalid = target.querySelector("[aria-invalid='true']");
    if (invalid) invalid.focus();
  });
})();
