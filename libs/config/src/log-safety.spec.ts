import { safeError, safeRequest, safeUrl, scrubSecrets } from './log-safety';

const LINK = `p_${'A1b2_-'.repeat(7)}x`;
const SESSION = `trl_s_${'Zz9-'.repeat(10)}abc`;

describe('log safety', () => {
  it('redacts every secret shape, and fragments of them, wherever they are in a text', () => {
    const text = `link /r/${LINK} session=${SESSION}, cut p_abcdefgh and "${LINK}"`;
    const scrubbed = scrubSecrets(text);
    expect(scrubbed).toBe(
      'link /r/p_[redacted] session=trl_s_[redacted], cut p_[redacted] and "p_[redacted]"',
    );
  });

  it('redacts a sign-in link (invitation or password reset), in a text and as a path', () => {
    const token = `trl_l_${'Qw3-'.repeat(10)}xyz`;
    expect(scrubSecrets(`Choose your password: https://t.example/set-password/${token}`)).toBe(
      'Choose your password: https://t.example/set-password/trl_l_[redacted]',
    );
    expect(safeUrl(`/set-password/${token}`)).toBe('/set-password/[token]');
    expect(safeUrl('/set-password/anything-at-all')).toBe('/set-password/[token]');
  });

  it('leaves ordinary words with the same letters alone', () => {
    expect(scrubSecrets('top_secret p_value map_items')).toBe('top_secret p_value map_items');
  });

  it('replaces credential path segments and keeps only plain query values', () => {
    expect(safeUrl(`/r/${LINK}`)).toBe('/r/[token]');
    expect(safeUrl('/pulse/whatever-it-is/extra')).toBe('/pulse/[token]/extra');
    // A comment's conversation link, in its path and anywhere else.
    const conversation = `trl_c_${'Z'.repeat(43)}`;
    expect(safeUrl(`/c/${conversation}/email`)).toBe('/c/[token]/email');
    expect(scrubSecrets(`see ${conversation}`)).toBe('see trl_c_[redacted]');
    expect(
      safeRequest({ url: `/c/${conversation}`, remoteAddress: '10.0.0.1' }),
    ).not.toHaveProperty('remoteAddress');
    expect(
      safeUrl(
        `/organisations/0b3e6f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b/results?roundId=0b3e6f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b&limit=50&t=${LINK}&q=my+boss&from=2026-11-02&flag`,
      ),
    ).toBe(
      '/organisations/0b3e6f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b/results?roundId=0b3e6f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b&limit=50&t=[redacted]&q=[redacted]&from=2026-11-02&flag',
    );
  });

  it('keeps a request id, method, URL and harmless headers, and for a personal link not who sent it', () => {
    // What pino-http hands the serializer: everything, including the route's parameters and query.
    const serialized = {
      id: 'req-1',
      method: 'POST',
      url: `/r/${LINK}`,
      headers: {
        authorization: `Bearer ${SESSION}`,
        cookie: `trellis_session=${SESSION}`,
        referer: `http://localhost/r/${LINK}`,
        'user-agent': 'phone',
        'content-type': 'application/x-www-form-urlencoded',
      },
      remoteAddress: '127.0.0.1',
      params: { token: LINK },
      query: { t: LINK },
      body: { comment: 'my boss' },
    };
    const logged = safeRequest(serialized);
    expect(logged).toEqual({
      id: 'req-1',
      method: 'POST',
      url: '/r/[token]',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    // Elsewhere the address and browser are kept; a signed-in person is no secret to the logs.
    expect(safeRequest({ ...serialized, url: '/auth/sign-in' })).toEqual({
      id: 'req-1',
      method: 'POST',
      url: '/auth/sign-in',
      headers: { 'user-agent': 'phone', 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: '127.0.0.1',
    });
  });

  it('keeps a database error’s class and schema objects, never its message or parameters', () => {
    const driverError = Object.assign(new Error('refused: {"comment":"my boss"}'), {
      code: 'P0001',
      severity: 'ERROR',
      routine: 'exec_stmt_raise',
      table: 'response_pool',
    });
    const error = Object.assign(new Error(driverError.message), {
      name: 'QueryFailedError',
      driverError,
      query: 'insert into response_pool …',
      parameters: ['{"ps1":4}', 'my boss'],
    });
    const logged = safeError(error);
    expect(JSON.stringify(logged)).not.toMatch(/my boss|ps1|insert/);
    expect(logged).toMatchObject({
      name: 'QueryFailedError',
      code: 'P0001',
      routine: 'exec_stmt_raise',
      table: 'response_pool',
    });
    expect(logged.stack).toMatch(/^\s+at /);
  });

  it('keeps another error’s message with secrets redacted, and is the same when applied twice', () => {
    const logged = safeError(new TypeError(`cannot read ${LINK}`));
    expect(logged).toMatchObject({ name: 'TypeError', message: 'cannot read p_[redacted]' });
    expect(safeError(logged)).toEqual(logged);
    expect(safeError('text')).toEqual({ type: 'string' });
  });
});
