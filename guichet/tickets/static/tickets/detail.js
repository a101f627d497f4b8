// Ticket page and phone intake: htmx glue. The forms also work without JavaScript.
(function () {
  // htmx leaves 4xx answers unswapped by default; ours carry the form with its errors.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if ([400, 403, 409, 422].includes(event.detail.xhr.status)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a swap, put the focus where the user must look: the message, or the first bad field.
  function focusFirst(root) {
    const target = root.querySelector("[data-focus], [aria-invalid=true]");
    if (target) {
      target.removeAttribute("data-focus");
      target.focus();
    }
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target instanceof Element) focusFirst(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.classList.add("js");
    const main = document.getElementById("main");
    if (main) focusFirst(main);
  });

  // Ctrl+Enter (or Cmd+Enter) in a text area sends its form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.tagName === "TEXTAREA") {
      const form = event.target.form;
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
    }
  });
})();
