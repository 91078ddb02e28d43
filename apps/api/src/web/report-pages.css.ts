/** The report pages' stylesheet: the app's look, phone first, with a print layout for A4. */
export const REPORT_STYLE = `
:root { color-scheme: light; --ink:#1b1f24; --muted:#4a5561; --line:#d0d7de; --accent:#0b5cad; --bg:#f6f8fa; --bad:#a40e26; --warn:#7a4d00; }
* { box-sizing: border-box; }
body { margin:0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
header { background:#fff; border-bottom:1px solid var(--line); padding:.75rem 1rem; display:flex; justify-content:space-between; align-items:center; gap:1rem; flex-wrap:wrap; }
header .brand { font-weight:700; color:var(--ink); text-decoration:none; }
header form { margin:0; }
.skip { position:absolute; left:-999px; top:0; background:#fff; padding:.5rem; }
.skip:focus { left:.5rem; }
main { max-width:60rem; margin:0 auto; padding:1rem; }
h1 { font-size:1.5rem; margin:.5rem 0 .25rem; overflow-wrap:anywhere; }
h2 { font-size:1.2rem; margin:0 0 .5rem; }
h3 { font-size:1.05rem; margin:1rem 0 .25rem; }
a { color:var(--accent); }
nav.crumbs { font-size:.95rem; margin-bottom:.5rem; }
nav.crumbs a { display:inline-block; padding:.5rem 0; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:1rem; margin-bottom:1rem; min-width:0; }
.muted { color:var(--muted); }
button.link { font:inherit; background:none; border:0; color:var(--accent); padding:.25rem; margin:0; text-decoration:underline; cursor:pointer; }
:focus-visible { outline:3px solid #f2a900; outline-offset:2px; }
.facts { display:flex; flex-wrap:wrap; gap:.5rem 1.5rem; margin:0; padding:0; list-style:none; }
.facts li strong { display:block; font-size:1.25rem; }
.flag { border-left:6px solid var(--warn); padding:.25rem 0 .25rem .9rem; margin:1rem 0; }
.flag.confirmed { border-left-color:var(--bad); }
.flag h3 { margin-top:0; }
.level { display:inline-block; font-size:.8rem; font-weight:700; text-transform:uppercase; letter-spacing:.04em; padding:.05rem .45rem; border-radius:4px; border:1px solid currentColor; margin-right:.4rem; vertical-align:middle; }
.level.confirmed { color:var(--bad); }
.level.watch { color:var(--warn); }
.evidence { background:var(--bg); border-radius:6px; padding:.5rem .75rem; }
.actions li { margin:.25rem 0; }
.chart { position:relative; width:100%; height:20rem; }
.chart.small { height:11rem; }
.chart canvas { max-width:100%; }
.grid { display:grid; grid-template-columns:1fr; gap:1rem; }
@media (min-width: 45rem) { .grid.two { grid-template-columns:1fr 1fr; } }
.grid > div { min-width:0; }
details { margin-top:.75rem; }
summary { cursor:pointer; color:var(--accent); padding:.35rem 0; }
.table-wrap { overflow-x:auto; max-width:100%; }
table { border-collapse:collapse; width:100%; font-size:.9rem; }
th, td { border-bottom:1px solid var(--line); padding:.35rem .5rem; text-align:left; vertical-align:top; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
caption { text-align:left; font-weight:600; padding:.25rem 0; }
.suppressed { font-style:italic; color:var(--muted); }
.heat td.cell { text-align:center; font-weight:600; font-variant-numeric:tabular-nums; min-width:3.2rem; }
.heat th[scope=row] { font-weight:normal; min-width:9rem; max-width:14rem; overflow-wrap:anywhere; position:sticky; left:0; background:#fff; z-index:1; }
.heat thead th:first-child { position:sticky; left:0; background:#fff; z-index:1; }
.heat th[scope=row] a { font-weight:600; }
.d1 { padding-left:1.25rem !important; } .d2 { padding-left:2.25rem !important; } .d3 { padding-left:3.25rem !important; } .d4 { padding-left:4.25rem !important; }
.h0 { background:#f9c6c9; } .h1 { background:#fbd9c3; } .h2 { background:#f6eec2; } .h3 { background:#d6ecd2; } .h4 { background:#a9dcb1; }
.legend { display:flex; flex-wrap:wrap; gap:.25rem; list-style:none; padding:0; margin:.5rem 0; font-size:.85rem; }
.legend li { padding:.1rem .5rem; border-radius:4px; }
.print-note { font-size:.9rem; }
.visually-hidden { position:absolute !important; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
ul.commitments { list-style:none; padding:0; margin:0 0 1rem; }
ul.commitments li { border-bottom:1px solid var(--line); padding:.5rem 0; }
ul.commitments p { margin:.2rem 0; }
.commitment-form label { display:block; font-weight:600; margin:.75rem 0 .25rem; }
.commitment-form input, .commitment-form textarea, .commitment-form select { width:100%; font:inherit; padding:.6rem .7rem; border:1px solid #8c959f; border-radius:6px; background:#fff; color:var(--ink); }
.commitment-form button { font:inherit; font-weight:600; padding:.6rem 1.1rem; border-radius:6px; border:0; background:var(--accent); color:#fff; cursor:pointer; margin-top:1rem; min-height:44px; }
.field-error { color:var(--bad); font-weight:600; margin:.25rem 0 0; }
.export-form .row { display:flex; flex-wrap:wrap; gap:0 1rem; }
.export-form .row > div { flex:1 1 10rem; }
.export-form .buttons { display:flex; flex-wrap:wrap; gap:0 .75rem; }
tr.failed th, tr.failed td { color:var(--bad); }
.error { color:var(--bad); font-weight:600; }
.error-summary { border:2px solid var(--bad); border-radius:6px; padding:.5rem .75rem; margin:.5rem 0; }
@media print {
  .no-print { display:none !important; }
  @page { size:A4; margin:14mm; }
  body { background:#fff; color:#000; font-size:11pt; }
  header, nav.crumbs, .skip, .print-note, summary { display:none !important; }
  main { max-width:none; padding:0; }
  .card { border:0; padding:0; margin:0 0 6mm; break-inside:auto; }
  section.card + section.card { break-before:page; }
  section.card.keep { break-before:auto; }
  .muted, .suppressed, .level.confirmed, .level.watch, a, summary { color:#000 !important; }
  .chart { width:180mm; height:90mm; break-inside:avoid; }
  .chart.small { width:85mm; height:50mm; }
  .grid.two { grid-template-columns:1fr 1fr; }
  details > *:not(summary) { display:block; }
  .table-wrap { overflow:visible; }
  table { font-size:9pt; break-inside:auto; }
  tr, .flag { break-inside:avoid; }
  .evidence { background:none; border:1px solid #000; }
  .h0, .h1, .h2, .h3, .h4, canvas { print-color-adjust:exact; -webkit-print-color-adjust:exact; }
  .heat th[scope=row] { position:static; }
}
`;
