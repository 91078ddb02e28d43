import fc from 'fast-check';

/**
 * Hostile input for the fuzzing and injection tests: strings that have broken other systems, and
 * fast-check arbitraries that build request bodies, query strings and headers as raw text, so
 * they can hold what a JSON library would never write (duplicate keys, `__proto__` as an own key,
 * numbers beyond double range, unbalanced brackets).
 */

/** SQL, markup, template and spreadsheet injections; each must be stored verbatim and shown inert. */
export const INJECTIONS = [
  "'; drop table person; --",
  "Robert'); drop table unit;--",
  "' or '1'='1",
  '" or ""="',
  "1' union select password_hash from person --",
  '$1; select pg_sleep(0); --',
  '<script>alert(1)</script>',
  '</script><script>alert(1)</script>',
  '</textarea><script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  '" onmouseover="alert(1)',
  "' onmouseover='alert(1)",
  '"><img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<!--',
  ']]><![CDATA[',
  '{{7*7}}',
  '${7*7}',
  '#{7*7}',
  '<%= 7*7 %>',
  "=cmd|' /C calc'!A0",
  '=HYPERLINK("http://evil.example","x")',
  '+SUM(1+1)',
  '-2+3',
  '@SUM(1,1)',
  '\u202eevil\u202c',
  '\u2028\u2029',
  'İstanbul ß ﬃ',
] as const;

/** Prototype-pollution and other keys that plain objects treat specially. */
export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'length',
  '',
  ' ',
  '0',
  'a.b',
  'a[b]',
  '$where',
  '$gt',
] as const;

const NUMBER_TEXTS = [
  '0',
  '-0',
  '-1',
  '1.5',
  '1e400',
  '-1e400',
  '1e-400',
  '9007199254740993',
  '123456789012345678901234567890',
  '2147483648',
  '-2147483649',
  '0.1',
];

const LOOKALIKES = [
  '0',
  'true',
  'null',
  'undefined',
  'NaN',
  '[]',
  '{}',
  '2026-02-30',
  '9999-12-31',
  '0000-00-00',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '0b5e7c1a-3f2d-4e6b-9a8c-7d1e2f3a4b5',
  '* * * * * * *',
  'Etc/GMT+99',
  'a@b',
  '"@example.test',
];

