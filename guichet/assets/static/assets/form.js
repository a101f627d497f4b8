// The asset form: the fields of one type only (phone, operating system, custom fields) follow
// the chosen type, and the sites and people offered follow the chosen organisation. The form
// works without this script: the server shows the fields of the type the asset has.
(function () {
  function filterGroups(select, label, keep) {
    if (!select) return;
    select.querySelectorAll("optgroup").forEach(function (group) {
      const on = !label || group.label === label || group.label === keep;
      group.hidden = !on;
      group.disabled = !on;
    });
    const chosen = select.options[select.selectedIndex];
    if (chosen && chosen.parentElement.disabled) select.value = "";
  }

  function setUp(form) {
    const kind = form.querySelector("select[name=kind]");
    const organisation = form.querySelector("select[name=organisation]");
    function showKind() {
      form.querySelectorAll("[data-kinds]").forEach(function (part) {
        const on = part.dataset.kinds.split(" ").includes(kind.value);
        part.hidden = !on;
        if (part.tagName === "FIELDSET") part.disabled = !on;
      });
      filterGroups(form.querySelector("select[name=subtype]"), kind.options[kind.selectedIndex].text, null);
    }
    function showOrganisation() {
      const label = organisation.value ? organisation.options[organisation.selectedIndex].text : "";
      filterGroups(form.querySelector("select[name=location]"), label, null);
      filterGroups(form.querySelector("select[name=user]"), label, form.dataset.staffGroup);
    }
    if (kind) {
      kind.addEventListener("change", showKind);
      showKind();
    }
    if (organisation) {
      organisation.addEventListener("change", showOrganisation);
      showOrganisation();
    }
  }

  document.querySelectorAll("form[data-asset-form]").forEach(setUp);
})();
