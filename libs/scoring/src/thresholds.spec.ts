import { DEFAULT_FLAG_THRESHOLDS, flagThresholds, type ThresholdsReading } from './thresholds';

function problems(reading: ThresholdsReading): string[] {
  if (reading.ok) throw new Error('expected problems');
  return reading.problems.map((p) => `${p.field}: ${p.message}`);
}

describe('DEFAULT_FLAG_THRESHOLDS', () => {
  it('holds the model defaults', () => {
    expect(DEFAULT_FLAG_THRESHOLDS).toEqual({
      quadrant: { midpoint: 3.5 },
      micromanagement: { controlAtLeast: 3.5, autonomyAtMost: 3.0 },
      abandonment: { autonomyAtLeast: 3.5, supportAtMost: 3.0, alignmentAtMost: 3.0 },
      lowSafety: { safetyAtMost: 3.0 },
      splitTeam: { agreementBelow: 0.5, confirmDimensions: 2, confirmMinRespondents: 5 },
      declining: { minDrop: 0.3, seMultiple: 2, fallsInARow: 3 },
      perceptionGap: { gapAtLeast: 1.0 },
      lowParticipation: { responseRateBelow: 0.5 },
    });
  });

  it('cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_FLAG_THRESHOLDS.micromanagement)).toBe(true);
  });
});

describe('flagThresholds', () => {
  it('gives the defaults when the organisation set nothing', () => {
    for (const raw of [undefined, null, {}]) {
      const reading = flagThresholds(raw);
      expect(reading).toEqual({ ok: true, value: DEFAULT_FLAG_THRESHOLDS });
    }
  });

  it('overrides what is set and keeps the rest', () => {
    const reading = flagThresholds({
      micromanagement: { controlAtLeast: 3.8 },
      lowParticipation: { responseRateBelow: 0.6 },
      declining: { fallsInARow: null },
    });
    if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
    expect(reading.value.micromanagement).toEqual({ controlAtLeast: 3.8, autonomyAtMost: 3.0 });
    expect(reading.value.lowParticipation.responseRateBelow).toBe(0.6);
    expect(reading.value.declining.fallsInARow).toBe(3);
    expect(reading.value.abandonment).toEqual(DEFAULT_FLAG_THRESHOLDS.abandonment);
    // The defaults themselves are untouched.
    expect(DEFAULT_FLAG_THRESHOLDS.micromanagement.controlAtLeast).toBe(3.5);
  });

  it('names every nonsensical setting', () => {
    expect(
      problems(
        flagThresholds({
          micromanagement: { controlAtLeast: 6 },
          lowSafety: { safetyAtMost: '3' },
          splitTeam: { agreementBelow: 1.5, confirmDimensions: 2.5 },
          declining: { fallsInARow: 1, minDrop: -0.1 },
          perceptionGap: { gapAtLeast: 0 },
          lowParticipation: { responseRateBelow: Number.NaN },
        }),
      ),
    ).toEqual([
      'flags.micromanagement.controlAtLeast: must be a number from 1 to 5',
      'flags.lowSafety.safetyAtMost: must be a number from 1 to 5',
      'flags.splitTeam.agreementBelow: must be a number from 0 to 1',
      'flags.splitTeam.confirmDimensions: must be a whole number from 1 to 3',
      'flags.declining.fallsInARow: must be a whole number from 2 to 52',
      'flags.declining.minDrop: must be a number from 0 to 4',
      'flags.perceptionGap.gapAtLeast: must be a number above 0 and at most 4',
      'flags.lowParticipation.responseRateBelow: must be a number from 0 to 1',
    ]);
  });

  it('catches typos instead of silently keeping the default', () => {
    expect(problems(flagThresholds({ lowSaftey: { safetyAtMost: 2.5 } }))[0]).toMatch(
      /^flags\.lowSaftey: is not a setting \(known: quadrant, micromanagement/,
    );
    expect(problems(flagThresholds({ lowSafety: { safetyAtmost: 2.5 } }))).toEqual([
      'flags.lowSafety.safetyAtmost: is not a setting (known: safetyAtMost)',
    ]);
    expect(problems(flagThresholds({ constructor: {} }))[0]).toMatch(
      /^flags\.constructor: is not a setting/,
    );
  });

  it('rejects shapes that are not settings, under the path it is given', () => {
    expect(problems(flagThresholds([1, 2]))).toEqual(['flags: must be an object']);
    expect(problems(flagThresholds('strict', 'settings.flags'))).toEqual([
      'settings.flags: must be an object',
    ]);
    expect(problems(flagThresholds({ quadrant: 3.5 }))).toEqual([
      'flags.quadrant: must be an object',
    ]);
  });
});
