// Lists on a phone: each table row stacks its cells, and each cell shows its column's heading
// before its value (heimveg.css, `td[data-label]::before`). The labels come from the table's own
// column headings, so templates need no change; the explicit roles keep the table a table for
// screen readers when the stylesheet makes its parts blocks.
(function () {
  document.querySelectorAll(".hv-table-wrap > table:not(.hv-keep-columns)").forEach(function (table) {
    var headings = [];
    table.querySelectorAll("thead tr:last-child th").forEach(function (th) {
      var span = parseInt(th.getAttribute("colspan") || "1", 10);
      for (var i = 0; i < span; i++) {
        headings.push(th.textContent.trim());
      }
      th.setAttribute("role", "columnheader");
    });
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody, tfoot").forEach(function (group) {
      group.setAttribute("role", "rowgroup");
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var label = headings[column];
        if (cell.tagName === "TH") {
          cell.setAttribute("role", "rowheader");
        } else {
          cell.setAttribute("role", "cell");
        }
        var empty = !cell.textContent.trim() && !cell.querySelector("input, button, select, img, svg");
        if (label && !empty && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", label);
        }
        column += cell.colSpan || 1;
      });
    });
    table.querySelectorAll("thead tr").forEach(function (row) {
      row.setAttribute("role", "row");
    });
  });
})();
