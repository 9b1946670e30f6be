/* The dashboard's charts (Apache ECharts, served from static/): every bar, point and
   funnel step links to the list of exactly the matters it counts. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var t = JSON.parse(document.getElementById("dashboard-labels").textContent);
  var charts = [];
  var printing = window.matchMedia && window.matchMedia("print").matches;

  function draw(id, option, items) {
    var element = document.getElementById(id);
    if (!element) { return; }
    if (!items.length) {  // nothing counted: say so instead of empty axes
      element.classList.add("empty-chart");
      element.textContent = t.nodata;
      return;
    }
    var chart = echarts.init(element, null, { renderer: "svg", locale: "ZH" });
    option.animation = !printing;
    option.tooltip = option.tooltip || { trigger: "axis" };
    chart.setOption(option);
    chart.on("click", function (params) {
      var item = items[params.dataIndex];
      if (item && item.url) { window.location.href = item.url; }
    });
    charts.push(chart);
  }

  var trend = data.trend || [];
  draw("chart-trend", {
    legend: { data: [t.registered, t.resolved] },
    grid: { left: 48, right: 16, top: 36, bottom: 56 },
    xAxis: { type: "category", data: trend.map(function (d) { return d.day; }) },
    yAxis: { type: "value", minInterval: 1 },
    dataZoom: trend.length > 60 ? [{ type: "slider", height: 18, bottom: 8 }] : [],
    series: [
      { name: t.registered, type: "line", showSymbol: false, data: trend.map(function (d) { return d.registered; }) },
      { name: t.resolved, type: "line", showSymbol: false, data: trend.map(function (d) { return d.resolved; }) }
    ]
  }, trend);

  function bars(id, items, horizontal) {
    var labels = items.map(function (d) { return d.label; });
    var category = { type: "category", data: labels, inverse: horizontal };
    var value = { type: "value", minInterval: 1 };
    draw(id, {
      legend: { data: [t.registered, t.resolved] },
      grid: { left: horizontal ? 96 : 40, right: 16, top: 36, bottom: horizontal ? 24 : 64, containLabel: !horizontal },
      xAxis: horizontal ? value : Object.assign(category, { axisLabel: { rotate: 30 } }),
      yAxis: horizontal ? category : value,
      series: [
        { name: t.registered, type: "bar", data: items.map(function (d) { return d.registered; }) },
        { name: t.resolved, type: "bar", data: items.map(function (d) { return d.resolved; }) }
      ]
    }, items);
  }
  bars("chart-categories", data.categories || [], true);
  bars("chart-places", data.places || [], true);
  bars("chart-channels", data.channels || [], false);

  // Drawn widest first: within the county, within the town, within the village.
  var steps = (data.funnel || []).slice().reverse();
  function share(item) { return item.share === null ? "—" : Math.round(item.share * 1000) / 10 + "%"; }
  draw("chart-funnel", {
    tooltip: { trigger: "item", formatter: function (p) {
      return p.name + "：" + steps[p.dataIndex].count + "（" + share(steps[p.dataIndex]) + "）";
    } },
    series: [{ type: "funnel", sort: "none", left: "8%", width: "84%", minSize: "40%",
      label: { position: "inside", formatter: function (p) { return p.name + " " + share(steps[p.dataIndex]); } },
      data: steps.map(function (d) { return { name: t[d.key], value: d.count }; })
    }]
  }, steps);

  var ages = data["open-age"] || [];
  draw("chart-open-age", {
    grid: { left: 40, right: 16, top: 24, bottom: 32 },
    xAxis: { type: "category", data: ages.map(function (d) { return d.low + (d.high === null ? "+" : "–" + d.high) + " " + t.days; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ name: t.open, type: "bar", data: ages.map(function (d) { return d.count; }) }]
  }, ages);

  Array.prototype.forEach.call(document.querySelectorAll(".app-chart"), function (element) {
    var items = data[element.getAttribute("data-series")] || [];
    draw(element.id, {
      grid: { left: 96, right: 16, top: 16, bottom: 24 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: items.map(function (d) { return d.label; }) },
      series: [{ name: t.matters, type: "bar", data: items.map(function (d) { return d.count; }) }]
    }, items);
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  var print = document.getElementById("print");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
})();
