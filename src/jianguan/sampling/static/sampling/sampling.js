/* 抽检 forms: a button with data-add-row="<table id>" appends an empty copy of the table's last row, its
 * numbered fields (item_3_name, target_7_batches…) renumbered; the page works without it (empty rows are
 * already there), so the button is shown only when this script runs. No inline script: the CSP forbids it. */
(function () {
  "use strict";

  function addRow(table) {
    var rows = table.tBodies[0].rows;
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    var n = rows.length + 1;
    copy.querySelectorAll("ul.errorlist").forEach(function (el) { el.remove(); });
    copy.querySelectorAll("input, select").forEach(function (el) {
      el.name = el.name.replace(/_(\d+)_/, "_" + n + "_");
      if (el.id) { el.id = el.id.replace(/_(\d+)_/, "_" + n + "_"); }
      if (el.tagName === "SELECT") { el.selectedIndex = 0; } else { el.value = ""; }
    });
    table.tBodies[0].appendChild(copy);
    var first = copy.querySelector("input, select");
    if (first) { first.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-add-row]").forEach(function (button) {
      var table = document.getElementById(button.getAttribute("data-add-row"));
      if (!table) { return; }
      button.hidden = false;
      button.addEventListener("click", function () { addRow(table); });
    });
    // After a quick test is saved the next product is typed at once.
    var product = document.querySelector("#quicktest-form #id_product");
    if (product && document.getElementById("last-test") && !product.value) { product.focus(); }
  });
})();
