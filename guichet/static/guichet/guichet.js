// Small progressive enhancements; every page works without them.
// Keyboard navigation in lists marked data-keynav: j/k move, Enter opens, x selects.
document.addEventListener("keydown", function (event) {
  const tag = (event.target.tagName || "").toLowerCase();
  if (["input", "textarea", "select"].includes(tag) || event.ctrlKey || event.metaKey || event.altKey) {
    return;
  }
  const list = document.querySelector("[data-keynav]");
  if (!list) return;
  const rows = Array.from(list.querySelectorAll("[data-keynav-row]"));
  if (!rows.length) return;
  let index = rows.findIndex((row) => row.classList.contains("is-current"));
  if (event.key === "j" || event.key === "k") {
    index = event.key === "j" ? Math.min(rows.length - 1, index + 1) : Math.max(0, index - 1);
    rows.forEach((row) => row.classList.remove("is-current"));
    rows[index].classList.add("is-current");
    const link = rows[index].querySelector("a");
    if (link) link.focus();
    event.preventDefault();
  } else if (event.key === "x" && index >= 0) {
    const box = rows[index].querySelector("input[type=checkbox]");
    if (box) box.checked = !box.checked;
    event.preventDefault();
  }
});

// "Select all" checkboxes: <input type=checkbox data-select-all="NAME"> ticks every box NAME
// in the same form (delegated, so it keeps working after htmx swaps).
document.addEventListener("change", function (event) {
  const all = event.target.closest && event.target.closest("[data-select-all]");
  if (!all) return;
  const scope = all.form || document;
  scope.querySelectorAll('input[type=checkbox][name="' + all.dataset.selectAll + '"]').forEach(function (box) {
    box.checked = all.checked;
  });
});

// htmx leaves error responses unswapped; elements marked data-swap-errors want the server's
// 4xx fragment (it carries the error message) shown in place.
document.addEventListener("htmx:beforeSwap", function (event) {
  const status = event.detail.xhr.status;
  const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (status >= 400 && status < 500 && elt && elt.closest && elt.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
