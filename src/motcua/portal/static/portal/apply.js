/* Upload progress for the apply wizard's documents step and the supplement form of the
 * applicant's dossier page (progressive enhancement: the first form[data-upload] of a page).
 * Without JavaScript the form simply posts. With it, the same post goes through
 * XMLHttpRequest so that a progress bar shows while a phone photo is sent; the server's
 * answer is then shown as it would have been: the next page, or this one with its errors. */
(function () {
  "use strict";

  function chosenFiles(form) {
    var count = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      count += input.files ? input.files.length : 0;
    });
    return count;
  }

  function showAnswer(xhr) {
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var main = doc.getElementById("main");
    if (!main) { window.location.assign(xhr.responseURL); return; }
    document.getElementById("main").replaceWith(main);
    document.title = doc.title;
    enhance();
    var summary = document.getElementById("error-summary");
    var status = document.querySelector("#main [role=status]");
    if (summary) { summary.focus(); } else if (status) {
      status.setAttribute("tabindex", "-1");
      status.focus();
    }
  }

  function enhance() {
    var form = document.querySelector("form[data-upload]");
    if (!form || typeof FormData === "undefined") { return; }
    var box = form.querySelector(".progress");
    var bar = box && box.querySelector("progress");
    var text = box && box.querySelector(".progress-text");
    form.addEventListener("submit", function (event) {
      if (!box || chosenFiles(form) === 0) { return; } // nothing to send: a plain post
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) {
        data.append(event.submitter.name, event.submitter.value);
      }
      var buttons = form.querySelectorAll("button");
      buttons.forEach(function (b) { b.disabled = true; });
      box.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        var percent = Math.round((e.loaded / e.total) * 100);
        bar.value = percent;
        text.textContent = percent + "%";
      });
      xhr.addEventListener("load", function () {
        // Saved: the server redirected (to the next step, or back here); go there. A form
        // marked data-upload-show shows the page it was sent to as answered, so that a one-time
        // message on it ("sent") is not spent by this request and lost on a second load.
        if (xhr.status === 200 && form.hasAttribute("data-upload-show")) {
          window.history.replaceState(null, "", xhr.responseURL);
          showAnswer(xhr);
          return;
        }
        if (xhr.status === 200) { window.location.assign(xhr.responseURL); return; }
        showAnswer(xhr); // refused (413, 415, 400): this page again, with its errors

      });
      xhr.addEventListener("error", function () {
        buttons.forEach(function (b) { b.disabled = false; });
        text.textContent = form.getAttribute("data-upload-failed") || "";
      });
      xhr.send(data);
    });
  }

  enhance();
})();
