import { ARCHETYPES, DIMENSION_KEYS } from './archetypes';
import { COMMENT_VOICES, teamComments, voiceTexts } from './comments';
import { generateOrganisation, historyCsv } from './generator';

const base = { seed: 7, round: 3, teamKey: 'checkout', archetype: 'micromanaged' as const };

describe('teamComments', () => {
  it('is deterministic per seed, round and team, and differs between them', () => {
    const a = teamComments({ ...base, respondents: 9, share: 0.6 });
    expect(teamComments({ ...base, respondents: 9, share: 0.6 })).toEqual(a);
    expect(teamComments({ ...base, round: 4, respondents: 9, share: 0.6 })).not.toEqual(a);
    expect(teamComments({ ...base, teamKey: 'search', respondents: 9, share: 0.6 })).not.toEqual(a);
  });

  it('has round(share × respondents) people comment, each at least once and once per theme', () => {
    for (const [respondents, share] of [
      [9, 0.6],
      [10, 1],
      [8, 0],
      [0, 0.5],
      [7, 0.5],
    ] as const) {
      const drawn = teamComments({ ...base, respondents, share });
      expect(drawn).toHaveLength(respondents);
      const commenting = drawn.filter((c) => c !== null);
      expect(commenting).toHaveLength(Math.round(share * respondents));
      for (const c of commenting) {
        expect((c.comment ? 1 : 0) + c.comments.length).toBeGreaterThan(0);
        expect(new Set(c.comments.map((t) => t.dimension)).size).toBe(c.comments.length);
      }
    }
  });

  it('speaks in the archetype voice, on themes of the instrument', () => {
    for (const archetype of ARCHETYPES) {
      const voice = voiceTexts(archetype);
      for (let round = 0; round < 20; round++) {
        for (const c of teamComments({ ...base, archetype, round, respondents: 12, share: 1 })) {
          if (c === null) continue;
          if (c.comment) expect(voice.has(c.comment)).toBe(true);
          for (const t of c.comments) {
            expect(DIMENSION_KEYS).toContain(t.dimension);
            expect(COMMENT_VOICES[archetype].themed[t.dimension]).toContain(t.text);
          }
        }
      }
    }
    // The voices are told apart: no text is shared between two archetypes.
    const all = ARCHETYPES.flatMap((a) => [...voiceTexts(a)]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('leans on the telling theme: a micromanaged team writes most about over-control', () => {
    const themes = new Map<string, number>();
    for (let round = 0; round < 40; round++)
      for (const c of teamComments({ ...base, round, respondents: 10, share: 1 }))
        for (const t of c?.comments ?? [])
          themes.set(t.dimension, (themes.get(t.dimension) ?? 0) + 1);
    const [top] = [...themes].sort((a, b) => b[1] - a[1]);
    expect(top[0]).toBe('over_control');
  });

  it('refuses a share outside 0..1 and a count that is not whole', () => {
    expect(() => teamComments({ ...base, respondents: 5, share: 1.5 })).toThrow(/share/);
    expect(() => teamComments({ ...base, respondents: 2.5, share: 0.5 })).toThrow(/respondents/);
  });

  it('leaves the generator alone: drawing comments changes no answer', () => {
    const options = { seed: 99, teams: 4, rounds: 2 };
    const before = generateOrganisation(options).rounds.map(historyCsv).join('');
    teamComments({ ...base, respondents: 10, share: 1 });
    expect(generateOrganisation(options).rounds.map(historyCsv).join('')).toBe(before);
  });
});