/** Any text, weighted towards what breaks things: injections, NUL, sizes around limits, lookalikes. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...INJECTIONS), weight: 3 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))
      .map(([a, b]) => `${a}\u0000${b}`),
    weight: 1,
  },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom(64, 100, 101, 200, 201, 254, 500, 1000, 1001, 2001, 6000),
        fc.boolean(),
      )
      .map(([n, wide]) => (wide ? '😀'.repeat(Math.ceil(n / 2)) : 'x'.repeat(n))),
    weight: 1,
  },
  { arbitrary: fc.constantFrom('', ' ', '\t\r\n', '\u00a0', '\u200b', '\ufeff'), weight: 1 },
  { arbitrary: fc.constantFrom(...LOOKALIKES), weight: 1 },
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_KEYS), weight: 3 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
  { arbitrary: hostileString, weight: 1 },
);

const scalarText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: hostileString.map((s) => JSON.stringify(s)), weight: 4 },
  { arbitrary: fc.constantFrom(...NUMBER_TEXTS), weight: 1 },
  { arbitrary: fc.oneof(fc.integer(), fc.double()).map((n) => JSON.stringify(n)), weight: 1 },
  { arbitrary: fc.constantFrom('true', 'false', 'null'), weight: 1 },
);

const objectText = (entries: [string, string][]) =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

/** Any JSON value as text: objects may repeat keys and carry `__proto__` as an own key. */
export const hostileJson: fc.Arbitrary<string> = fc.letrec<{
  value: string;
  array: string;
  object: string;
}>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    { arbitrary: scalarText, weight: 4 },
    { arbitrary: tie('array'), weight: 1 },
    { arbitrary: tie('object'), weight: 1 },
  ),
  array: fc.array(tie('value'), { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`),
  object: fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 }).map(objectText),
})).value;

/** Whole bodies no serializer would write. */
const RAW_BODIES = [
  '',
  ' ',
  '{',
  '{"a":',
  '[1,]',
  "{'a':1}",
  '{"a":1}garbage',
  '\ufeff{}',
  '{"a":1e99999}',
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '[{"__proto__":{"polluted":"yes"}}]',
  `${'['.repeat(3000)}${']'.repeat(3000)}`,
  `${'{"a":'.repeat(200)}1${'}'.repeat(200)}`,
  '"\\ud800"',
];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Variations of a valid body, as JSON text: each field kept, dropped, replaced by anything or
 * varied in turn, plus extra fields. Close enough to valid to get past the first check.
 */
export function mutatedJson(seed: Json, depth = 0): fc.Arbitrary<string> {
  const same = fc.constant(JSON.stringify(seed));
  if (depth > 3) return fc.oneof({ arbitrary: same, weight: 3 }, hostileJson);
  if (Array.isArray(seed)) {
    const varied = fc
      .tuple(
        fc.tuple(...seed.map((s) => mutatedJson(s, depth + 1))),
        fc.array(hostileJson, { maxLength: 2 }),
      )
      .map(([kept, extra]) => `[${[...kept, ...extra].join(',')}]`);
    return fc.oneof({ arbitrary: same, weight: 2 }, hostileJson, { arbitrary: varied, weight: 3 });
  }
  if (seed !== null && typeof seed === 'object') {
    const fields = Object.entries(seed).map(([key, value]) =>
      fc.option(
        mutatedJson(value, depth + 1).map((v): [string, string] => [key, v]),
        { freq: 6 },
      ),
    );
    const varied = fc
      .tuple(fc.tuple(...fields), fc.array(fc.tuple(hostileKey, hostileJson), { maxLength: 2 }))
      .map(([kept, extra]) =>
        objectText([...kept.filter((f): f is [string, string] => f !== null), ...extra]),
      );
    return fc.oneof({ arbitrary: same, weight: 1 }, hostileJson, { arbitrary: varied, weight: 4 });
  }
  return fc.oneof({ arbitrary: same, weight: 3 }, hostileJson);
}

/** A JSON body for a route: mostly variations of a valid one, sometimes anything at all. */
export function jsonBody(seed: Json | undefined): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: seed === undefined ? hostileJson : mutatedJson(seed), weight: 6 },
    { arbitrary: hostileJson, weight: 2 },
    { arbitrary: fc.constantFrom(...RAW_BODIES), weight: 1 },
  );
}

/** Percent-encodes any string; a lone surrogate (which encodeURIComponent refuses) becomes U+FFFD. */
export const encode = (s: string) =>
  encodeURIComponent(
    s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );

/** A urlencoded value or key: usually encoded, sometimes raw with broken escapes. */
const formPart = (s: fc.Arbitrary<string>) =>
  fc.oneof(
    { arbitrary: s.map(encode), weight: 5 },
    { arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2', '+', '=', '&'), weight: 1 },
  );

/** Form fields people post (and the bracketed keys the answering form uses). */
const FORM_KEYS = ['answers', 'answers[]', 'answers[__proto__]', 'answers[x][y]', 'comment'];

/** An urlencoded body: a valid form's fields varied, dropped, repeated, plus hostile fields. */
export function formBody(seed: [string, string][]): fc.Arbitrary<string> {
  const fields = seed.map(([key, value]) =>
    fc.oneof(
      { arbitrary: fc.constant([`${encode(key)}=${encode(value)}`]), weight: 3 },
      { arbitrary: formPart(hostileString).map((v) => [`${encode(key)}=${v}`]), weight: 2 },
      { arbitrary: fc.constant([] as string[]), weight: 1 },
      {
        arbitrary: formPart(hostileString).map((v) => [
          `${encode(key)}=${encode(value)}`,
          `${encode(key)}=${v}`,
        ]),
        weight: 1,
      },
    ),
  );
  const extra = fc.array(
    fc
      .tuple(formPart(fc.oneof(hostileKey, fc.constantFrom(...FORM_KEYS))), formPart(hostileString))
      .map(([k, v]) => `${k}=${v}`),
    { maxLength: 3 },
  );
  return fc.oneof(
    {
      arbitrary: fc
        .tuple(fc.tuple(...fields), extra)
        .map(([kept, more]) => [...kept.flat(), ...more].join('&')),
      weight: 5,
    },
    { arbitrary: fc.constantFrom('', '&&&', '=', 'a', '%', 'a=%zz&b=%', '=&=&'), weight: 1 },
  );
}

const csvCell = (s: string) => (/[",;\t\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * A CSV file: the valid one's cells varied or replaced, extra rows and columns, other separators
 * and line ends, a BOM, broken quoting.
 */
export function csvBody(seed: string): fc.Arbitrary<string> {
  const rows = seed
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  const cell = (value: string) =>
    fc.oneof(
      { arbitrary: fc.constant(value), weight: 4 },
      { arbitrary: hostileString.map(csvCell), weight: 2 },
      { arbitrary: hostileString, weight: 1 },
    );
  const varied = fc
    .record({
      rows: fc.tuple(...rows.map((r) => fc.tuple(...r.map(cell)))),
      extraRows: fc.array(fc.array(hostileString.map(csvCell), { maxLength: 8 }), {
        maxLength: 3,
      }),
      separator: fc.constantFrom(',', ',', ',', ';', '\t', '|'),
      lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
      bom: fc.boolean(),
      tail: fc.constantFrom('', '', '\n', '"', '\n"unterminated', ',,,,'),
    })
    .map(
      (c) =>
        `${c.bom ? '\ufeff' : ''}${[...c.rows, ...c.extraRows]
          .map((r) => r.join(c.separator))
          .join(c.lineEnd)}${c.tail}`,
    );
  return fc.oneof(
    { arbitrary: varied, weight: 6 },
    { arbitrary: hostileString, weight: 1 },
    { arbitrary: hostileJson, weight: 1 },
  );
}

/** A query string ('' or '?…'): the documented parameters varied, repeated, plus unknown ones. */
export function queryString(
  names: string[],
  seed: Record<string, string> = {},
): fc.Arbitrary<string> {
  const known = [...new Set([...names, ...Object.keys(seed)])];
  const pair = fc
    .tuple(
      formPart(
        known.length
          ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, hostileKey)
          : hostileKey,
      ),
      formPart(hostileString),
    )
    .map(([k, v]) => `${k}=${v}`);
  const seeded = Object.entries(seed).map(([k, v]) =>
    fc.oneof(
      { arbitrary: fc.constant([`${k}=${encode(v)}`]), weight: 3 },
      { arbitrary: fc.constant([] as string[]), weight: 1 },
    ),
  );
  return fc
    .tuple(
      fc.tuple(...seeded),
      fc.oneof(
        { arbitrary: fc.constant([] as string[]), weight: 2 },
        fc.array(pair, { minLength: 1, maxLength: 4 }),
      ),
    )
    .map(([a, b]) => [...a.flat(), ...b])
    .map((parts) => (parts.length ? `?${parts.join('&')}` : ''));
}

/** Characters Node's HTTP client lets through in a header value. */
export const headerSafe = (s: string) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '').trim();

/** Header values a client could send: anything that fits a header, some very long. */
export const hostileHeaderValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: hostileString.map(headerSafe), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }).map(headerSafe), weight: 2 },
  {
    arbitrary: fc
      .constantFrom(200, 1000, 6000)
      .chain((n) => fc.constantFrom('a', '%', '"', 'é').map((c) => c.repeat(n))),
    weight: 1,
  },
);
