import { FIRST_NAMES, LAST_NAMES, mulberry32 } from '@trellis/synthetic';

export interface DemoTeam {
  key: string;
  name: string;
  department: string;
  size: number;
}

export const DEMO_TEAMS: DemoTeam[] = [
  { key: 'platform', name: 'Platform', department: 'Engineering / Infrastructure', size: 9 },
  { key: 'sre', name: 'Site Reliability', department: 'Engineering / Infrastructure', size: 6 },
  { key: 'checkout', name: 'Checkout', department: 'Engineering / Product', size: 8 },
  { key: 'search', name: 'Search', department: 'Engineering / Product', size: 11 },
  { key: 'mobile', name: 'Mobile', department: 'Engineering / Product', size: 7 },
  { key: 'sales-emea', name: 'Sales EMEA', department: 'Sales', size: 12 },
  { key: 'sales-na', name: 'Sales North America', department: 'Sales', size: 10 },
  { key: 'people-ops', name: 'People Operations', department: 'People', size: 5 },
];

export const DEMO_DOMAIN = 'demo.trellis.test';

export function leaderEmail(teamKey: string): string {
  return `lead.${teamKey}@${DEMO_DOMAIN}`;
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The demo organisation as the HR export it would come from, so the demo goes through the same
 * import path as a customer's file. One leader per team; the Search leader is also a member of
 * Platform (leading one team and belonging to another is normal).
 */
export function demoRosterCsv(seed = 2026): string {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const lines = ['email,name,team_key,team_name,department,role'];
  let n = 0;
  for (const team of DEMO_TEAMS) {
    const leaderName = `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
    lines.push(
      [leaderEmail(team.key), leaderName, team.key, team.name, team.department, 'leader']
        .map(csvCell)
        .join(','),
    );
    for (let i = 0; i < team.size; i++) {
      n++;
      const name = `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
      const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${n}@${DEMO_DOMAIN}`;
      lines.push(
        [email, name, team.key, team.name, team.department, 'member'].map(csvCell).join(','),
      );
    }
  }
  const searchLeader = lines.find((l) => l.startsWith(leaderEmail('search')))!.split(',')[1];
  const platform = DEMO_TEAMS[0];
  lines.push(
    [
      leaderEmail('search'),
      searchLeader,
      platform.key,
      platform.name,
      platform.department,
      'member',
    ]
      .map(csvCell)
      .join(','),
  );
  return lines.join('\n') + '\n';
}
