import fc from 'fast-check';
import { ownGroupId, type UnitVisibility } from '@trellis/anonymity';
import { inert, scopeLine, scopeRows, subtree, unitPaths, type ScopeUnit } from './trend-scope';

const units: ScopeUnit[] = [
  { id: 'org', parentId: null, name: 'Acme', kind: 'organisation' },
  { id: 'eng', parentId: 'org', name: 'Engineering', kind: 'department' },
  { id: 'plat', parentId: 'eng', name: 'Platform', kind: 'team' },
  { id: 'data', parentId: 'plat', name: '=Data', kind: 'team' },
  { id: 'sales', parentId: 'org', name: 'Sales', kind: 'team' },
];

const seen = (shown: boolean, respondents: number): UnitVisibility => ({
  shown,
  respondents,
  reason: shown ? 'shown' : 'below_minimum',
});

const round = {
  id: 'r1',
  periodStart: '2026-01-05',
  periodEnd: '2026-01-18',
  dimensions: [
    { key: 'psych_safety', name: 'Psychological safety' },
    { key: 'autonomy', name: 'Autonomy' },
  ],
};

// Platform is shown but its own respondents are not (Data's 2 would fall out of the difference).
const decided = new Map([
  [
    'r1',
    new Map<string, UnitVisibility>([
      ['org', seen(true, 20)],
      ['eng', seen(true, 13)],
      ['plat', seen(true, 8)],
      [ownGroupId('plat'), seen(false, 6)],
      ['data', seen(false, 2)],
      [ownGroupId('data'), seen(false, 2)],
      ['sales', seen(true, 7)],
      [ownGroupId('sales'), seen(true, 7)],
    ]),
  ],
]);

describe('inert', () => {
  it('prefixes exactly the texts a spreadsheet would run as a formula', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])
      expect(inert(text)).toBe(`'${text}`);
    for (const text of ['Sales', '1=1', ' =1', '', "'=1"]) expect(inert(text)).toBe(text);
  });

  it('never leaves a formula character first, and only ever adds one apostrophe', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const out = inert(text);
        expect(/^[=+\-@\t\r]/.test(out)).toBe(false);
        expect(out === text || out === `'${text}`).toBe(true);
      }),
    );
  });
});

describe('unit paths and subtrees', () => {
  it('names each unit from the top down', () => {
    expect(unitPaths(units).get('data')).toBe('Acme / Engineering / Platform / =Data');
  });

  it('holds a unit and everything below it', () => {
    expect([...subtree(units, 'eng')].sort()).toEqual(['data', 'eng', 'plat']);
    expect([...subtree(units, 'sales')]).toEqual(['sales']);
  });
});

describe('scopeRows', () => {
  it('marks each unit with the anonymity decision, its own respondents apart, in path order', () => {
    const { units: rows, dimensions } = scopeRows(units, [round], decided, {});
    expect(rows.map((r) => [r.unitId, r.shown, r.ownShown])).toEqual([
      ['org', true, false],
      ['eng', true, false],
      ['plat', true, false],
      ['data', false, false],
      ['sales', true, true],
    ]);
    expect(dimensions.map((d) => [d.key, d.position])).toEqual([
      ['psych_safety', 0],
      ['autonomy', 1],
    ]);
  });

  it('narrows to a subtree and to dimensions, keeping each dimension’s place', () => {
    const { units: rows, dimensions } = scopeRows(units, [round], decided, {
      unitId: 'plat',
      dimensions: ['autonomy'],
    });
    expect(rows.map((r) => r.unitId)).toEqual(['plat', 'data']);
    expect(dimensions).toEqual([{ roundId: 'r1', key: 'autonomy', name: 'Autonomy', position: 1 }]);
  });

  it('neutralises names for files only', () => {
    const file = scopeRows(units, [round], decided, { unitId: 'data' }, true).units[0];
    const api = scopeRows(units, [round], decided, { unitId: 'data' }).units[0];
    expect([file.unitName, file.unitPath]).toEqual([
      "'=Data",
      'Acme / Engineering / Platform / =Data',
    ]);
    expect(api.unitName).toBe('=Data');
  });

  it('leaves out units nobody answered in and rounds without a decision', () => {
    const sparse = new Map([
      [
        'r1',
        new Map([
          ['sales', seen(true, 7)],
          ['eng', seen(false, 0)],
        ]),
      ],
    ]);
    expect(scopeRows(units, [round], sparse, {}).units.map((r) => r.unitId)).toEqual(['sales']);
    expect(scopeRows(units, [{ ...round, id: 'r2' }], decided, {}).units).toEqual([]);
  });
});

describe('scopeLine', () => {
  it('quotes text so COPY reads back commas, quotes and newlines', () => {
    const {
      units: [row],
    } = scopeRows(
      [{ id: 'x', parentId: null, name: 'A, "B"\nC', kind: 'team' }],
      [round],
      new Map([['r1', new Map([['x', seen(true, 5)]])]]),
      {},
    );
    expect(scopeLine(7, row)).toBe(
      '7,r1,2026-01-05,2026-01-18,x,"A, ""B""\nC","A, ""B""\nC","team",5,true,false',
    );
  });
});
