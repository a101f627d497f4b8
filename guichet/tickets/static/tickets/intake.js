// Phone intake: move through the caller search results with the keyboard.
(function () {
  const input = document.getElementById("caller-q");
  if (!input) return;
  let chooseWhenReady = false;

  function options() {
    return Array.from(document.querySelectorAll("#caller-results .caller-option"));
  }
  function current() {
    const box = document.querySelector("#caller-results [data-results-for]");
    return box && box.getAttribute("data-results-for") === input.value.trim();
  }
  // One match: Enter takes it. Several: Enter moves into the list to pick one.
  function enter() {
    const found = options();
    if (found.length === 1) found[0].click();
    else if (found.length > 1) found[0].focus();
  }

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      const found = options();
      if (found.length) {
        event.preventDefault();
        found[0].focus();
      }
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (current()) {
        enter();
      } else {
        chooseWhenReady = true;
        htmx.trigger(input, "search");
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    const option = event.target.closest && event.target.closest("#caller-results .caller-option");
    if (!option) return;
    const found = options();
    const index = found.indexOf(option);
    let next = null;
    if (event.key === "ArrowDown") next = found[Math.min(found.length - 1, index + 1)];
    else if (event.key === "ArrowUp") next = index === 0 ? input : found[index - 1];
    else if (event.key === "Home") next = found[0];
    else if (event.key === "End") next = found[found.length - 1];
    else if (event.key === "Escape") next = input;
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });

  // Choosing a caller loads their card in place. Delegated from the document rather than
  // hx-get on each button: a result chosen the instant it appears (before htmx has processed
  // it) must not fall back to submitting the search form.
  document.addEventListener("click", function (event) {
    const option = event.target.closest && event.target.closest("#caller-results .caller-option");
    if (!option) return;
    event.preventDefault();
    htmx.ajax("GET", option.dataset.callerUrl, { target: "#caller-card", swap: "innerHTML" });
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.detail.target;
    if (!target) return;
    if (target.id === "caller-results" && chooseWhenReady && current()) {
      chooseWhenReady = false;
      enter();
    } else if (target.id === "caller-card" && target.querySelector("[data-caller]")) {
      const next = document.getElementById("id_type");
      if (next) next.focus();
    }
  });
})();
