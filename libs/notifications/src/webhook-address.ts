import { isIP } from 'node:net';

/**
 * Which addresses a webhook may reach. Pure: the settings check (literal addresses) and the
 * delivery (every address a name resolves to) both ask it.
 */

type V4Range = [first: number, bits: number];

const v4 = (a: number, b: number, c: number, d: number) =>
  ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/** Not the public internet: "this network", private, shared, loopback, link-local, reserved… */
const NON_PUBLIC_V4: V4Range[] = [
  [v4(0, 0, 0, 0), 8], // "this network", 0.0.0.0 included
  [v4(10, 0, 0, 0), 8], // private
  [v4(100, 64, 0, 0), 10], // carrier-grade NAT
  [v4(127, 0, 0, 0), 8], // loopback
  [v4(169, 254, 0, 0), 16], // link-local (cloud metadata services)
  [v4(172, 16, 0, 0), 12], // private
  [v4(192, 0, 0, 0), 24], // IETF protocol assignments
  [v4(192, 0, 2, 0), 24], // documentation
  [v4(192, 168, 0, 0), 16], // private
  [v4(198, 18, 0, 0), 15], // benchmarking
  [v4(198, 51, 100, 0), 24], // documentation
  [v4(203, 0, 113, 0), 24], // documentation
  [v4(224, 0, 0, 0), 4], // multicast
  [v4(240, 0, 0, 0), 4], // reserved, broadcast included
];

function inV4(value: number, [first, bits]: V4Range): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (value & mask) >>> 0 === first;
}

function parseV4(address: string): number {
  const [a, b, c, d] = address.split('.').map(Number);
  return v4(a, b, c, d);
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included). */
function parseV6(address: string): number[] {
  let text = address.split('%')[0];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = parseV4(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => parseInt(g, 16));
}

function isNonPublicV6(groups: number[]): boolean {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
  const embedded = (g6 * 0x10000 + g7) >>> 0;
  const zeroTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroTo(8)) return true; // :: unspecified
  if (zeroTo(7) && g7 === 1) return true; // ::1 loopback
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d): the IPv4 address decides.
  if (zeroTo(5) && g5 === 0xffff) return isNonPublicV4(embedded);
  if (zeroTo(6)) return isNonPublicV4(embedded);
  // NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::) carry an IPv4 address too.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return isNonPublicV4(embedded);
  if (g0 === 0x2002) return isNonPublicV4((g1 * 0x10000 + g2) >>> 0);
  if ((g0 & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((g0 & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return true; // documentation
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // discard-only
  return false;
}

function isNonPublicV4(value: number): boolean {
  return NON_PUBLIC_V4.some((range) => inV4(value, range));
}

/** Whether an IP address (v4 or v6, as Node or a URL writes it) is anything but public. */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare.split('%')[0]);
  if (family === 4) return isNonPublicV4(parseV4(bare));
  if (family === 6) return isNonPublicV6(parseV6(bare));
  // Not an address at all: nothing to connect to, so nothing to allow.
  return true;
}

/**
 * The problem with a webhook URL's host as written, before any name is resolved: an IP literal
 * that is not public (a URL has already turned 2130706433, 0177.0.0.1 and 0x7f000001 into
 * 127.0.0.1), or a name that always means this machine (localhost and *.localhost).
 */
export function privateHostProblem(url: URL): string | null {
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const literal = host.replace(/^\[|\]$/g, '');
  if (isIP(literal)) return isNonPublicAddress(literal) ? 'is a private address' : null;
  if (host === 'localhost' || host.endsWith('.localhost')) return 'is this machine';
  return null;
}
