import { generateOrganisation } from './generator';
import { archetypeTruth, confusion, flagTruth, respondentCounts, teamRoundKey } from './truth';

const map = (entries: [string, boolean][]) => new Map(entries);

describe('confusion', () => {
  it('counts hits, false alarms, misses and correct rejections', () => {
    const truth = map([
      ['a', true],
      ['b', true],
      ['c', false],
      ['d', false],
      ['e', true],
    ]);
    const detected = map([
      ['a', true],
      ['b', false],
      ['c', true],
      ['d', false],
    ]);
    const result = confusion(truth, detected);
    expect(result).toMatchObject({ tp: 1, fp: 1, fn: 2, tn: 1 });
    expect(result.precision).toBeCloseTo(1 / 2);
    expect(result.recall).toBeCloseTo(1 / 3);
    expect(result.f1).toBeCloseTo(0.4);
  });

  it('counts a key missing from the detections as not detected', () => {
    expect(confusion(map([['a', true]]), new Map())).toMatchObject({ tp: 0, fn: 1 });
  });

  it('refuses detections for keys without ground truth', () => {
    expect(() => confusion(map([['a', true]]), map([['zz', true]]))).toThrow(/zz/);
  });

  it('scores a vacuous run as perfect: nothing true, nothing detected', () => {
    const truth = map([
      ['a', false],
      ['b', false],
    ]);
    expect(confusion(truth, map([['a', false]]))).toEqual({
      tp: 0,
      fp: 0,
      fn: 0,
      tn: 2,
      precision: 1,
      recall: 1,
      f1: 1,
    });
    expect(confusion(new Map(), new Map())).toMatchObject({ precision: 1, recall: 1 });
  });

  it('gives a silent detector precision 0 when there was something to find', () => {
    expect(confusion(map([['a', true]]), new Map())).toMatchObject({
      precision: 0,
      recall: 0,
      f1: 0,
    });
  });

  it('gives recall 0 when nothing was true but something was detected', () => {
    expect(confusion(map([['a', false]]), map([['a', true]]))).toMatchObject({
      fp: 1,
      precision: 0,
      recall: 0,
    });
  });
});

describe('ground truth from a synthetic organisation', () => {
  const org = generateOrganisation({ seed: 8, teams: 50, rounds: 6 });

  it('has one entry per team and round, following each round’s truth', () => {
    const truth = archetypeTruth(org, 'micromanaged');
    expect(truth.size).toBe(50 * 6);
    for (const round of org.rounds)
      for (const team of org.teams)
        expect(truth.get(teamRoundKey(team.key, round.index))).toBe(
          round.truth[team.key] === 'micromanaged',
        );
  });

  it('accepts several archetypes and a subset of rounds', () => {
    const truth = archetypeTruth(org, ['micromanaged', 'split'], { rounds: [0, 5] });
    expect(truth.size).toBe(100);
    expect([...truth.keys()].every((k) => k.endsWith('@0') || k.endsWith('@5'))).toBe(true);
    const positives = org.rounds
      .filter((r) => r.index === 0 || r.index === 5)
      .flatMap((r) => Object.values(r.truth))
      .filter((a) => a === 'micromanaged' || a === 'split').length;
    expect([...truth.values()].filter(Boolean)).toHaveLength(positives);
  });

  it('leaves out team-rounds below a minimum number of respondents', () => {
    const all = flagTruth(org, 'abandonment');
    const shown = flagTruth(org, 'abandonment', { minRespondents: 5 });
    expect(shown.size).toBeLessThan(all.size);
    for (const round of org.rounds) {
      const counts = respondentCounts(round);
      for (const team of org.teams) {
        const key = teamRoundKey(team.key, round.index);
        expect(shown.has(key)).toBe((counts.get(team.key) ?? 0) >= 5);
        expect(all.get(key)).toBe(round.truth[team.key] === 'abandoned');
      }
    }
  });

  it('maps flags to the archetypes planted to raise them', () => {
    const split = flagTruth(org, 'split_team');
    const splitTeams = archetypeTruth(org, 'split');
    expect([...split]).toEqual([...splitTeams]);
  });

  it('scores a detector that reads the truth perfectly', () => {
    const truth = flagTruth(org, 'micromanagement');
    expect(confusion(truth, truth)).toMatchObject({ precision: 1, recall: 1, fp: 0, fn: 0 });
  });
});
