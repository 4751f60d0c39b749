/* The page after a walk-in dossier is received: "In phiếu" prints the receipt shown on the
 * page (progressive enhancement). Without JavaScript, or if the browser cannot print the
 * embedded PDF, the button is a plain link that opens the PDF in a new tab. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print-frame]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var frame = document.getElementById(button.getAttribute("data-print-frame"));
      try {
        if (!frame || !frame.contentWindow) { return; }
        frame.contentWindow.focus();
        frame.contentWindow.print();
        event.preventDefault();
      } catch (error) {
        /* Not printable from here: let the link open the PDF. */
      }
    });
  });
})();
