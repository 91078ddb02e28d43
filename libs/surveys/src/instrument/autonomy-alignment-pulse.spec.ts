import { AUTONOMY_ALIGNMENT_PULSE as pulse } from './autonomy-alignment-pulse';
import { validateInstrument } from './validate-instrument';

describe('AUTONOMY_ALIGNMENT_PULSE', () => {
  it('passes the same validation as organisation-defined instruments, unchanged', () => {
    const result = validateInstrument(pulse);
    expect(result).toEqual({ ok: true, value: pulse });
  });

  it('has the six dimensions of the measurement model, in order', () => {
    expect(pulse.dimensions.map((d) => d.key)).toEqual([
      'psych_safety',
      'purpose_clarity',
      'decision_rights',
      'alignment',
      'leader_support',
      'over_control',
    ]);
  });

  it('measures each dimension with 3 to 5 statements', () => {
    for (const { key } of pulse.dimensions) {
      const count = pulse.items.filter((item) => item.dimension === key).length;
      expect({ key, ok: count >= 3 && count <= 5 }).toEqual({ key, ok: true });
    }
  });

  it('reverse-keys some safety and clarity items, as the source scales do', () => {
    const reversed = (dimension: string) =>
      pulse.items.filter((i) => i.dimension === dimension && i.reverse).length;
    expect(reversed('psych_safety')).toBeGreaterThanOrEqual(2);
    expect(reversed('purpose_clarity')).toBeGreaterThanOrEqual(1);
  });

  it('never reverse-keys over-control: agreeing means more control', () => {
    expect(pulse.items.filter((i) => i.dimension === 'over_control' && i.reverse)).toEqual([]);
  });

  it('has unique item keys and a self-view wording and a source for every item', () => {
    const keys = pulse.items.map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const item of pulse.items) {
      expect(item.selfText).toMatch(/\S/);
      expect(item.selfText).not.toBe(item.text);
      expect(item.source).toMatch(/\S/);
    }
  });

  it('labels the five agreement options', () => {
    expect(pulse.scale).toEqual({
      min: 1,
      max: 5,
      labels: [
        'Strongly disagree',
        'Disagree',
        'Neither agree nor disagree',
        'Agree',
        'Strongly agree',
      ],
    });
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(pulse.items[0])).toBe(true);
    expect(() => pulse.items.push(pulse.items[0])).toThrow(TypeError);
  });
});
