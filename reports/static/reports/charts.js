// Draws each report chart from the numbers in its <script type="application/json"> (json_script),
// the same cells as the table beside it. Without JavaScript the tables carry everything.
// A file, not an inline script, so a strict Content-Security-Policy (script-src 'self') allows it.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  var PALETTE = ["#1e6bb8", "#c05600", "#2e7d32", "#7b3fa0", "#b00020", "#00695c", "#5d4037"];

  function config(spec) {
    var percent = spec.percent;
    var valueAxis = spec.horizontal ? "x" : "y";
    var scales = { x: { stacked: spec.stacked }, y: { stacked: spec.stacked, beginAtZero: true } };
    if (percent) {
      scales[valueAxis].max = 100;
      scales[valueAxis].ticks = { callback: function (v) { return v + " %"; } };
    }
    return {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d, i) {
          var colour = PALETTE[i % PALETTE.length];
          return {
            label: d.label,
            data: d.data,
            type: d.type || spec.type,
            backgroundColor: colour,
            borderColor: colour,
            borderWidth: d.type === "line" || spec.type === "line" ? 2 : 0,
            pointRadius: d.type === "line" ? 0 : 3,
            spanGaps: false,
          };
        }),
      },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: { legend: { position: "bottom" } },
      },
    };
  }

  document.querySelectorAll("figure[data-chart]").forEach(function (figure) {
    var id = figure.getAttribute("data-chart");
    var data = document.getElementById(id + "-data");
    if (!data) {
      return;
    }
    var spec = JSON.parse(data.textContent);
    var box = document.createElement("div");
    box.className = "hv-chart-box";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-labelledby", id + "-summary");
    box.appendChild(canvas);
    figure.insertBefore(box, figure.firstChild);
    new window.Chart(canvas, config(spec));
  });
})();
