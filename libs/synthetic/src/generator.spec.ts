import { parseRosterCsv } from '../../organisation/src/roster/roster-csv';
import { parseHistoryCsv } from '../../surveys/src/history/history-csv';
import {
  AUTONOMY_ALIGNMENT_PULSE as pulse,
  type InstrumentDef,
} from '../../surveys/src/instrument';
import { ARCHETYPES, ARCHETYPE_PROFILES, type Archetype } from './archetypes';
import { generateOrganisation, historyCsv, type SyntheticOrganisation } from './generator';

// ------------------------------------------------------------------ scoring, as domain.md §2

interface TeamRound {
  teamKey: string;
  round: number;
  archetype: Archetype;
  n: number;
  /** Person dimension scores (after un-reversing), missing ones left out. */
  scores: Record<string, number[]>;
  means: Record<string, number>;
  answers: Record<string, number>[];
}

function teamRounds(org: SyntheticOrganisation, def: InstrumentDef = pulse): TeamRound[] {
  const { min, max } = def.scale;
  const out: TeamRound[] = [];
  for (const round of org.rounds) {
    const byTeam = new Map<string, Record<string, number>[]>();
    for (const { teamKey, answers } of round.responses) {
      const list = byTeam.get(teamKey) ?? [];
      list.push(answers);
      byTeam.set(teamKey, list);
    }
    for (const [teamKey, answers] of byTeam) {
      const scores: Record<string, number[]> = {};
      const means: Record<string, number> = {};
      for (const { key } of def.dimensions) {
        const items = def.items.filter((i) => i.dimension === key);
        scores[key] = [];
        for (const person of answers) {
          const values = items
            .filter((i) => person[i.key] !== undefined)
            .map((i) => (i.reverse ? min + max - person[i.key] : person[i.key]));
          if (values.length * 2 >= items.length) scores[key].push(mean(values));
        }
        means[key] = mean(scores[key]);
      }
      out.push({
        teamKey,
        round: round.index,
        archetype: round.truth[teamKey],
        n: answers.length,
        scores,
        means,
        answers,
      });
    }
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

const micromanagement = ({ means: m }: TeamRound) =>
  m.over_control >= 3.5 && m.decision_rights <= 3.0;
const abandonment = ({ means: m }: TeamRound) =>
  m.decision_rights >= 3.5 &&
  (m.leader_support <= 3.0 || (m.purpose_clarity + m.alignment) / 2 <= 3.0);

/** rwg(j) of one dimension's items within a team (James, Demaree & Wolf, 1984), σ²EU = 2. */
function rwgJ(tr: TeamRound, dimension: string): number {
  const items = pulse.items.filter((i) => i.dimension === dimension);
  const s2 = mean(
    items.map((i) =>
      variance(tr.answers.map((a) => a[i.key]).filter((v): v is number => v !== undefined)),
    ),
  );
  const ratio = Math.min(s2, 2) / 2;
  const J = items.length;
  return (J * (1 - ratio)) / (J * (1 - ratio) + ratio);
}

const share = <T>(list: T[], test: (x: T) => boolean) => list.filter(test).length / list.length;

// ---------------------------------------------------------------------------------- tests

describe('generateOrganisation', () => {
  const small = { seed: 42, teams: 30, rounds: 4 };

  describe('determinism', () => {
    it('gives byte-identical CSVs and data for the same options', () => {
      const a = generateOrganisation(small);
      const b = generateOrganisation(small);
      expect(b.rosterCsv).toBe(a.rosterCsv);
      for (const round of a.rounds)
        expect(historyCsv(b.rounds[round.index])).toBe(historyCsv(round));
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    });

    it('gives different organisations for different seeds', () => {
      const a = generateOrganisation(small);
      const b = generateOrganisation({ ...small, seed: 43 });
      expect(b.rosterCsv).not.toBe(a.rosterCsv);
      expect(historyCsv(b.rounds[0])).not.toBe(historyCsv(a.rounds[0]));
    });

    it('keeps a team the same when only the number of rounds changes', () => {
      const a = generateOrganisation({ ...small, rounds: 2, switchShare: 0 });
      const b = generateOrganisation({ ...small, rounds: 6, switchShare: 0 });
      expect(b.rosterCsv).toBe(a.rosterCsv);
      expect(historyCsv(b.rounds[1])).toBe(historyCsv(a.rounds[1]));
    });

    it('accepts seeds beyond 32 bits without folding them together', () => {
      const a = generateOrganisation({ ...small, seed: 2 ** 40 + 1 });
      const b = generateOrganisation({ ...small, seed: 1 });
      expect(historyCsv(a.rounds[0])).not.toBe(historyCsv(b.rounds[0]));
    });
  });

  describe('organisation', () => {
    const org = generateOrganisation({ seed: 7, teams: 120, rounds: 3 });

    it('has teams t001… of 3 to 15 members with unique synthetic emails', () => {
      expect(org.teams.map((t) => t.key)).toEqual(
        Array.from({ length: 120 }, (_, i) => `t${String(i + 1).padStart(3, '0')}`),
      );
      const emails = org.teams.flatMap((t) => [t.leaderEmail, ...t.memberEmails]);
      expect(new Set(emails).size).toBe(emails.length);
      for (const team of org.teams) {
        expect(team.size).toBeGreaterThanOrEqual(3);
        expect(team.size).toBeLessThanOrEqual(15);
        expect(team.memberEmails).toHaveLength(team.size);
        expect(team.memberEmails[0]).toBe(`p1.${team.key}@synthetic.test`);
        expect(team.departmentPath.length).toBeGreaterThanOrEqual(1);
        expect(team.archetype).toBe(org.rounds[0].truth[team.key]);
      }
      const sizes = new Set(org.teams.map((t) => t.size));
      expect(sizes.has(3) && sizes.has(15)).toBe(true);
    });

    it('pads team keys to the number of teams', () => {
      const big = generateOrganisation({ seed: 1, teams: 1000, rounds: 0 });
      expect(big.teams[0].key).toBe('t0001');
      expect(big.teams[999].key).toBe('t1000');
    });

    it('writes a roster in the HR export format that the roster import accepts', () => {
      const lines = org.rosterCsv.trimEnd().split('\n');
      expect(lines[0]).toBe('email,name,team_key,team_name,department,role');
      const parsed = parseRosterCsv(org.rosterCsv);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
      const people = org.teams.reduce((n, t) => n + t.size + 1, 0);
      expect(parsed.rows).toHaveLength(people);
      for (const team of org.teams) {
        const rows = parsed.rows.filter((r) => r.teamKey === team.key);
        expect(rows.filter((r) => r.role === 'leader').map((r) => r.email)).toEqual([
          team.leaderEmail,
        ]);
        expect(rows.filter((r) => r.role === 'member').map((r) => r.email)).toEqual(
          team.memberEmails,
        );
        for (const row of rows) {
          expect(row.teamName).toBe(team.name);
          expect(row.departmentPath).toEqual(team.departmentPath);
        }
      }
      expect(org.rosterCsv).toContain(' / ');
    });

    it('spreads teams over the requested departments', () => {
      const tops = new Set(org.teams.map((t) => t.departmentPath[0]));
      expect(tops.size).toBe(10); // default: one per 12 teams
      const three = generateOrganisation({ seed: 7, teams: 40, rounds: 0, departments: 3 });
      expect(new Set(three.teams.map((t) => t.departmentPath[0])).size).toBe(3);
      expect(three.teams.every((t) => t.departmentPath.length === 2)).toBe(true);
    });

    it('dates rounds from startDate every roundEveryDays', () => {
      expect(org.rounds.map((r) => [r.index, r.periodStart, r.periodEnd])).toEqual([
        [0, '2025-01-06', '2025-01-19'],
        [1, '2025-01-20', '2025-02-02'],
        [2, '2025-02-03', '2025-02-16'],
      ]);
      const monthly = generateOrganisation({
        ...small,
        rounds: 2,
        startDate: '2024-02-26',
        roundEveryDays: 7,
      });
      expect(monthly.rounds.map((r) => [r.periodStart, r.periodEnd])).toEqual([
        ['2024-02-26', '2024-03-03'],
        ['2024-03-04', '2024-03-10'],
      ]);
    });

    it('has each team answer at the drawn participation rate, never more than its size', () => {
      for (const round of org.rounds) {
        const counts = new Map<string, number>();
        for (const r of round.responses) counts.set(r.teamKey, (counts.get(r.teamKey) ?? 0) + 1);
        for (const team of org.teams) {
          const n = counts.get(team.key) ?? 0;
          expect(n).toBeLessThanOrEqual(team.size);
          expect(n).toBeGreaterThanOrEqual(Math.round(0.6 * team.size));
        }
        // Responses are grouped by team, in team order.
        const order = round.responses.map((r) => r.teamKey);
        expect(order).toEqual([...order].sort());
      }
      const low = generateOrganisation({ ...small, participation: { min: 0.2, max: 0.4 } });
      const responses = low.rounds[0].responses.length;
      const members = low.teams.reduce((n, t) => n + t.size, 0);
      expect(responses / members).toBeGreaterThan(0.15);
      expect(responses / members).toBeLessThan(0.45);
    });

    it('allots archetypes by the mix, exactly up to rounding', () => {
      const count = (o: SyntheticOrganisation, a: Archetype) =>
        o.teams.filter((t) => t.archetype === a).length;
      const mixed = generateOrganisation({
        ...small,
        teams: 10,
        archetypeMix: { micromanaged: 3, abandoned: 1 },
      });
      expect(count(mixed, 'micromanaged')).toBe(8); // 7.5 and 2.5: the tie goes to the first
      expect(count(mixed, 'abandoned')).toBe(2);
      const defaults = generateOrganisation({ ...small, teams: 100, rounds: 0 });
      expect(ARCHETYPES.map((a) => count(defaults, a))).toEqual([35, 20, 20, 13, 12]);
    });

    it('changes a few teams’ archetype half-way and records it in every round’s truth', () => {
      const long = generateOrganisation({ seed: 3, teams: 200, rounds: 8 });
      const changed = long.teams.filter((t) =>
        long.rounds.some((r) => r.truth[t.key] !== t.archetype),
      );
      expect(changed).toHaveLength(10); // 5 % of 200
      for (const team of changed) {
        const path = long.rounds.map((r) => r.truth[team.key]);
        expect(path.slice(0, 4).every((a) => a === team.archetype)).toBe(true);
        expect(new Set(path.slice(4)).size).toBe(1);
        expect(path[4]).not.toBe(team.archetype);
      }
      for (const round of long.rounds) expect(Object.keys(round.truth)).toHaveLength(200);
      const none = generateOrganisation({ seed: 3, teams: 200, rounds: 8, switchShare: 0 });
      expect(
        none.teams.every((t) => none.rounds.every((r) => r.truth[t.key] === t.archetype)),
      ).toBe(true);
    });

    it('rejects options it cannot honour', () => {
      expect(() => generateOrganisation({ ...small, teams: 0 })).toThrow(RangeError);
      expect(() => generateOrganisation({ ...small, seed: 1.5 })).toThrow(/seed/);
      expect(() => generateOrganisation({ ...small, startDate: '2025-02-30' })).toThrow(/date/);
      expect(() => generateOrganisation({ ...small, teamSize: { min: 5, max: 4 } })).toThrow();
      expect(() =>
        generateOrganisation({ ...small, participation: { min: 0.5, max: 1.2 } }),
      ).toThrow(/participation/);
      expect(() => generateOrganisation({ ...small, archetypeMix: { split: 0 } })).toThrow(
        /archetypeMix/,
      );
      expect(() => generateOrganisation({ ...small, archetypeMix: { bossy: 1 } as never })).toThrow(
        /bossy/,
      );
    });
  });

  describe('item-level history CSV', () => {
    const org = generateOrganisation({ seed: 11, teams: 60, rounds: 2 });
    const keys = pulse.items.map((i) => i.key);

    it('has a team column and one column per item, one row per respondent', () => {
      for (const round of org.rounds) {
        const lines = historyCsv(round).split('\n');
        expect(lines.pop()).toBe(''); // ends with a newline
        expect(lines[0]).toBe(['team', ...keys].join(','));
        expect(lines).toHaveLength(round.responses.length + 1);
        let cells = 0;
        let empty = 0;
        const problems: string[] = [];
        lines.slice(1).forEach((line, i) => {
          const [team, ...values] = line.split(',');
          const { teamKey, answers } = round.responses[i];
          if (team !== teamKey) problems.push(`line ${i + 2}: team ${team}`);
          if (values.length !== keys.length)
            problems.push(`line ${i + 2}: ${values.length} values`);
          if (values.every((v) => v === '')) problems.push(`line ${i + 2}: no answers`);
          values.forEach((v, j) => {
            cells++;
            if (v === '') empty++;
            const ok = v === '' ? answers[keys[j]] === undefined : /^[1-5]$/.test(v);
            if (!ok || (v !== '' && answers[keys[j]] !== Number(v)))
              problems.push(`line ${i + 2}, ${keys[j]}: "${v}"`);
          });
        });
        expect(problems).toEqual([]);
        expect(empty / cells).toBeGreaterThan(0.015);
        expect(empty / cells).toBeLessThan(0.045);
      }
    });

    it('is accepted by the history import', () => {
      const teamKeys = new Set(org.teams.map((t) => t.key));
      for (const round of org.rounds) {
        const parsed = parseHistoryCsv(historyCsv(round), pulse, { teamKeys });
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
        expect(parsed.rows).toHaveLength(round.responses.length);
        expect(parsed.itemKeys).toEqual(keys);
      }
    });

    it('keeps answers in the instrument’s key order with unanswered items absent', () => {
      for (const { answers } of org.rounds[0].responses) {
        const present = Object.keys(answers);
        expect(present).toEqual(keys.filter((k) => present.includes(k)));
      }
    });

    it('reverse-keys: a healthy team disagrees with the negatively worded statements', () => {
      const healthy = generateOrganisation({
        seed: 5,
        teams: 40,
        rounds: 2,
        archetypeMix: { aligned_autonomy: 1 },
        switchShare: 0,
      });
      const rawMean = (itemKeys: string[]) =>
        mean(
          healthy.rounds.flatMap((r) =>
            r.responses.flatMap((x) =>
              itemKeys.map((k) => x.answers[k]).filter((v) => v !== undefined),
            ),
          ),
        );
      const safety = pulse.items.filter((i) => i.dimension === 'psych_safety');
      const reversed = safety.filter((i) => i.reverse).map((i) => i.key);
      const straight = safety.filter((i) => !i.reverse).map((i) => i.key);
      expect(reversed.length).toBeGreaterThan(0);
      expect(rawMean(reversed)).toBeLessThan(2.5);
      expect(rawMean(straight)).toBeGreaterThan(3.5);
      // After un-reversing, both halves tell the same story.
      expect(Math.abs(6 - rawMean(reversed) - rawMean(straight))).toBeLessThan(0.5);
    });
  });

  describe('archetype separation on the generated answers (team-rounds with ≥ 5 respondents)', () => {
    const org = generateOrganisation({ seed: 2026, teams: 400, rounds: 12 });
    const shown = teamRounds(org).filter((tr) => tr.n >= 5);
    const of = (a: Archetype) => shown.filter((tr) => tr.archetype === a);

    it('has enough team-rounds of every archetype to measure', () => {
      for (const a of ARCHETYPES) expect(of(a).length).toBeGreaterThan(300);
    });

    it('micromanaged teams meet the micromanagement rule (≥ 95 %)', () => {
      expect(share(of('micromanaged'), micromanagement)).toBeGreaterThanOrEqual(0.95);
    });

    it('abandoned teams meet the abandonment rule (≥ 95 %)', () => {
      expect(share(of('abandoned'), abandonment)).toBeGreaterThanOrEqual(0.95);
    });

    it('aligned-autonomy teams rarely meet either rule (< 5 %)', () => {
      const healthy = of('aligned_autonomy');
      expect(share(healthy, (tr) => micromanagement(tr) || abandonment(tr))).toBeLessThan(0.05);
    });

    it('is not trivial: the rules miss some planted teams and the distractors trip some', () => {
      expect(share(of('micromanaged'), micromanagement)).toBeLessThan(1);
      expect(share(of('abandoned'), abandonment)).toBeLessThan(1);
      expect(share(of('split'), (tr) => micromanagement(tr) || abandonment(tr))).toBeGreaterThan(0);
    });

    it('adrift teams lack autonomy and alignment without over-control', () => {
      const adrift = of('adrift');
      expect(share(adrift, micromanagement)).toBeLessThan(0.05);
      expect(share(adrift, abandonment)).toBeLessThan(0.05);
      expect(mean(adrift.map((tr) => tr.means.decision_rights))).toBeLessThan(3);
      expect(mean(adrift.map((tr) => tr.means.alignment))).toBeLessThan(3);
    });

    it('split teams vary far more within the team on decision rights', () => {
      const withinVar = (a: Archetype) =>
        mean(of(a).map((tr) => variance(tr.scores.decision_rights)));
      const split = withinVar('split');
      for (const a of ARCHETYPES.filter((x) => x !== 'split'))
        expect({ a, ratio: split / withinVar(a) > 2.5 }).toEqual({ a, ratio: true });
    });

    it('split teams have low agreement, rwg(j) < .50, where the others agree', () => {
      const splitFlag = (tr: TeamRound) =>
        ['decision_rights', 'leader_support', 'over_control'].some((d) => rwgJ(tr, d) < 0.5);
      expect(share(of('split'), splitFlag)).toBeGreaterThan(0.85);
      for (const a of ARCHETYPES.filter((x) => x !== 'split'))
        expect({ a, low: share(of(a), splitFlag) < 0.05 }).toEqual({ a, low: true });
    });

    it('observed team means sit near each archetype’s latent profile', () => {
      for (const a of ARCHETYPES.filter((x) => x !== 'split')) {
        for (const [dimension, latent] of Object.entries(ARCHETYPE_PROFILES[a].latent)) {
          const observed = mean(of(a).map((tr) => tr.means[dimension]));
          // Rounding and clamping pull means toward the middle of the scale a little.
          expect({ a, dimension, close: Math.abs(observed - latent) < 0.25 }).toEqual({
            a,
            dimension,
            close: true,
          });
        }
      }
    });

    it("biases leaders' self-view so the perception gap shows", () => {
      const self = new Map<string, Record<string, number>>();
      for (const round of org.rounds)
        for (const s of round.leaderSelf) self.set(`${s.teamKey}@${round.index}`, s.answers);
      expect(self.size).toBe(400 * 12); // every leader answers by default
      const gap = (dimension: string) => {
        const items = pulse.items.filter((i) => i.dimension === dimension);
        return mean(
          shown.map((tr) => {
            const answers = self.get(`${tr.teamKey}@${tr.round}`)!;
            const values = items
              .filter((i) => answers[i.key] !== undefined)
              .map((i) => (i.reverse ? 6 - answers[i.key] : answers[i.key]));
            return mean(values) - tr.means[dimension];
          }),
        );
      };
      expect(gap('decision_rights')).toBeGreaterThan(0.6);
      expect(gap('leader_support')).toBeGreaterThan(0.6);
      expect(gap('over_control')).toBeLessThan(-0.6);
      const none = generateOrganisation({ ...small, leaderSelfRate: 0 });
      expect(none.rounds.every((r) => r.leaderSelf.length === 0)).toBe(true);
    });
  });

  describe('custom instruments', () => {
    const custom: InstrumentDef = {
      key: 'custom',
      name: 'Custom',
      description: 'Two dimensions on 0..4',
      scale: { min: 0, max: 4 },
      dimensions: [
        { key: 'decision_rights', name: 'Autonomy', description: '' },
        { key: 'energy', name: 'Energy', description: '' },
      ],
      items: [
        { key: 'a1', dimension: 'decision_rights', text: 'a1', reverse: false },
        { key: 'a2', dimension: 'decision_rights', text: 'a2', reverse: true },
        { key: 'e1', dimension: 'energy', text: 'e1', reverse: false },
      ],
    };

    it('answers its items on its scale, mapping the profiles onto it', () => {
      const org = generateOrganisation({
        seed: 9,
        teams: 60,
        rounds: 2,
        instrument: custom,
        archetypeMix: { micromanaged: 1, abandoned: 1 },
        switchShare: 0,
      });
      const text = historyCsv(org.rounds[0]);
      expect(text.split('\n')[0]).toBe('team,a1,a2,e1');
      expect(
        org.rounds.every((r) =>
          r.responses.every((x) => Object.values(x.answers).every((v) => v >= 0 && v <= 4)),
        ),
      ).toBe(true);
      const autonomy = (a: Archetype) =>
        mean(
          teamRounds(org, custom)
            .filter((tr) => tr.archetype === a)
            .map((tr) => tr.means.decision_rights),
        );
      // 2.15 and 4.35 on 1..5 are 1.15 and 3.35 on 0..4.
      expect(autonomy('micromanaged')).toBeLessThan(1.6);
      expect(autonomy('abandoned')).toBeGreaterThan(2.9);
    });
  });

  // Timings belong in bench/, not here: this only checks that a benchmark-sized organisation comes out whole.
  describe('scale', () => {
    it('generates 2,000 teams × 12 rounds', () => {
      const org = generateOrganisation({ seed: 1, teams: 2000, rounds: 12 });
      const responses = org.rounds.reduce((n, r) => n + r.responses.length, 0);
      expect(org.teams).toHaveLength(2000);
      expect(responses).toBeGreaterThan(150_000);
    });
  });
});
