/**
 * Student's t distribution, for the confidence intervals of team means (domain.md §2) and the
 * interval of a change between rounds. Written here rather than taken from a statistics package
 * so the scoring core has no dependencies and every digit can be checked against R.
 */

// Lanczos (g = 7, 9 terms): about 15 significant digits for arguments >= 0.5, which is all the
// t distribution needs (its beta parameters are df/2 and 1/2).
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

function logGamma(x: number): number {
  // Reflection keeps the series in the region where it is accurate.
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let series = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) series += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(series);
}

const TINY = 1e-300;
const CF_EPSILON = 1e-16;
// The continued fraction needs O(sqrt(max(a, b))) terms; this covers df beyond 10^8.
const CF_MAX_TERMS = 100_000;

/** Modified Lentz evaluation of the continued fraction for I_x(a, b) (Numerical Recipes 6.4). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= CF_MAX_TERMS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < CF_EPSILON) return h;
  }
  throw new Error(`incomplete beta did not converge (a=${a}, b=${b}, x=${x})`);
}

/**
 * Regularized incomplete beta I_x(a, b). The caller passes y = 1 − x computed on its own terms,
 * because forming 1 − x here would lose the digits that matter in the tails.
 */
function incompleteBeta(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logFront =
    a * Math.log(x) + b * Math.log(y) - (logGamma(a) + logGamma(b) - logGamma(a + b));
  const front = Math.exp(logFront);
  // The fraction converges quickly only on one side of the mean; use the symmetry on the other.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

function assertDegreesOfFreedom(df: number): void {
  if (!Number.isFinite(df) || df <= 0) {
    throw new RangeError(`degrees of freedom must be a positive finite number, got ${df}`);
  }
}

/** P(T > t) for t >= 0, computed directly so that small tail areas keep full precision. */
function upperTail(t: number, df: number): number {
  const t2 = t * t;
  return 0.5 * incompleteBeta(df / (df + t2), t2 / (df + t2), df / 2, 0.5);
}

function density(t: number, df: number): number {
  const logNorm = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** Cumulative distribution P(T ≤ t) of Student's t with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  assertDegreesOfFreedom(df);
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  return t >= 0 ? 1 - upperTail(t, df) : upperTail(-t, df);
}

/**
 * Inverse of {@link tCdf}: the t with P(T ≤ t) = p. Solves on the tail area (not on p) so that
 * p close to 0 or 1 keeps its precision; Newton steps, fenced by bisection so that the heavy
 * tails at small df cannot throw an iterate out of the bracket. Accurate to ~1e-12 relative.
 */
export function tQuantile(p: number, df: number): number {
  assertDegreesOfFreedom(df);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // 1 − p is exact for p ≥ 0.5 (Sterbenz), so either way the target tail area is exact.
  const tail = p > 0.5 ? 1 - p : p;
  const t = rememberedUpperQuantile(tail, df);
  return p > 0.5 ? t : -t;
}

/**
 * Aggregation asks for the same few quantiles (one confidence level, team sizes as degrees of
 * freedom) tens of thousands of times a round, and each solve costs about 80 µs; the answers are
 * remembered, up to a bound so that unusual degrees of freedom cannot grow the map without limit.
 */
const solved = new Map<string, number>();
const SOLVED_LIMIT = 10_000;

function rememberedUpperQuantile(tail: number, df: number): number {
  const key = `${tail}|${df}`;
  let t = solved.get(key);
  if (t === undefined) {
    t = upperQuantile(tail, df);
    if (solved.size >= SOLVED_LIMIT) solved.clear();
    solved.set(key, t);
  }
  return t;
}

/** The t >= 0 with P(T > t) = tail, for 0 < tail < 0.5. */
function upperQuantile(tail: number, df: number): number {
  let low = 0;
  let high = 1;
  while (upperTail(high, df) > tail) {
    low = high;
    high *= 2;
  }
  let t = (low + high) / 2;
  for (let i = 0; i < 200; i++) {
    const excess = upperTail(t, df) - tail;
    if (excess === 0) return t;
    // The tail falls as t grows: too much tail means t is too small.
    if (excess > 0) low = t;
    else high = t;
    let next = t + excess / density(t, df);
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}
