import fc from 'fast-check';
import type { InstrumentDef, Problem } from './instrument.types';
import { validateInstrument } from './validate-instrument';

/** A small valid instrument; each test breaks one thing. */
function sample(): InstrumentDef {
  return {
    key: 'team-health',
    name: 'Team health',
    description: 'A quick check',
    scale: { min: 1, max: 5 },
    dimensions: [
      { key: 'safety', name: 'Safety', description: '' },
      { key: 'focus', name: 'Focus', description: 'Knowing what matters' },
    ],
    items: [
      { key: 's1', dimension: 'safety', text: 'I can speak up.', reverse: false },
      { key: 's2', dimension: 'safety', text: 'Mistakes are held against me.', reverse: true },
      {
        key: 'f1',
        dimension: 'focus',
        text: 'I know our goal.',
        selfText: 'They know it.',
        reverse: false,
      },
    ],
  };
}

const REMOVE = Symbol('remove');

/**
 * The sample with changes keyed by dotted path (`items.0.key`); a path to the next index of a
 * list appends, and REMOVE deletes the property.
 */
function changed(changes: Record<string, unknown>): unknown {
  const draft: unknown = structuredClone(sample());
  for (const [path, value] of Object.entries(changes)) {
    const steps = path.split('.');
    const last = steps.pop() as string;
    let node: unknown = draft;
    // A property test may replace a parent with a primitive before changing its child.
    for (const step of steps) node = isObject(node) ? node[step] : undefined;
    if (!isObject(node)) continue;
    if (value === REMOVE) delete node[last];
    else node[last] = value;
  }
  return draft;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function problemsOf(input: unknown): Problem[] {
  const result = validateInstrument(input);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

const dimensionsOf = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: `d${i}`, name: 'D' }));
const itemsOf = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: `i${i}`, dimension: 'safety', text: 'T' }));
const anyMessage = (pattern: RegExp): string => expect.stringMatching(pattern) as string;

