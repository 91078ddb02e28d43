/**
 * The one inline script of the report pages (allowed by its hash in the CSP). It reads the JSON
 * the page embeds in <script type="application/json" id="report-data"> and draws each chart with
 * Chart.js into the canvas the server rendered. Every chart also has a table beside it, so
 * nothing depends on this script to be read. Plain ES2017, no template literals.
 */
export const REPORT_SCRIPT = `(function () {
  'use strict';
  var source = document.getElementById('report-data');
  if (!source || typeof Chart === 'undefined') return;
  var data = JSON.parse(source.textContent);
  var INK = '#1b1f24', MUTED = '#4a5561', ACCENT = '#0b5cad', ORG = '#8a4b00', GRID = '#d0d7de';
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.color = INK;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;

  function canvas(id) { return document.getElementById(id); }
  function fmt(x) { return x === null || x === undefined ? '–' : Number(x).toFixed(2); }
  function wrap(text, width) {
    var words = String(text).split(' '), lines = [], line = '';
    for (var i = 0; i < words.length; i++) {
      var next = line ? line + ' ' + words[i] : words[i];
      if (next.length > width && line) { lines.push(line); line = words[i]; } else { line = next; }
    }
    if (line) lines.push(line);
    return lines;
  }
  function narrow() { return window.matchMedia('(max-width: 40rem)').matches; }

  function dimensionsChart(report) {
    var el = canvas('chart-dimensions');
    if (!el || !report.latest || !report.latest.shown) return;
    var dims = report.latest.dimensions;
    var scale = report.scale || { min: 1, max: 5 };
    new Chart(el, {
      type: 'bar',
      data: {
        labels: dims.map(function (d) { return d.name; }),
        datasets: [
          { type: 'bar', label: 'Team: 90 % interval', data: dims.map(function (d) { return d.ciLow === null || d.ciHigh === null ? null : [d.ciLow, d.ciHigh]; }),
            backgroundColor: 'rgba(11,92,173,0.35)', borderColor: ACCENT, borderWidth: 1, barPercentage: 0.5, categoryPercentage: 0.9, grouped: false, order: 3 },
          { type: 'line', label: 'Team mean', data: dims.map(function (d) { return d.mean; }), showLine: false,
            pointStyle: 'circle', pointRadius: 6, pointBackgroundColor: ACCENT, pointBorderColor: '#fff', borderColor: ACCENT, order: 1 },
          { type: 'bar', label: 'Organisation: 90 % interval', data: dims.map(function (d) { return d.benchmark && d.benchmark.ciLow !== null && d.benchmark.ciHigh !== null ? [d.benchmark.ciLow, d.benchmark.ciHigh] : null; }),
            backgroundColor: 'rgba(138,75,0,0.18)', borderColor: ORG, borderWidth: 1, barPercentage: 0.9, categoryPercentage: 0.9, grouped: false, order: 4 },
          { type: 'line', label: 'Organisation mean', data: dims.map(function (d) { return d.benchmark ? d.benchmark.mean : null; }), showLine: false,
            pointStyle: 'rectRot', pointRadius: 6, pointBackgroundColor: ORG, pointBorderColor: '#fff', borderColor: ORG, order: 2 }
        ]
      },
      options: {
        indexAxis: 'y',
        scales: {
          x: { min: scale.min, max: scale.max, title: { display: true, text: 'Mean (' + scale.min + ' to ' + scale.max + ')' }, grid: { color: GRID } },
          y: { grid: { display: false } }
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 14, usePointStyle: true } },
          tooltip: { callbacks: { label: function (c) {
            var v = c.raw;
            return c.dataset.label + ': ' + (Array.isArray(v) ? fmt(v[0]) + ' to ' + fmt(v[1]) : fmt(v));
          } } }
        }
      }
    });
  }

  function trendCharts(report) {
    var rounds = report.trends;
    var labels = rounds.map(function (t) { return t.round.periodStart; });
    var keys = report.latest && report.latest.shown ? report.latest.dimensions.map(function (d) { return d.key; }) : [];
    var scale = report.scale || { min: 1, max: 5 };
    keys.forEach(function (key) {
      var el = canvas('chart-trend-' + key);
      if (!el) return;
      function pick(field) {
        return rounds.map(function (t) {
          if (!t.shown) return null;
          var d = t.dimensions.find(function (x) { return x.key === key; });
          return d ? d[field] : null;
        });
      }
      new Chart(el, {
        type: 'line',
        data: {
          labels: labels,
          datasets: [
            { label: '90 % interval, upper end', data: pick('ciHigh'), borderWidth: 0, pointRadius: 0, fill: false, borderColor: 'rgba(0,0,0,0)' },
            { label: '90 % interval', data: pick('ciLow'), borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: 'rgba(11,92,173,0.2)', borderColor: 'rgba(0,0,0,0)' },
            { label: 'Team mean', data: pick('mean'), borderColor: ACCENT, backgroundColor: ACCENT, pointRadius: 4, borderWidth: 2, fill: false }
          ]
        },
        options: {
          scales: { y: { min: scale.min, max: scale.max, grid: { color: GRID } }, x: { grid: { display: false } } },
          plugins: { legend: { display: false }, tooltip: { filter: function (item) { return item.datasetIndex === 2; } } }
        }
      });
    });
  }

  var quadrantLines = {
    id: 'quadrantLines',
    beforeDatasetsDraw: function (chart) {
      var x = chart.scales.x, y = chart.scales.y, ctx = chart.ctx;
      var mx = x.getPixelForValue(3.5), my = y.getPixelForValue(3.5);
      ctx.save();
      ctx.strokeStyle = MUTED; ctx.lineWidth = 1; ctx.setLineDash([5, 4]);
      ctx.beginPath(); ctx.moveTo(mx, y.top); ctx.lineTo(mx, y.bottom); ctx.moveTo(x.left, my); ctx.lineTo(x.right, my); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = MUTED; ctx.font = '600 11px system-ui, sans-serif';
      function label(lines, px, top, align) {
        ctx.textAlign = align; ctx.textBaseline = 'top';
        var start = top ? y.top + 4 : y.bottom - 4 - lines.length * 13;
        lines.forEach(function (line, i) { ctx.fillText(line, px, start + i * 13); });
      }
      label(['aligned', 'autonomy'], x.right - 4, true, 'right');
      label(['abandonment', 'risk'], x.right - 4, false, 'right');
      label(['micromanagement', 'risk'], x.left + 4, true, 'left');
      label(['adrift'], x.left + 4, false, 'left');
      ctx.restore();
    }
  };

  function quadrantChart(report) {
    var el = canvas('chart-quadrant');
    if (!el) return;
    var path = report.trends.filter(function (t) { return t.shown && t.autonomy !== null && t.alignment !== null; });
    new Chart(el, {
      type: 'scatter',
      data: {
        labels: path.map(function (t) { return t.round.periodStart; }),
        datasets: [{
          label: 'The team, round by round',
          data: path.map(function (t) { return { x: t.autonomy, y: t.alignment }; }),
          showLine: true, borderColor: ACCENT, backgroundColor: ACCENT, borderWidth: 2,
          pointRadius: path.map(function (_, i) { return i === path.length - 1 ? 7 : 4; })
        }]
      },
      options: {
        scales: {
          x: { min: 1, max: 5, title: { display: true, text: 'Autonomy (room to decide)' }, grid: { color: GRID } },
          y: { min: 1, max: 5, title: { display: true, text: 'Alignment' }, grid: { color: GRID } }
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (c) { return path[c.dataIndex].round.periodStart + ': autonomy ' + fmt(c.raw.x) + ', alignment ' + fmt(c.raw.y); } } }
        }
      },
      plugins: [quadrantLines]
    });
  }

  var ANSWER_COLOURS = ['#b2182b', '#ef8a62', '#c9c9c9', '#67a9cf', '#2166ac', '#053061', '#67001f'];
  function answerColours(count) {
    if (count === 5) return ANSWER_COLOURS.slice(0, 5);
    var out = [];
    for (var i = 0; i < count; i++) out.push(['#b2182b', '#ef8a62', '#fddbc7', '#c9c9c9', '#d1e5f0', '#67a9cf', '#2166ac'][Math.round(i * 6 / Math.max(1, count - 1))]);
    return out;
  }

  function itemCharts(report) {
    if (!report.items || !report.items.length) return;
    var labels = (report.scale && report.scale.labels) || null;
    var groups = {};
    report.items.forEach(function (item) { (groups[item.dimension] = groups[item.dimension] || []).push(item); });
    Object.keys(groups).forEach(function (dimension) {
      var el = canvas('chart-items-' + dimension);
      if (!el) return;
      var items = groups[dimension];
      var options = items[0].distribution.length;
      var colours = answerColours(options);
      var width = narrow() ? 18 : 48;
      var lines = items.reduce(function (sum, item) { return sum + wrap(item.text, width).length; }, 0);
      el.parentNode.style.height = (90 + lines * 16 + items.length * 18) + 'px';
      new Chart(el, {
        type: 'bar',
        data: {
          labels: items.map(function (item) { return wrap(item.text + (item.reverse ? ' (reversed)' : ''), width); }),
          datasets: colours.map(function (colour, j) {
            return {
              label: labels ? labels[j] : String(report.scale.min + j),
              data: items.map(function (item) { return item.distribution[j]; }),
              backgroundColor: colour, borderColor: '#fff', borderWidth: 1
            };
          })
        },
        options: {
          indexAxis: 'y',
          scales: {
            x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'People' }, grid: { color: GRID } },
            y: { stacked: true, grid: { display: false }, ticks: { autoSkip: false, font: { size: narrow() ? 11 : 12 } } }
          },
          plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } }
        }
      });
    });
  }

  function participationChart(rounds) {
    var el = canvas('chart-participation');
    if (!el) return;
    var rated = rounds.some(function (r) { return r.responseRate !== null; });
    var datasets = [{ label: 'People who answered', data: rounds.map(function (r) { return r.respondents; }), borderColor: ACCENT, backgroundColor: ACCENT, yAxisID: 'y', pointRadius: 4 }];
    if (rated) datasets.push({ label: 'Response rate (%)', data: rounds.map(function (r) { return r.responseRate === null ? null : Math.round(r.responseRate * 1000) / 10; }), borderColor: ORG, backgroundColor: ORG, borderDash: [6, 4], yAxisID: 'rate', pointRadius: 4 });
    var scales = { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'People' }, grid: { color: GRID } }, x: { grid: { display: false } } };
    if (rated) scales.rate = { position: 'right', min: 0, max: 100, title: { display: true, text: 'Response rate (%)' }, grid: { display: false } };
    new Chart(el, {
      type: 'line',
      data: { labels: rounds.map(function (r) { return r.periodStart; }), datasets: datasets },
      options: { scales: scales, plugins: { legend: { position: 'bottom' } } }
    });
  }

  if (data.kind === 'unit') {
    dimensionsChart(data.report);
    trendCharts(data.report);
    quadrantChart(data.report);
    itemCharts(data.report);
  } else if (data.kind === 'organisation') {
    participationChart(data.participation);
  }

  function resizeAll() { Object.values(Chart.instances).forEach(function (chart) { chart.resize(); }); }
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
    resizeAll();
  });
  window.addEventListener('afterprint', resizeAll);
})();`;
