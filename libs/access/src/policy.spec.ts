import fc from 'fast-check';
import { decide, needsLeaderCheck, type AccessRule, type Caller, type Grant } from './policy';

const ORG = 'org-a';
const OTHER = 'org-b';
const unitRule = (grants: Grant[]): AccessRule => ({
  kind: 'resource',
  resource: 'unit',
  param: 'unitId',
  grants,
});

describe('decide', () => {
  const hr: Caller = { organisationId: ORG, roles: ['hr'] };
  const admin: Caller = { organisationId: ORG, roles: ['admin'] };
  const plain: Caller = { organisationId: ORG, roles: [] };

  it('lets anyone through a public rule', () => {
    expect(decide({ rule: { kind: 'public' }, caller: null }).outcome).toBe('allow');
  });

  it('asks anonymous callers to sign in for everything else', () => {
    expect(decide({ rule: { kind: 'signed_in' }, caller: null }).outcome).toBe('unauthenticated');
    expect(
      decide({ rule: unitRule(['hr']), caller: null, resourceOrganisationId: ORG }).outcome,
    ).toBe('unauthenticated');
  });

  it('reports another organisation’s resource as not found, whatever the caller’s roles', () => {
    const otherAdmin: Caller = { organisationId: OTHER, roles: ['admin', 'hr'] };
    expect(
      decide({
        rule: unitRule(['admin']),
        caller: otherAdmin,
        resourceOrganisationId: ORG,
        leads: true,
      }).outcome,
    ).toBe('not_found');
    expect(
      decide({ rule: unitRule(['admin']), caller: admin, resourceOrganisationId: null }).outcome,
    ).toBe('not_found');
  });

  it('grants organisation scope by role and leader scope by leadership', () => {
    expect(
      decide({ rule: unitRule(['hr', 'leader']), caller: hr, resourceOrganisationId: ORG }),
    ).toEqual({
      outcome: 'allow',
      scope: 'organisation',
    });
    expect(
      decide({
        rule: unitRule(['hr', 'leader']),
        caller: plain,
        resourceOrganisationId: ORG,
        leads: true,
      }),
    ).toEqual({
      outcome: 'allow',
      scope: 'leader',
    });
    expect(
      decide({
        rule: unitRule(['hr', 'leader']),
        caller: plain,
        resourceOrganisationId: ORG,
        leads: false,
      }).outcome,
    ).toBe('forbidden');
  });

  it('does not let a role stand in for another', () => {
    expect(
      decide({ rule: unitRule(['admin']), caller: hr, resourceOrganisationId: ORG }).outcome,
    ).toBe('forbidden');
    expect(
      decide({ rule: unitRule(['hr']), caller: plain, resourceOrganisationId: ORG, leads: true })
        .outcome,
    ).toBe('forbidden');
  });

  it('never allows a caller across organisations (property)', () => {
    const grants = fc.subarray<Grant>(['hr', 'admin', 'leader'], { minLength: 1 });
    const roles = fc.subarray<'hr' | 'admin'>(['hr', 'admin']);
    fc.assert(
      fc.property(grants, roles, fc.boolean(), fc.string(), fc.string(), (g, r, leads, a, b) => {
        fc.pre(a !== b);
        const d = decide({
          rule: unitRule(g),
          caller: { organisationId: a, roles: r },
          resourceOrganisationId: b,
          leads,
        });
        return d.outcome === 'not_found';
      }),
    );
  });

  it('allows exactly when a role matches or a granted leader leads (property)', () => {
    const grants = fc.subarray<Grant>(['hr', 'admin', 'leader']);
    const roles = fc.subarray<'hr' | 'admin'>(['hr', 'admin']);
    fc.assert(
      fc.property(grants, roles, fc.boolean(), (g, r, leads) => {
        const d = decide({
          rule: unitRule(g),
          caller: { organisationId: ORG, roles: r },
          resourceOrganisationId: ORG,
          leads,
        });
        const expected = r.some((x) => g.includes(x)) || (g.includes('leader') && leads);
        return (d.outcome === 'allow') === expected;
      }),
    );
  });
});

describe('needsLeaderCheck', () => {
  it('skips the lookup when a role already decides', () => {
    expect(
      needsLeaderCheck(unitRule(['hr', 'leader']), { organisationId: ORG, roles: ['hr'] }),
    ).toBe(false);
    expect(needsLeaderCheck(unitRule(['hr', 'leader']), { organisationId: ORG, roles: [] })).toBe(
      true,
    );
    expect(needsLeaderCheck(unitRule(['hr']), { organisationId: ORG, roles: [] })).toBe(false);
    expect(needsLeaderCheck({ kind: 'signed_in' }, { organisationId: ORG, roles: [] })).toBe(false);
  });
});
