import fc from 'fast-check';
import {
  DEFAULT_ANONYMITY_SETTINGS,
  anonymitySettings,
  anonymitySettingsOrDefault,
  assertAnonymitySettings,
} from './settings';

describe('anonymitySettings', () => {
  it.each([undefined, null, {}, { theme: 'dark', minimumAge: 2 }])(
    'defaults to 5 and 10 for %p',
    (raw) => {
      expect(anonymitySettings(raw)).toEqual({
        ok: true,
        value: { minGroupSize: 5, minCommentGroup: 10 },
      });
    },
  );

  it('accepts the floor of 3 and any higher values', () => {
    expect(anonymitySettings({ minGroupSize: 3, minCommentGroup: 3 })).toEqual({
      ok: true,
      value: { minGroupSize: 3, minCommentGroup: 3 },
    });
    expect(anonymitySettings({ minGroupSize: 8 })).toEqual({
      ok: true,
      value: { minGroupSize: 8, minCommentGroup: 10 },
    });
  });

  it('raises the default comment minimum along with k', () => {
    expect(anonymitySettings({ minGroupSize: 12 })).toEqual({
      ok: true,
      value: { minGroupSize: 12, minCommentGroup: 12 },
    });
  });

  it.each([
    [{ minGroupSize: 2 }, [{ field: 'minGroupSize', message: 'must be at least 3' }]],
    [{ minGroupSize: '7' }, [{ field: 'minGroupSize', message: 'must be a whole number' }]],
    [{ minGroupSize: 5.5 }, [{ field: 'minGroupSize', message: 'must be a whole number' }]],
    [{ minGroupSize: null }, [{ field: 'minGroupSize', message: 'must be a whole number' }]],
    [
      { minCommentGroup: 4 },
      [{ field: 'minCommentGroup', message: 'must be at least minGroupSize (5)' }],
    ],
    [
      { minGroupSize: 8, minCommentGroup: 6 },
      [{ field: 'minCommentGroup', message: 'must be at least minGroupSize (8)' }],
    ],
    [
      { minGroupSize: 1, minCommentGroup: true },
      [
        { field: 'minGroupSize', message: 'must be at least 3' },
        { field: 'minCommentGroup', message: 'must be a whole number' },
      ],
    ],
    ['strict', [{ field: 'settings', message: 'must be an object' }]],
    [[5, 10], [{ field: 'settings', message: 'must be an object' }]],
  ])('reports %p as a problem instead of clamping it', (raw, problems) => {
    expect(anonymitySettings(raw)).toEqual({ ok: false, problems });
  });
});

describe('anonymitySettingsOrDefault', () => {
  it('uses valid settings as they are', () => {
    expect(anonymitySettingsOrDefault({ minGroupSize: 3, minCommentGroup: 4 })).toEqual({
      minGroupSize: 3,
      minCommentGroup: 4,
    });
  });

  it('never falls below what the organisation asked for', () => {
    // A mistyped comment minimum must not take k = 8 back to the default 5.
    expect(anonymitySettingsOrDefault({ minGroupSize: 8, minCommentGroup: 6 })).toEqual({
      minGroupSize: 8,
      minCommentGroup: 10,
    });
    expect(anonymitySettingsOrDefault({ minGroupSize: 12, minCommentGroup: 6 })).toEqual({
      minGroupSize: 12,
      minCommentGroup: 12,
    });
    expect(anonymitySettingsOrDefault({ minGroupSize: 7.5 })).toEqual({
      minGroupSize: 8,
      minCommentGroup: 10,
    });
  });

  it('never falls below the defaults where the value is unusable', () => {
    expect(anonymitySettingsOrDefault({ minGroupSize: 2 })).toEqual(DEFAULT_ANONYMITY_SETTINGS);
    expect(anonymitySettingsOrDefault('garbage')).toEqual(DEFAULT_ANONYMITY_SETTINGS);
  });

  it('always yields settings the decisions accept, at least as strict as any whole number asked for', () => {
    const value = fc.oneof(
      fc.integer({ min: -5, max: 40 }),
      fc.double(),
      fc.string(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ minGroupSize: value, minCommentGroup: value }, { requiredKeys: [] }),
          fc.anything(),
        ),
        (raw) => {
          const settings = anonymitySettingsOrDefault(raw);
          expect(() => assertAnonymitySettings(settings)).not.toThrow();
          const parsed = anonymitySettings(raw);
          if (parsed.ok) expect(settings).toEqual(parsed.value);
          const asked =
            typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
          if (typeof asked.minGroupSize === 'number' && Number.isSafeInteger(asked.minGroupSize)) {
            expect(settings.minGroupSize).toBeGreaterThanOrEqual(asked.minGroupSize);
          }
        },
      ),
    );
  });
});
