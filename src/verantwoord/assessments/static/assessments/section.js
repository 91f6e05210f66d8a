// Questionnaire page: show and hide conditional questions as answers change, and say when an autosave failed.
// The page works without this script: the form saves with a normal POST and the server decides what shows.
(function () {
  "use strict";
  var form = document.getElementById("section-form");
  if (!form) { return; }

  function answerOf(questionId) {
    var inputs = form.querySelectorAll('[name="q-' + questionId + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox")) {
        if (input.checked) { values.push(input.value); }
      } else if (input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  function refresh() {
    form.querySelectorAll("[data-show-if]").forEach(function (block) {
      var conditions = JSON.parse(block.getAttribute("data-show-if") || "[]");
      if (!conditions.length) { return; }
      var visible = conditions.every(function (condition) {
        // A question on another section keeps its saved state: leave the server's decision alone.
        if (!form.querySelector('[name="present-' + condition.question + '"]')) { return !block.hidden; }
        return answerOf(condition.question).some(function (value) { return condition.values.indexOf(value) !== -1; });
      });
      block.hidden = !visible;
    });
  }

  function status(event, text) {
    var block = event.detail && event.detail.elt ? event.detail.elt.closest(".vw-question") : null;
    var line = block ? block.querySelector(".vw-autosave-status") : null;
    if (line) { line.textContent = text; }
  }

  form.addEventListener("change", refresh);
  document.body.addEventListener("htmx:beforeRequest", function (event) { status(event, form.dataset.saving); });
  document.body.addEventListener("htmx:sendError", function (event) { status(event, form.dataset.offline); });
  document.body.addEventListener("htmx:responseError", function (event) { status(event, form.dataset.offline); });
})();
