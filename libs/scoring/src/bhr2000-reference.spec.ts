import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rwg, rwgJ } from './agreement';
import { cronbachAlpha } from './alpha';
import { icc1, icc2, oneWayAnova } from './icc';
import { sampleVariance, summarize, type Moments } from './summary';

/**
 * The 5,400 answers of Bliese, Halverson & Rothberg (2000) reduced to the aggregates SQL would
 * produce (counts, sums, sums of squares), then scored here and compared with what R's
 * multilevel and psych packages computed (make-expected.R beside the data), to 1e-6.
 */
const REFERENCE = join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'bhr2000');
const TOLERANCE = 1e-6;

function csv(file: string): string[][] {
  return readFileSync(join(REFERENCE, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(',').map((cell) => cell.replace(/"/g, '')));
}

class Accumulator implements Moments {
  n = 0;
  sum = 0;
  sumSquares = 0;
  add(x: number): void {
    this.n++;
    this.sum += x;
    this.sumSquares += x * x;
  }
}

const [header, ...rows] = csv('responses.csv');
const items = header.slice(1);
const answers = rows.map((r) => ({ group: r[0], values: r.slice(1).map(Number) }));

const groupIds = [...new Set(answers.map((a) => a.group))];
const perGroup = new Map(
  groupIds.map((g) => [g, { score: new Accumulator(), items: items.map(() => new Accumulator()) }]),
);
const orgItems = items.map(() => new Accumulator());
const orgTotal = new Accumulator();
for (const { group, values } of answers) {
  const g = perGroup.get(group)!;
  const total = values.reduce((a, b) => a + b, 0);
  g.score.add(total / values.length);
  values.forEach((v, i) => {
    g.items[i].add(v);
    orgItems[i].add(v);
  });
  orgTotal.add(total);
}

const expectedGroups = csv('expected-groups.csv')
  .slice(1)
  .map(([group, n, mean, sd, rwgj, rwgAF06]) => ({
    group,
    n: Number(n),
    mean: Number(mean),
    sd: Number(sd),
    rwgJ: Number(rwgj),
    rwgAF06: Number(rwgAF06),
  }));
const expectedOrg = JSON.parse(readFileSync(join(REFERENCE, 'expected-org.json'), 'utf8')) as {
  icc1: number;
  icc2: number;
  cronbach_alpha: number;
  groups: number;
  respondents: number;
};

describe('scoring against the bhr2000 reference (R multilevel and psych)', () => {
  it('reads the whole reference', () => {
    expect(answers).toHaveLength(expectedOrg.respondents);
    expect(groupIds).toHaveLength(expectedOrg.groups);
    expect(expectedGroups).toHaveLength(expectedOrg.groups);
    expect(items[0]).toBe('AF06');
  });

  it.each(expectedGroups.map((e) => [e.group, e] as const))(
    'group %s: mean, sd, rwg.j and rwg match',
    (_, expected) => {
      const g = perGroup.get(expected.group)!;
      const s = summarize(g.score);
      expect(s.n).toBe(expected.n);
      expect(Math.abs(s.mean! - expected.mean)).toBeLessThan(TOLERANCE);
      expect(Math.abs(s.sd! - expected.sd)).toBeLessThan(TOLERANCE);
      const itemVariances = g.items.map((m) => sampleVariance(m));
      expect(Math.abs(rwgJ(itemVariances, 5)! - expected.rwgJ)).toBeLessThan(TOLERANCE);
      expect(Math.abs(rwg(itemVariances[0], 5)! - expected.rwgAF06)).toBeLessThan(TOLERANCE);
    },
  );

  it('ICC(1) and ICC(2) of the person scores match multilevel::ICC1/ICC2 on aov', () => {
    const anova = oneWayAnova(groupIds.map((g) => perGroup.get(g)!.score))!;
    expect(anova.N).toBe(expectedOrg.respondents);
    expect(anova.groups).toBe(expectedOrg.groups);
    expect(Math.abs(icc1(anova)! - expectedOrg.icc1)).toBeLessThan(TOLERANCE);
    expect(Math.abs(icc2(anova)! - expectedOrg.icc2)).toBeLessThan(TOLERANCE);
  });

  it("Cronbach's alpha matches psych::alpha raw_alpha", () => {
    const alpha = cronbachAlpha({
      k: items.length,
      itemVariances: orgItems.map((m) => sampleVariance(m)!),
      totalVariance: sampleVariance(orgTotal),
    });
    expect(Math.abs(alpha! - expectedOrg.cronbach_alpha)).toBeLessThan(TOLERANCE);
  });
});