describe('validateInstrument', () => {
  it('accepts a valid instrument', () => {
    expect(validateInstrument(sample())).toEqual({ ok: true, value: sample() });
  });

  it.each([
    [0, 4],
    [1, 5],
    [1, 7],
    [0, 10],
    [-3, 3],
    [-100, -90],
  ])('accepts a %i..%i scale', (min, max) => {
    expect(validateInstrument(changed({ scale: { min, max } })).ok).toBe(true);
  });

  it('accepts labels with one entry per option', () => {
    const labels = ['Never', 'Rarely', 'Sometimes', 'Often', 'Always'];
    const result = validateInstrument(changed({ scale: { min: 0, max: 4, labels } }));
    expect(result.ok && result.value.scale.labels).toEqual(labels);
  });

  it('defaults reverse to false, trims text and drops empty optional text', () => {
    const result = validateInstrument(
      changed({
        description: REMOVE,
        'items.0.reverse': REMOVE,
        'items.0.text': '  I can speak up.  ',
        'items.0.selfText': '  ',
        'items.0.source': null,
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.description).toBe('');
    expect(result.value.items[0]).toEqual({
      key: 's1',
      dimension: 'safety',
      text: 'I can speak up.',
      reverse: false,
    });
  });

  it.each([null, 'x', 42, [], true])('rejects %p as a whole', (input) => {
    expect(problemsOf(input)).toEqual([{ field: 'instrument', message: 'must be an object' }]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a missing key', { key: REMOVE }, 'key', 'is required'],
    ['an upper-case key', { key: 'Team' }, 'key', anyMessage(/lowercase/)],
    ['a one-letter key', { key: 'a' }, 'key', anyMessage(/2 to 63/)],
    ['a key starting with a hyphen', { key: '-ab' }, 'key', anyMessage(/starting with/)],
    ['a 64-character key', { key: 'a'.repeat(64) }, 'key', 'must be at most 63 characters'],
    ['a blank name', { name: '   ' }, 'name', 'must not be empty'],
    ['a long name', { name: 'n'.repeat(201) }, 'name', 'must be at most 200 characters'],
    ['a numeric name', { name: 7 }, 'name', 'must be text'],
    [
      'a long description',
      { description: 'd'.repeat(2001) },
      'description',
      'must be at most 2000 characters',
    ],
    ['an unknown property', { owner: 'me' }, 'owner', 'is not allowed'],
    ['a missing scale', { scale: REMOVE }, 'scale', 'is required'],
    ['a scale that is text', { scale: '1-5' }, 'scale', 'must be an object'],
    ['a fractional scale.min', { 'scale.min': 0.5 }, 'scale.min', 'must be a whole number'],
    ['a text scale.max', { 'scale.max': '5' }, 'scale.max', 'must be a whole number'],
    [
      'min equal to max',
      { scale: { min: 3, max: 3 } },
      'scale.max',
      'must be greater than scale.min',
    ],
    ['min above max', { scale: { min: 5, max: 1 } }, 'scale.max', 'must be greater than scale.min'],
    [
      'a min below -100',
      { scale: { min: -101, max: -95 } },
      'scale.min',
      'must be between -100 and 100',
    ],
    [
      'a max above 100',
      { scale: { min: 95, max: 101 } },
      'scale.max',
      'must be between -100 and 100',
    ],
    ['twelve options', { scale: { min: 0, max: 11 } }, 'scale', anyMessage(/at most 11 options/)],
    ['an unknown scale property', { 'scale.step': 1 }, 'scale.step', 'is not allowed'],
    ['labels that are not a list', { 'scale.labels': 'a,b' }, 'scale.labels', 'must be a list'],
    [
      'too few labels',
      { 'scale.labels': ['a', 'b'] },
      'scale.labels',
      anyMessage(/must have 5 labels/),
    ],
    [
      'an empty label',
      { 'scale.labels': ['a', 'b', '', 'd', 'e'] },
      'scale.labels[2]',
      'must not be empty',
    ],
    [
      'a long label',
      { 'scale.labels': ['a', 'b', 'c', 'd', 'e'.repeat(61)] },
      'scale.labels[4]',
      'must be at most 60 characters',
    ],
    ['no dimensions', { dimensions: [] }, 'dimensions', 'must have 1 to 20 entries'],
    ['21 dimensions', { dimensions: dimensionsOf(21) }, 'dimensions', 'must have 1 to 20 entries'],
    ['dimensions that are not a list', { dimensions: {} }, 'dimensions', 'must be a list'],
    [
      'a dimension that is not an object',
      { 'dimensions.2': 'x' },
      'dimensions[2]',
      'must be an object',
    ],
    [
      'a dimension key with a capital',
      { 'dimensions.1.key': 'Focus' },
      'dimensions[1].key',
      anyMessage(/lowercase/),
    ],
    [
      'a dimension key starting with a digit',
      { 'dimensions.1.key': '1focus' },
      'dimensions[1].key',
      anyMessage(/starting with a letter/),
    ],
    [
      'a duplicate dimension key',
      { 'dimensions.2': { key: 'safety', name: 'Again' } },
      'dimensions[2].key',
      '"safety" is already used by dimensions[0]',
    ],
    [
      'a dimension without a name',
      { 'dimensions.0.name': REMOVE },
      'dimensions[0].name',
      'is required',
    ],
    [
      'an unknown dimension property',
      { 'dimensions.0.weight': 2 },
      'dimensions[0].weight',
      'is not allowed',
    ],
    [
      'a dimension with no items',
      { 'dimensions.2': { key: 'empty', name: 'Empty' } },
      'dimensions[2]',
      '"empty" has no items; add at least one',
    ],
    ['no items', { items: [] }, 'items', 'must have 1 to 200 entries'],
    ['201 items', { items: itemsOf(201) }, 'items', 'must have 1 to 200 entries'],
    ['items that are not a list', { items: 'ps1' }, 'items', 'must be a list'],
    ['an item that is not an object', { 'items.3': null }, 'items[3]', 'must be an object'],
    [
      'an item key with a space',
      { 'items.1.key': 's 2' },
      'items[1].key',
      anyMessage(/letters, digits/),
    ],
    [
      'an item key of 41 characters',
      { 'items.1.key': 'k'.repeat(41) },
      'items[1].key',
      'must be at most 40 characters',
    ],
    [
      'a duplicate item key',
      { 'items.2.key': 's1' },
      'items[2].key',
      '"s1" is already used by items[0]',
    ],
    [
      'an unknown dimension',
      { 'items.2.dimension': 'fokus' },
      'items[2].dimension',
      '"fokus" is not one of this instrument\'s dimensions',
    ],
    ['a missing dimension', { 'items.2.dimension': REMOVE }, 'items[2].dimension', 'is required'],
    ['a missing text', { 'items.0.text': REMOVE }, 'items[0].text', 'is required'],
    [
      'a text of 501 characters',
      { 'items.0.text': 't'.repeat(501) },
      'items[0].text',
      'must be at most 500 characters',
    ],
    [
      'a selfText of 501 characters',
      { 'items.0.selfText': 't'.repeat(501) },
      'items[0].selfText',
      'must be at most 500 characters',
    ],
    ['a text reverse', { 'items.0.reverse': 'yes' }, 'items[0].reverse', 'must be true or false'],
    [
      'a source of 201 characters',
      { 'items.0.source': 's'.repeat(201) },
      'items[0].source',
      'must be at most 200 characters',
    ],
    ['an unknown item property', { 'items.0.weight': 2 }, 'items[0].weight', 'is not allowed'],
  ])('reports %s', (_, changes, field, message) => {
    expect(problemsOf(changed(changes))).toContainEqual({ field, message });
  });

  it('counts characters, not UTF-16 units, so emoji are not penalised', () => {
    expect(validateInstrument(changed({ name: '🙂'.repeat(200) })).ok).toBe(true);
    expect(problemsOf(changed({ name: '🙂'.repeat(201) }))).toEqual([
      { field: 'name', message: 'must be at most 200 characters' },
    ]);
  });

  it('reports every problem at once, each once', () => {
    const problems = problemsOf({
      key: 'X',
      scale: { min: 1, max: 5, labels: ['a'] },
      dimensions: [{ key: 'a', name: 'A' }, { key: 'b' }],
      items: [{ key: 'i1', dimension: 'c', text: 'T', reverse: 1 }],
      extra: true,
    });
    expect(problems.map((p) => p.field)).toEqual([
      'extra',
      'key',
      'name',
      'scale.labels',
      'dimensions[1].name',
      'items[0].dimension',
      'items[0].reverse',
      'dimensions[0]',
      'dimensions[1]',
    ]);
  });

  it('does not blame items for a dimension whose only fault is elsewhere', () => {
    expect(problemsOf(changed({ 'dimensions.1.name': REMOVE }))).toEqual([
      { field: 'dimensions[1].name', message: 'is required' },
    ]);
  });

  it('reports an oversized list once instead of checking every entry', () => {
    expect(problemsOf(changed({ items: Array.from({ length: 5000 }, () => ({})) }))).toEqual([
      { field: 'items', message: 'must have 1 to 200 entries' },
    ]);
  });

  it('does not mistake inherited properties such as constructor for dimensions', () => {
    expect(problemsOf(changed({ 'items.0.dimension': 'constructor' }))).toContainEqual({
      field: 'items[0].dimension',
      message: '"constructor" is not one of this instrument\'s dimensions',
    });
  });

  it('never throws on arbitrary input and names a field for every problem', () => {
    const nearlyValid = fc
      .dictionary(
        fc.constantFrom(
          'key',
          'name',
          'scale',
          'scale.min',
          'scale.labels',
          'dimensions.0',
          'dimensions.0.key',
          'items.1',
          'items.1.dimension',
          'items.2.reverse',
          '',
        ),
        fc.oneof(fc.jsonValue(), fc.anything()),
        { maxKeys: 3 },
      )
      .map(changed);
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything(), nearlyValid), (input) => {
        const result = validateInstrument(input);
        if (result.ok) return;
        expect(result.problems.length).toBeGreaterThan(0);
        for (const { field, message } of result.problems) {
          expect(field !== '' && message !== '').toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('a dimension’s direction', () => {
  it('keeps higherIsWorse: true, and drops false as the default', () => {
    const result = validateInstrument(
      changed({ 'dimensions.0.higherIsWorse': true, 'dimensions.1.higherIsWorse': false }),
    );
    expect(result.ok && result.value.dimensions.map((d) => d.higherIsWorse)).toEqual([
      true,
      undefined,
    ]);
  });

  it('refuses a value that is not true or false, naming the field', () => {
    expect(problemsOf(changed({ 'dimensions.1.higherIsWorse': 'yes' }))).toEqual([
      { field: 'dimensions[1].higherIsWorse', message: 'must be true or false' },
    ]);
  });

  it('reads over_control as higher-is-worse, and refuses to turn it round', () => {
    const result = validateInstrument(
      changed({
        'dimensions.0.key': 'over_control',
        'items.0.dimension': 'over_control',
        'items.1.dimension': 'over_control',
      }),
    );
    expect(result.ok && result.value.dimensions[0].higherIsWorse).toBe(true);
    expect(
      problemsOf(
        changed({
          'dimensions.0.key': 'over_control',
          'dimensions.0.higherIsWorse': false,
          'items.0.dimension': 'over_control',
          'items.1.dimension': 'over_control',
        }),
      ),
    ).toEqual([
      {
        field: 'dimensions[0].higherIsWorse',
        message: 'must be true for over_control: the flags read more over-control as worse',
      },
    ]);
  });
});

describe('a scale per dimension', () => {
  it('accepts a dimension with its own scale and keeps it; the others use the instrument’s', () => {
    const result = validateInstrument(
      changed({ 'dimensions.1.scale': { min: 0, max: 4, labels: ['0', '1', '2', '3', '4'] } }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.dimensions[0]).not.toHaveProperty('scale');
    expect(result.value.dimensions[1].scale).toEqual({
      min: 0,
      max: 4,
      labels: ['0', '1', '2', '3', '4'],
    });
  });

  it('checks a dimension’s scale like the instrument’s, naming it by its place', () => {
    expect(problemsOf(changed({ 'dimensions.1.scale': { min: 4, max: 0 } }))).toEqual([
      { field: 'dimensions[1].scale.max', message: 'must be greater than dimensions[1].scale.min' },
    ]);
    expect(
      problemsOf(changed({ 'dimensions.0.scale': { min: 0, max: 4, labels: ['a'], step: 1 } })),
    ).toEqual([
      { field: 'dimensions[0].scale.step', message: 'is not allowed' },
      {
        field: 'dimensions[0].scale.labels',
        message:
          'must have 5 labels, one for each option from dimensions[0].scale.min to dimensions[0].scale.max',
      },
    ]);
    expect(problemsOf(changed({ 'dimensions.0.scale': 'wide' }))).toEqual([
      { field: 'dimensions[0].scale', message: 'must be an object' },
    ]);
  });
});
