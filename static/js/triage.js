// The desk's suggestion chips (intake/triage): one click fills the category. The
// clerk's choice always wins: chips never change the category by themselves, and a
// category picked by hand stays whatever the next suggestion says.
(function () {
  "use strict";

  function markChosen() {
    var select = document.getElementById("id_category");
    if (!select) { return; }
    document.querySelectorAll("#triage-chips .triage-chip").forEach(function (chip) {
      var chosen = chip.dataset.category === select.value;
      chip.classList.toggle("btn-primary", chosen);
      chip.classList.toggle("btn-outline-primary", !chosen);
      chip.setAttribute("aria-pressed", chosen ? "true" : "false");
    });
  }

  document.addEventListener("click", function (event) {
    var chip = event.target.closest("#triage-suggestions .triage-chip");
    if (!chip) { return; }
    var select = document.getElementById("id_category");
    select.value = chip.dataset.category;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    var clicked = document.getElementById("triage-clicked");
    if (clicked) { clicked.value = "1"; }
    markChosen();
  });

  document.addEventListener("change", function (event) {
    if (event.target.id === "id_category") { markChosen(); }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "triage-suggestions") { markChosen(); }
  });
})();
