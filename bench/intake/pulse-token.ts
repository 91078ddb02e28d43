/**
 * Benchmark links with known plaintexts, so a load generator in another process can name them
 * without a list: link number n is "p_" and n padded to 43 digits, which has the shape of a real
 * link (libs/surveys pulse.service TOKEN_SHAPE) while only its SHA-256 is stored, as for real links.
 */
export function pulseToken(n: number): string {
  return `p_${String(n).padStart(43, '0')}`;
}

/** The same token in SQL, for the integer expression `n`, and its stored hash. */
export function pulseTokenHashSql(n: string): string {
  return `encode(sha256(convert_to('p_' || lpad((${n})::text, 43, '0'), 'UTF8')), 'hex')`;
}
