/** Polls until `probe` returns something truthy; fails naming what it waited for. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  ms = 60_000,
  describe?: () => Promise<unknown>,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > ms) {
      const state = describe ? `: ${JSON.stringify(await describe())}` : '';
      throw new Error(`timed out waiting for ${what}${state}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
