// Scripts' runner, progressive enhancement only: an outcome reached in phone intake fills the
// qualification fields of the form (#id_category, #id_type, #id_impact, #id_urgency), and the
// portal's "I still need help" adds the answers to the request's description.
(function () {
  function fill(root) {
    root.querySelectorAll("[data-intake-fill]").forEach(function (box) {
      ["category", "type", "impact", "urgency"].forEach(function (name) {
        const value = box.dataset[name];
        const field = document.getElementById("id_" + name);
        if (value && field && field.value !== value) {
          field.value = value;
          field.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      box.removeAttribute("data-intake-fill");
    });
    root.querySelectorAll("[data-append-description]").forEach(function (box) {
      const field = document.getElementById("id_description");
      const text = box.dataset.appendDescription;
      if (field && text && field.value.indexOf(text) === -1) {
        field.value = (field.value ? field.value + "\n\n" : "") + text;
      }
      box.removeAttribute("data-append-description");
    });
  }
  // After a step, the focus goes to the new question's first answer (or the outcome), so the
  // keyboard carries on where the eyes are; htmx's own autofocus can lose to the removed button.
  function focus() {
    const target = document.querySelector("#script-panel [data-focus]");
    if (target) {
      target.removeAttribute("data-focus");
      target.focus();
    }
  }
  if (!window.guichetScriptRunner) {
    window.guichetScriptRunner = true;
    document.addEventListener("htmx:afterSettle", function () { fill(document); focus(); });
  }
  // Not focus() here: htmx may run this script before it has bound the new forms, and a
  // key pressed on an unbound form would post it the plain way.
  fill(document);
})();
