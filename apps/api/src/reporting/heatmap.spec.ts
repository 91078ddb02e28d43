import { AUTONOMY_ALIGNMENT_PULSE } from '@trellis/surveys';
import { dimensionAbbreviation } from './heatmap';

describe('dimensionAbbreviation: headers short enough for six columns at 1280 px', () => {
  it('abbreviates the built-in dimensions to distinct initials', () => {
    const names = AUTONOMY_ALIGNMENT_PULSE.dimensions.map((d) => d.name);
    const abbreviations = names.map(dimensionAbbreviation);
    expect(abbreviations).toEqual(['PS', 'CP', 'DR', 'Al', 'LE', 'OC']);
    expect(new Set(abbreviations).size).toBe(names.length);
  });

  it('skips small words, keeps at most three letters, and leaves an empty name as it is', () => {
    expect(dimensionAbbreviation('Clarity of the purpose and the goals')).toBe('CPG');
    expect(dimensionAbbreviation('Trust')).toBe('Tr');
    expect(dimensionAbbreviation('')).toBe('');
  });
});
