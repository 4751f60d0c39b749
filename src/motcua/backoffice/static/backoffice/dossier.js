/* The dossier screen: action forms post through htmx and the screen is redrawn in place (the
 * server answers exactly as without JavaScript: a redirect to the screen, or the screen with the
 * form's errors and a 4xx status, which htmx would otherwise not show). Focus then goes to what
 * changed: the error summary, or the message saying what was done. Without JavaScript the forms
 * post and the page reloads; nothing here is needed for them to work. */
(function () {
  "use strict";
  var SHOWN = [400, 403, 409, 413, 415, 422];
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (SHOWN.indexOf(event.detail.xhr.status) !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("#main .error-summary") || document.querySelector("#main .notice");
    if (!target) { return; }
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
    target.scrollIntoView({ block: "start" });
  });
})();
