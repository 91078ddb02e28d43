/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A table that scrolls sideways on a phone, reachable and named for keyboard and screen readers. */
export function tableWrap(label: string, table: string): string {
  return `<div class="table-wrap" role="region" aria-label="${esc(label)}" tabindex="0">${table}</div>`;
}

const STYLE = `
:root { color-scheme: light; --ink:#1b1f24; --muted:#4a5561; --line:#d0d7de; --accent:#0b5cad; --bg:#f6f8fa; --bad:#a40e26; }
* { box-sizing: border-box; }
body { margin:0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
header { background:#fff; border-bottom:1px solid var(--line); padding:.75rem 1rem; display:flex; justify-content:space-between; align-items:center; gap:1rem; }
header .brand { font-weight:700; color:var(--ink); text-decoration:none; }
main { max-width:48rem; margin:0 auto; padding:1rem; }
h1 { font-size:1.5rem; margin:.5rem 0 1rem; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:1rem; margin-bottom:1rem; }
label { display:block; font-weight:600; margin:.75rem 0 .25rem; }
input { width:100%; font:inherit; padding:.6rem .7rem; border:1px solid #8c959f; border-radius:6px; }
button { font:inherit; font-weight:600; padding:.6rem 1.1rem; border-radius:6px; border:0; background:var(--accent); color:#fff; cursor:pointer; margin-top:1rem; min-height:44px; }
button.link { background:none; color:var(--accent); padding:.25rem; margin:0; text-decoration:underline; min-height:auto; }
:focus-visible { outline:3px solid #f2a900; outline-offset:2px; }
.error { color:var(--bad); font-weight:600; }
.muted { color:var(--muted); }
ul.units { list-style:none; padding:0; margin:0; }
ul.units li { padding:.6rem 0; border-bottom:1px solid var(--line); display:flex; justify-content:space-between; gap:1rem; }
ul.units li:last-child { border-bottom:0; }
.kind { font-size:.8rem; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
`;

export function page(title: string, body: string, signedInAs?: string): string {
  const nav = signedInAs
    ? `<form method="post" action="/sign-out"><span class="muted">${esc(signedInAs)}</span> <button class="link" type="submit">Sign out</button></form>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Trellis</title>
<style>${STYLE}</style>
</head>
<body>
<header><a class="brand" href="/app">Trellis</a>${nav}</header>
<main id="main">
${body}
</main>
</body>
</html>`;
}
