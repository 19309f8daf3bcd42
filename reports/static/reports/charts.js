// Draws each report chart from the numbers in its <script type="application/json"> (json_script),
// the same cells as the table beside it. Without JavaScript the tables carry everything.
// A file, not an inline script, so a strict Content-Security-Policy (script-src 'self') allows it.
//
// Every category label is shown, in its short form (spec.ticks; the tooltip has the whole label).
// A cell hidden by small-cell suppression has no value (null) and its "<5" or "x" in
// dataset.suppressed: the chart writes that mark where the bar or point would be, so a hidden
// count is never read as zero.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  var PALETTE = ["#1e6bb8", "#c05600", "#2e7d32", "#7b3fa0", "#b00020", "#00695c", "#5d4037"];
  var MARK_COLOUR = "#3b3b3b";

  // Writes each category's suppression marks ("<5", "x") once, just off the value axis's zero.
  var suppressedMarks = {
    id: "heimvegSuppressed",
    afterDatasetsDraw: function (chart) {
      var horizontal = chart.options.indexAxis === "y";
      var valueScale = horizontal ? chart.scales.x : chart.scales.y;
      var categoryScale = horizontal ? chart.scales.y : chart.scales.x;
      if (!valueScale || !categoryScale) {
        return;
      }
      var marks = {};
      chart.data.datasets.forEach(function (dataset, d) {
        if (!dataset.suppressed || !chart.isDatasetVisible(d)) {
          return;
        }
        var elements = chart.getDatasetMeta(d).data;
        dataset.suppressed.forEach(function (mark, i) {
          if (!mark) {
            return;
          }
          var element = elements[i];
          var at = element ? (horizontal ? element.y : element.x) : categoryScale.getPixelForValue(i);
          if (typeof at !== "number" || isNaN(at)) {
            at = categoryScale.getPixelForValue(i);
          }
          var key = Math.round(at);
          marks[key] = marks[key] || [];
          if (marks[key].indexOf(mark) < 0) {
            marks[key].push(mark);
          }
        });
      });
      var ctx = chart.ctx;
      var zero = valueScale.getPixelForValue(0);
      ctx.save();
      ctx.fillStyle = MARK_COLOUR;
      ctx.font = "bold 11px sans-serif";
      ctx.textAlign = horizontal ? "left" : "center";
      ctx.textBaseline = horizontal ? "middle" : "bottom";
      Object.keys(marks).forEach(function (key) {
        var text = marks[key].join(" ");
        if (horizontal) {
          ctx.fillText(text, zero + 4, Number(key));
        } else {
          ctx.fillText(text, Number(key), zero - 3);
        }
      });
      ctx.restore();
    },
  };

  function config(spec) {
    var percent = spec.percent;
    var valueAxis = spec.horizontal ? "x" : "y";
    var categoryAxis = spec.horizontal ? "y" : "x";
    var scales = { x: { stacked: spec.stacked }, y: { stacked: spec.stacked, beginAtZero: true } };
    var ticks = spec.ticks || spec.labels;
    scales[categoryAxis].ticks = {
      autoSkip: false,
      maxRotation: 90,
      minRotation: 0,
      font: { size: 11 },
      callback: function (value, index) {
        return ticks[index];
      },
    };
    if (spec.axis) {
      scales[categoryAxis].title = { display: true, text: spec.axis };
    }
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
            suppressed: d.suppressed,
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
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                var mark = item.dataset.suppressed && item.dataset.suppressed[item.dataIndex];
                var value = mark || item.formattedValue + (percent ? " %" : "");
                return item.dataset.label + ": " + value;
              },
            },
          },
        },
      },
      plugins: [suppressedMarks],
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
    // Room for every label: a chart with many categories is at least as wide (or, lying down,
    // as tall) as its labels need, and scrolls inside its own box on a narrow screen.
    var needed = spec.labels.length * (spec.horizontal ? 22 : 16);
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-labelledby", id + "-summary");
    box.appendChild(canvas);
    if (spec.horizontal) {
      box.style.height = Math.max(288, needed + 80) + "px";
      figure.insertBefore(box, figure.firstChild);
    } else {
      var scroller = document.createElement("div");
      scroller.className = "hv-chart-scroll";
      box.style.minWidth = needed + 60 + "px";
      scroller.appendChild(box);
      figure.insertBefore(scroller, figure.firstChild);
      // A box that scrolls is reachable by keyboard (focusable, named by the chart's summary).
      var focusable = function () {
        if (scroller.scrollWidth > scroller.clientWidth) {
          scroller.setAttribute("tabindex", "0");
          scroller.setAttribute("role", "region");
          scroller.setAttribute("aria-labelledby", id + "-summary");
        } else {
          scroller.removeAttribute("tabindex");
          scroller.removeAttribute("role");
          scroller.removeAttribute("aria-labelledby");
        }
      };
      focusable();
      window.addEventListener("resize", focusable);
    }
    new window.Chart(canvas, config(spec));
  });
})();
