// Policy text editor: say when an autosave is under way or failed. The page works without this script: the form
// saves every text with a normal POST, each with the revision it started from.
(function () {
  "use strict";
  var form = document.getElementById("policy-form");
  if (!form) { return; }

  function status(event, text) {
    var block = event.detail && event.detail.elt ? event.detail.elt.closest(".vw-policy-block") : null;
    var line = block ? block.querySelector(".vw-autosave-status") : null;
    if (line) { line.textContent = text; }
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) { status(event, form.dataset.saving); });
  document.body.addEventListener("htmx:sendError", function (event) { status(event, form.dataset.offline); });
  document.body.addEventListener("htmx:responseError", function (event) { status(event, form.dataset.offline); });
})();
