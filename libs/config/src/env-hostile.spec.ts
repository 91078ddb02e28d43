import { ConfigError, parseEnv } from './env';

describe('parseEnv: proxy trust, sign-in and webhook limits', () => {
  it('trusts no proxy, allows no private webhook and limits each address by default', () => {
    expect(parseEnv({})).toMatchObject({
      TRUST_PROXY: 'false',
      WEBHOOK_ALLOW_PRIVATE: false,
      SIGN_IN_ADDRESS_LIMIT: 100,
      MAX_JSON_BODY_BYTES: 1024 * 1024,
    });
  });

  it.each(['true', '1', 'loopback', '10.0.0.0/8, ::1', 'loopback,192.168.1.10', 'fd00::/8'])(
    'takes TRUST_PROXY=%s',
    (value) => {
      expect(parseEnv({ TRUST_PROXY: value }).TRUST_PROXY).toBe(value.trim());
    },
  );

  it.each(['yes', '10.0.0.0/33', 'everyone', '300.1.1.1'])('refuses TRUST_PROXY=%s', (value) => {
    expect(() => parseEnv({ TRUST_PROXY: value })).toThrow(ConfigError);
  });
});
