import { AUTONOMY_ALIGNMENT_PULSE as pulse } from '../../surveys/src/instrument';
import {
  ARCHETYPES,
  ARCHETYPE_PROFILES,
  ARCHETYPE_TRANSITIONS,
  DEFAULT_ARCHETYPE_MIX,
  DIMENSION_KEYS,
  isArchetype,
} from './archetypes';

const A = (p: Record<string, number>) => p.decision_rights;
const L = (p: Record<string, number>) => (p.purpose_clarity + p.alignment) / 2;

describe('archetype profiles', () => {
  it('cover the built-in instrument’s dimensions, on its 1..5 scale', () => {
    expect([...DIMENSION_KEYS]).toEqual(pulse.dimensions.map((d) => d.key));
    for (const a of ARCHETYPES) {
      const { latent, halves } = ARCHETYPE_PROFILES[a];
      for (const profile of [latent, ...(halves ?? [])]) {
        expect(Object.keys(profile)).toEqual([...DIMENSION_KEYS]);
        expect(Object.values(profile).every((v) => v >= 1 && v <= 5)).toBe(true);
      }
    }
  });

  it('sit in their quadrant of the alignment × autonomy matrix', () => {
    const p = (a: (typeof ARCHETYPES)[number]) => ARCHETYPE_PROFILES[a].latent;
    expect(A(p('aligned_autonomy')) >= 3.5 && L(p('aligned_autonomy')) >= 3.5).toBe(true);
    expect(A(p('micromanaged')) < 3.5 && L(p('micromanaged')) >= 3.5).toBe(true);
    expect(A(p('abandoned')) >= 3.5 && L(p('abandoned')) < 3.5).toBe(true);
    expect(A(p('adrift')) < 3.5 && L(p('adrift')) < 3.5).toBe(true);
  });

  it('plant each problem past its rule’s threshold, with margin but not absurdly', () => {
    const micro = ARCHETYPE_PROFILES.micromanaged.latent;
    expect(micro.over_control - 3.5).toBeGreaterThan(0.5);
    expect(3.0 - micro.decision_rights).toBeGreaterThan(0.5);
    const abandoned = ARCHETYPE_PROFILES.abandoned.latent;
    expect(abandoned.decision_rights - 3.5).toBeGreaterThan(0.5);
    expect(3.0 - abandoned.leader_support).toBeGreaterThan(0.5);
    for (const p of [micro, abandoned])
      expect(Object.values(p).every((v) => v >= 1.5 && v <= 4.5)).toBe(true);
  });

  it('split a team into a micromanaged and an abandoned half on autonomy, support, control', () => {
    const [controlled, left] = ARCHETYPE_PROFILES.split.halves!;
    const differs = DIMENSION_KEYS.filter((k) => controlled[k] !== left[k]);
    expect(differs).toEqual(['decision_rights', 'leader_support', 'over_control']);
    expect(controlled.over_control).toBeGreaterThan(3.5);
    expect(controlled.decision_rights).toBeLessThan(3);
    expect(left.decision_rights).toBeGreaterThan(3.5);
    expect(left.leader_support).toBeLessThan(3);
    // Its means look harmless: neither rule holds on the latent team mean.
    const mean = ARCHETYPE_PROFILES.split.latent;
    expect(mean.over_control >= 3.5 && mean.decision_rights <= 3).toBe(false);
    expect(mean.decision_rights >= 3.5).toBe(false);
  });

  it('default mix sums to 1 and transitions lead elsewhere', () => {
    expect(ARCHETYPES.reduce((s, a) => s + DEFAULT_ARCHETYPE_MIX[a], 0)).toBeCloseTo(1);
    for (const a of ARCHETYPES) {
      expect(ARCHETYPE_TRANSITIONS[a].length).toBeGreaterThan(0);
      expect(ARCHETYPE_TRANSITIONS[a]).not.toContain(a);
    }
  });

  it('recognises archetype names', () => {
    expect(isArchetype('split')).toBe(true);
    expect(isArchetype('bossy')).toBe(false);
    expect(isArchetype(3)).toBe(false);
  });
});
