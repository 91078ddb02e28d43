import { ConfigError, parseEnv } from './env';
import { describeUrl } from './preflight';

describe('parseEnv', () => {
  it('has defaults that work on a developer machine', () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/trellis');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.PORT).toBe(3000);
    expect(env.COOKIE_SECURE).toBe(false);
  });

  it('names every bad variable and what is wrong with it', () => {
    let message = '';
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', COOKIE_SECURE: 'maybe' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORT .*"eighty"/);
    expect(message).toMatch(/DATABASE_URL must start with postgres:\/\//);
    expect(message).toMatch(/COOKIE_SECURE/);
  });

  it('hands a dead worker’s jobs on after 30 s by default, and never sooner than a second', () => {
    expect(parseEnv({})).toMatchObject({ JOB_LOCK_MS: 30_000, JOB_STALLED_CHECK_MS: 30_000 });
    expect(parseEnv({ JOB_LOCK_MS: '2000', JOB_STALLED_CHECK_MS: '1000' })).toMatchObject({
      JOB_LOCK_MS: 2000,
      JOB_STALLED_CHECK_MS: 1000,
    });
    expect(() => parseEnv({ JOB_LOCK_MS: '100' })).toThrow(/JOB_LOCK_MS/);
  });

  it('requires ANSWER_KEY in production, naming it, and checks its shape everywhere', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(
      /ANSWER_KEY is required in production/,
    );
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(parseEnv({ NODE_ENV: 'production', ANSWER_KEY: key }).ANSWER_KEY).toBe(key);
    expect(parseEnv({}).ANSWER_KEY).toBeUndefined();
    expect(() => parseEnv({ ANSWER_KEY: Buffer.alloc(16).toString('base64') })).toThrow(
      /ANSWER_KEY must be 32 random bytes/,
    );
    expect(() => parseEnv({ ANSWER_KEY: 'not base64!' })).toThrow(/ANSWER_KEY/);
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv({ PORT: '' }).PORT).toBe(3000);
  });
});

describe('describeUrl', () => {
  it('says where without leaking the password', () => {
    expect(describeUrl('postgres://u:secret@db.example:6543/trellis')).toBe(
      'db.example:6543 (database "trellis")',
    );
    expect(describeUrl('redis://:pw@cache:6380')).toBe('cache:6380');
    expect(describeUrl('redis://cache')).toBe('cache:6379');
  });
});
