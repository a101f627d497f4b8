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
