/* 专项行动: the campaign's figures against its goals as a bar chart (ECharts, from npm's package).
 * Data comes from <script id="campaign-figures"> (json_script); the chart element gets
 * data-rendered="1" once drawn. A static file because the Content-Security-Policy forbids inline script. */
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("campaign-chart");
  var data = JSON.parse(document.getElementById("campaign-figures").textContent);
  if (!el || !window.echarts) { return; }
  var chart = window.echarts.init(el);
  var hasGoal = data.goals.some(function (g) { return g !== null; });
  var series = [{ name: "完成数", type: "bar", data: data.values, barMaxWidth: 42, label: { show: true, position: "top" } }];
  if (hasGoal) { series.push({ name: "目标", type: "bar", data: data.goals.map(function (g) { return g === null ? "-" : g; }), barMaxWidth: 42, itemStyle: { color: "#c9d3df" } }); }
  chart.setOption({
    color: ["#1f4e8c", "#c9d3df"],
    textStyle: { fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", system-ui, sans-serif' },
    tooltip: { trigger: "axis", confine: true },
    legend: { show: hasGoal, top: 0 },
    grid: { left: 8, right: 8, top: hasGoal ? 32 : 16, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, width: 80, overflow: "break" } },
    yAxis: { type: "value", minInterval: 1 },
    series: series
  });
  el.dataset.rendered = "1";
  window.addEventListener("resize", function () { chart.resize(); });
});
