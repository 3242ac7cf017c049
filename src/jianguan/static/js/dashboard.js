/* 数据看板: draws the home page panels (jianguan.core.dashboard) with ECharts, served from npm's
 * package as a static file. Panel data comes from <script id="dashboard-data"> (json_script).
 * Each chart element gets data-rendered="1" once drawn (or "table" when ECharts is missing). */
(function () {
  "use strict";

  var PALETTE = ["#1f4e8c", "#3a86c8", "#5fb3b3", "#6aa84f", "#e0a326", "#d9674e", "#8e6cc0", "#7f8c9a"];
  var FONT = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", ' +
    '"Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, sans-serif';
  var numberFormat = new Intl.NumberFormat("zh-CN");

  function fmt(n) { return numberFormat.format(n || 0); }
  function sum(values) { return values.reduce(function (a, b) { return a + (Number(b) || 0); }, 0); }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function monthLabel(category) {
    var m = /^(\d{4})-(\d{2})$/.exec(category);
    return m ? m[1] + "年" + Number(m[2]) + "月" : category;
  }

  function baseOption(panel) {
    return {
      color: PALETTE,
      textStyle: { fontFamily: FONT, color: "#3e4c59" },
      animationDuration: 500,
      aria: { enabled: true, label: { description: panel.title } },
      tooltip: {
        confine: true,
        backgroundColor: "rgba(255,255,255,.97)",
        borderColor: "#d9dee5",
        textStyle: { color: "#1f2933", fontFamily: FONT },
        extraCssText: "box-shadow: 0 2px 8px rgba(16,42,80,.15);"
      }
    };
  }

  function axisTooltip(panel, labelFn) {
    return function (params) {
      var lines = ["<strong>" + escapeHtml(labelFn(params[0].axisValue)) + "</strong>"];
      params.forEach(function (p) {
        lines.push(p.marker + escapeHtml(p.seriesName) + "：<strong>" + fmt(p.value) + "</strong> " + escapeHtml(panel.unit));
      });
      return lines.join("<br>");
    };
  }

  function emptyGraphic(isEmpty) {
    return isEmpty ? [{
      type: "text", left: "center", top: "middle",
      style: { text: "暂无数据", fill: "#9aa5b1", fontSize: 14, fontFamily: FONT }
    }] : [];
  }

  function pieOption(panel) {
    var series = panel.series[0];
    var total = sum(series.data);
    var data = panel.categories.map(function (name, i) {
      return { name: name, value: series.data[i], link: panel.links ? panel.links[i] : null };
    }).filter(function (d) { return d.value > 0; });
    var values = {};
    panel.categories.forEach(function (name, i) { values[name] = series.data[i]; });
    var option = baseOption(panel);
    option.tooltip.trigger = "item";
    option.tooltip.formatter = function (p) {
      return p.marker + escapeHtml(p.name) + "：<strong>" + fmt(p.value) + "</strong> " + escapeHtml(panel.unit) +
        "（" + p.percent.toFixed(1) + "%）";
    };
    option.legend = {
      orient: "vertical", right: "4%", top: "middle", itemGap: 14, icon: "circle",
      textStyle: { fontSize: 13, rich: { n: { fontWeight: "bold", color: "#1f2933", padding: [0, 0, 0, 8] } } },
      formatter: function (name) {
        var v = values[name] || 0;
        var pct = total ? " " + (v * 100 / total).toFixed(1) + "%" : "";
        return name + "{n|" + fmt(v) + " " + panel.unit + pct + "}";
      }
    };
    // The total in the hole of the ring; textAlign "center" centres the title on `left`.
    option.title = {
      show: total > 0, text: fmt(total), subtext: "合计（" + panel.unit + "）", left: "29.5%", top: "center",
      textAlign: "center", itemGap: 2,
      textStyle: { fontSize: 22, fontWeight: "bold", color: "#1f2933", fontFamily: FONT },
      subtextStyle: { fontSize: 12, color: "#616e7c", fontFamily: FONT }
    };
    option.graphic = emptyGraphic(total === 0);
    option.series = [{
      name: series.name, type: "pie", radius: ["48%", "72%"], center: ["30%", "52%"],
      avoidLabelOverlap: true, minAngle: 3,
      itemStyle: { borderColor: "#fff", borderWidth: 2 },
      label: { show: false },
      emphasis: { scale: true, scaleSize: 6 },
      data: data
    }];
    return option;
  }

  function bandWidth(el, n) {
    return Math.max(40, Math.floor(((el ? el.clientWidth : 600) - 90) / Math.max(n, 1)) - 8);
  }

  function barOption(panel, el) {
    var option = baseOption(panel);
    var many = panel.categories.length > 6;
    option.tooltip.trigger = "axis";
    option.tooltip.axisPointer = { type: "shadow" };
    option.tooltip.formatter = axisTooltip(panel, function (c) { return c; });
    option.grid = { left: 12, right: 20, top: 36, bottom: 8, containLabel: true };
    option.legend = { show: panel.series.length > 1, top: 0 };
    option.xAxis = {
      type: "category", data: panel.categories,
      axisTick: { alignWithLabel: true }, axisLine: { lineStyle: { color: "#c4ccd6" } },
      // Long Chinese names (城东市场监管所) wrap within their band rather than overlap.
      axisLabel: {
        color: "#3e4c59", interval: 0, rotate: many ? 30 : 0, hideOverlap: true, lineHeight: 15,
        width: many ? 110 : bandWidth(el, panel.categories.length), overflow: many ? "truncate" : "breakAll"
      }
    };
    option.yAxis = {
      type: "value", name: panel.unit, nameTextStyle: { color: "#616e7c", align: "right" }, minInterval: 1,
      boundaryGap: [0, "15%"],
      splitLine: { lineStyle: { color: "#eef1f5" } }, axisLabel: { color: "#616e7c", formatter: fmt }
    };
    option.series = panel.series.map(function (s, k) {
      return {
        name: s.name, type: "bar", barMaxWidth: 46, stack: panel.stack ? "total" : undefined,
        data: s.data.map(function (v, i) { return { value: v, link: panel.links ? panel.links[i] : null }; }),
        itemStyle: {
          borderRadius: panel.stack ? 0 : [3, 3, 0, 0],
          color: s.color || (panel.series.length > 1 ? PALETTE[k % PALETTE.length] : {
            type: "linear", x: 0, y: 0, x2: 0, y2: 1,
            colorStops: [{ offset: 0, color: "#3a86c8" }, { offset: 1, color: "#1f4e8c" }]
          })
        },
        // Stacked segments carry their number inside (hidden when zero); single bars on top.
        label: panel.stack
          ? { show: true, position: "inside", color: "#fff", fontSize: 11,
              formatter: function (p) { return p.value ? fmt(p.value) : ""; } }
          : { show: true, position: "top", color: "#3e4c59", formatter: function (p) { return fmt(p.value); } },
        emphasis: { itemStyle: { color: "#173b6a" } }
      };
    });
    option.graphic = emptyGraphic(sum(panel.series.map(function (s) { return sum(s.data); })) === 0);
    return option;
  }

  function lineOption(panel) {
    var option = baseOption(panel);
    option.tooltip.trigger = "axis";
    option.tooltip.formatter = axisTooltip(panel, monthLabel);
    option.grid = { left: 12, right: 24, top: 36, bottom: 8, containLabel: true };
    option.legend = { show: panel.series.length > 1, top: 0 };
    option.xAxis = {
      type: "category", data: panel.categories,
      axisLine: { lineStyle: { color: "#c4ccd6" } },
      axisLabel: {
        color: "#3e4c59",
        formatter: function (c, index) {
          var m = /^(\d{4})-(\d{2})$/.exec(c);
          if (!m) return c;
          return (Number(m[2]) === 1 || index === 0 ? m[1] + "年\n" : "\n") + Number(m[2]) + "月";
        }
      }
    };
    option.yAxis = {
      type: "value", name: panel.unit, nameTextStyle: { color: "#616e7c", align: "right" }, minInterval: 1,
      boundaryGap: [0, "15%"],
      splitLine: { lineStyle: { color: "#eef1f5" } }, axisLabel: { color: "#616e7c", formatter: fmt }
    };
    option.series = panel.series.map(function (s, k) {
      var color = PALETTE[k % PALETTE.length];
      return {
        name: s.name, type: "line", symbol: "circle", symbolSize: 7, data: s.data,
        lineStyle: { width: 2.5, color: color }, itemStyle: { color: color, borderColor: "#fff", borderWidth: 1.5 },
        label: { show: true, position: "top", color: "#3e4c59", formatter: function (p) { return fmt(p.value); } },
        areaStyle: panel.series.length > 1 ? undefined : {
          color: {
            type: "linear", x: 0, y: 0, x2: 0, y2: 1,
            colorStops: [{ offset: 0, color: "rgba(31,78,140,.28)" }, { offset: 1, color: "rgba(31,78,140,.02)" }]
          }
        }
      };
    });
    option.graphic = emptyGraphic(sum(panel.series.map(function (s) { return sum(s.data); })) === 0);
    return option;
  }

  var BUILDERS = { pie: pieOption, bar: barOption, line: lineOption };

  function showTotal(panel) {
    var el = document.querySelector('[data-total-for="' + panel.key + '"]');
    if (!el || !panel.series.length) return;
    var label = panel.type === "line" ? "合计" : "总计";
    // A bar chart's total is every series (stacked states add up); a pie or a line has one series.
    var total = panel.type === "bar" ? sum(panel.series.map(function (s) { return sum(s.data); })) : sum(panel.series[0].data);
    el.innerHTML = '<span class="label">' + label + '</span><strong>' + fmt(total) +
      '</strong><span class="unit">' + escapeHtml(panel.unit) + "</span>";
  }

  /* Without ECharts the same figures appear as a plain table, so the page still answers. */
  function renderTable(el, panel) {
    var head = "<tr><th>" + (panel.type === "line" ? "月份" : "项目") + "</th>" + panel.series.map(function (s) {
      return '<th class="num">' + escapeHtml(s.name) + "（" + escapeHtml(panel.unit) + "）</th>";
    }).join("") + "</tr>";
    var rows = panel.categories.map(function (c, i) {
      var label = panel.type === "line" ? monthLabel(c) : c;
      var link = panel.links && panel.links[i];
      var cell = link ? '<a href="' + escapeHtml(link) + '">' + escapeHtml(label) + "</a>" : escapeHtml(label);
      return "<tr><td>" + cell + "</td>" + panel.series.map(function (s) {
        return '<td class="num">' + fmt(s.data[i]) + "</td>";
      }).join("") + "</tr>";
    }).join("");
    el.classList.add("chart-table");
    el.innerHTML = '<table class="data"><thead>' + head + "</thead><tbody>" + rows + "</tbody></table>";
    el.setAttribute("data-rendered", "table");
  }

  function renderChart(el, panel) {
    var chart = window.echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption(BUILDERS[panel.type](panel, el));
    chart.on("click", function (p) {
      var link = p.data && p.data.link;
      if (link) window.location.href = link;
    });
    if (panel.links) {
      chart.getZr().on("mousemove", function (e) { chart.getZr().setCursorStyle(e.target ? "pointer" : "default"); });
    }
    el.setAttribute("data-rendered", "1");
    return chart;
  }

  function init() {
    var source = document.getElementById("dashboard-data");
    if (!source) return;
    var panels = JSON.parse(source.textContent);
    var charts = [];
    panels.forEach(function (panel) {
      var el = document.querySelector('.chart[data-panel="' + panel.key + '"]');
      if (!el) return;
      showTotal(panel);
      if (window.echarts && BUILDERS[panel.type]) {
        charts.push({ chart: renderChart(el, panel), panel: panel, el: el });
      } else {
        renderTable(el, panel);
      }
    });
    if (charts.length) {
      var pending = null;
      window.addEventListener("resize", function () {
        if (pending) window.cancelAnimationFrame(pending);
        pending = window.requestAnimationFrame(function () {
          charts.forEach(function (c) {
            c.chart.resize();
            if (c.panel.type === "bar") c.chart.setOption(BUILDERS.bar(c.panel, c.el));
          });
        });
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
