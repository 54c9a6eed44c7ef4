(function () {
  "use strict";
  var box = document.getElementById("filters");
  var table = document.getElementById("det-table");
  if (!box || !table) { return; }
  var text = document.getElementById("f-text");
  var severity = document.getElementById("f-sev");
  var kind = document.getElementById("f-kind");
  var shown = document.getElementById("f-count");
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  function apply() {
    var needle = text.value.toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var ok = (!severity.value || row.getAttribute("data-severity") === severity.value) &&
        (!kind.value || row.getAttribute("data-kind") === kind.value) &&
        (!needle || row.textContent.toLowerCase().indexOf(needle) >= 0);
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = String(count);
  }
  text.addEventListener("input", apply);
  severity.addEventListener("change", apply);
  kind.addEventListener("change", apply);
  box.hidden = false;
  apply();
}());
