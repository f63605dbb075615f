// lianggao — the little behaviour pages need, without inline scripts (the
// Content-Security-Policy forbids them).
(function () {
  "use strict";

  // Filters that change the list at once.
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el.matches && el.matches("select[data-autosubmit]")) {
      var county = el.form.querySelector("select[name=county]");
      if (county) county.value = "";
      el.form.submit();
    }
  });

  // Upload progress: htmx reports it on the form; without htmx the browser's own submit is used.
  document.addEventListener("htmx:xhr:progress", function (ev) {
    var bar = document.getElementById("import-progress");
    if (!bar || !ev.detail.lengthComputable) return;
    bar.hidden = false;
    bar.value = Math.round((ev.detail.loaded / ev.detail.total) * 100);
    bar.textContent = bar.value + "%";
  });
  // A form that does something irreversible asks first, naming what will happen.
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("submit", function (ev) {
    var btn = ev.target.querySelector("button[data-busy]");
    if (btn) {
      btn.dataset.label = btn.textContent;
      btn.textContent = btn.dataset.busy;
      setTimeout(function () { btn.disabled = true; }, 0);
    }
  });
  document.addEventListener("htmx:afterRequest", function (ev) {
    var btn = ev.target.querySelector && ev.target.querySelector("button[data-busy]");
    if (btn) { btn.disabled = false; btn.textContent = btn.dataset.label; }
  });

  // The enterprise's daily figures: one series at a time, chosen in the legend.
  function drawFigures() {
    var el = document.getElementById("figure-chart");
    var src = document.getElementById("figure-data");
    if (!el || !src || typeof echarts === "undefined") return;
    var data = JSON.parse(src.textContent);
    var selected = {};
    data.series.forEach(function (s, i) { selected[s.name] = i === 0; });
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", selectedMode: "single", selected: selected },
      grid: { left: 70, right: 20, top: 40, bottom: 60 },
      xAxis: { type: "category", data: data.dates },
      yAxis: { type: "value", scale: true },
      dataZoom: [{ type: "inside" }, { type: "slider" }],
      series: data.series.map(function (s) {
        var line = { name: s.name, type: "line", showSymbol: false, connectNulls: false, data: s.values };
        if (data.mark) {
          line.markArea = { itemStyle: { color: "rgba(179, 38, 30, 0.12)" }, data: [[{ xAxis: data.mark[0] }, { xAxis: data.mark[1] }]] };
        }
        return line;
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  window.addEventListener("load", drawFigures);
})();
