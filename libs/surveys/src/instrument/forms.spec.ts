import fc from 'fast-check';
import { AUTONOMY_ALIGNMENT_PULSE as pulse } from './autonomy-alignment-pulse';
import { formItems, scaleLabels } from './forms';
import type { InstrumentDef, ItemDef } from './instrument.types';

/** An instrument with the given number of items per dimension, items of dimensions interleaved. */
function instrumentWith(sizes: number[], order: number[]): InstrumentDef {
  const items: ItemDef[] = sizes.flatMap((n, d) =>
    Array.from({ length: n }, (_, i) => ({
      key: `d${d}i${i}`,
      dimension: `d${d}`,
      text: 'T',
      reverse: false,
    })),
  );
  return {
    key: 'generated',
    name: 'Generated',
    description: '',
    scale: { min: 1, max: 5 },
    dimensions: sizes.map((_, d) => ({ key: `d${d}`, name: `D${d}`, description: '' })),
    items: order.map((i) => items[i]),
  };
}

const generatedInstrument = fc
  .array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 6 })
  .chain((sizes) => {
    const total = sizes.reduce((a, b) => a + b, 0);
    const indices = Array.from({ length: total }, (_, i) => i);
    return fc
      .shuffledSubarray(indices, { minLength: total, maxLength: total })
      .map((order) => ({ sizes, def: instrumentWith(sizes, order) }));
  });

const startRound = fc.oneof(
  fc.nat({ max: 1000 }),
  fc.integer({ min: Number.MAX_SAFE_INTEGER - 1000, max: Number.MAX_SAFE_INTEGER - 10 }),
);

const isInDefinitionOrder = (def: InstrumentDef, form: ItemDef[]) => {
  const positions = form.map((item) => def.items.indexOf(item));
  return positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]));
};

describe('formItems', () => {
  it('asks every item on the full form, in definition order', () => {
    expect(formItems(pulse, 'full', 3)).toEqual(pulse.items);
  });

  it('asks the items that have a self-view wording on the self form', () => {
    const def: InstrumentDef = {
      ...pulse,
      items: [pulse.items[0], { ...pulse.items[1], selfText: undefined }, pulse.items[2]],
    };
    expect(formItems(def, 'self', 0).map((i) => i.key)).toEqual(['ps1', 'ps3']);
  });

  it('asks two items per dimension on the short form, rotating round by round', () => {
    const keys = (round: number) => formItems(pulse, 'short', round).map((i) => i.key);
    expect(keys(0)).toEqual([
      'ps1',
      'ps2',
      'pc1',
      'pc2',
      'dr1',
      'dr2',
      'al1',
      'al2',
      'ls1',
      'ls2',
      'oc1',
      'oc2',
    ]);
    expect(keys(1)).toEqual([
      'ps3',
      'ps4',
      'pc3',
      'pc4',
      'dr3',
      'dr4',
      'al3',
      'al4',
      'ls3',
      'ls4',
      'oc3',
      'oc4',
    ]);
    // Five items: the window wraps, pairing the last item with the first.
    expect(keys(2)).toEqual([
      'ps1',
      'ps5',
      'pc1',
      'pc5',
      'dr1',
      'dr2',
      'al1',
      'al2',
      'ls1',
      'ls5',
      'oc1',
      'oc2',
    ]);
  });

  it.each([-1, 0.5, Number.NaN])('refuses a round sequence of %p', (round) => {
    expect(() => formItems(pulse, 'short', round)).toThrow(RangeError);
  });

  it('short form: min(2, n) items per dimension, in definition order', () => {
    fc.assert(
      fc.property(generatedInstrument, startRound, ({ sizes, def }, round) => {
        const form = formItems(def, 'short', round);
        expect(isInDefinitionOrder(def, form)).toBe(true);
        sizes.forEach((n, d) => {
          expect(form.filter((item) => item.dimension === `d${d}`)).toHaveLength(Math.min(2, n));
        });
      }),
    );
  });

  it('short form: any ceil(n/2) consecutive rounds ask every item of a dimension', () => {
    fc.assert(
      fc.property(generatedInstrument, startRound, ({ sizes, def }, start) => {
        sizes.forEach((n, d) => {
          const asked = new Set<string>();
          for (let round = start; round < start + Math.ceil(n / 2); round++) {
            for (const item of formItems(def, 'short', round)) {
              if (item.dimension === `d${d}`) asked.add(item.key);
            }
          }
          expect(asked.size).toBe(n);
        });
      }),
    );
  });
});

describe('scaleLabels', () => {
  it('uses the given labels', () => {
    expect(scaleLabels(pulse.scale)).toEqual(pulse.scale.labels);
  });

  it('numbers the options and marks the ends when there are no labels', () => {
    expect(scaleLabels({ min: 0, max: 4 })).toEqual(['0 (lowest)', '1', '2', '3', '4 (highest)']);
    expect(scaleLabels({ min: -1, max: 0 })).toEqual(['-1 (lowest)', '0 (highest)']);
  });
});
