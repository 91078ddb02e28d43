import type { DataSource } from 'typeorm';
import { ownGroupId, revealGroup, type Shown, type UnitVisibility } from '@trellis/anonymity';
import { FLAG_CODES } from '@trellis/scoring';

/** A team below a department in one round: its counts always, its flags only when shown. */
export interface TeamLine {
  id: string;
  name: string;
  kind: string;
  /** Answers from this team's own members (counts may always be shown). */
  respondents: number;
  /** Invitations, on the same basis; null when unknown (imported history). */
  invited: number | null;
  /** Whether the team's own results may be shown; when not, nothing about its flags is said. */
  shown: boolean;
  /** The team's flags, in the model's order; empty when it was shown and nothing was flagged. */
  flags: Shown<{ code: string; level: string }[]> | [];
}

/** What a department or organisation page says about the teams under it, for one round. */
export interface TeamsSummary {
  roundId: string;
  teams: TeamLine[];
  /** Shown teams with at least one flag. */
  flagged: number;
  /** Teams whose results may be shown. */
  shownTeams: number;
}

interface TeamRound {
  unitId: string;
  respondents: number;
  invited: number | null;
}

/**
 * The teams below a unit that took part in a round (invited or answering), each with its own
 * group's decision: a hidden team is listed with its count and nothing derived from its answers,
 * not even "nothing flagged", which is a statement about its answers too.
 */
export async function summariseTeams(
  db: Pick<DataSource, 'query'>,
  input: {
    roundId: string;
    decisions: Map<string, UnitVisibility> | undefined;
    k: number;
    units: readonly { id: string; name: string; kind: string }[];
    teamRounds: readonly TeamRound[];
  },
): Promise<TeamsSummary> {
  const { roundId, decisions, k, units, teamRounds } = input;
  const taking = units.filter(
    (u) =>
      teamRounds.some((t) => t.unitId === u.id) ||
      (decisions?.get(ownGroupId(u.id))?.respondents ?? 0) > 0,
  );
  const rows = await db.query<{ unitId: string; code: string; level: string }[]>(
    `select unit_id as "unitId", code, level from flag where round_id = $1 and unit_id = any($2::uuid[])
      order by array_position($3::text[], code), code`,
    [roundId, taking.map((u) => u.id), FLAG_CODES],
  );
  const teams = taking
    .map((u): TeamLine => {
      const decision = decisions?.get(ownGroupId(u.id));
      const round = teamRounds.find((t) => t.unitId === u.id);
      const flags = revealGroup(
        decision,
        rows.filter((r) => r.unitId === u.id).map(({ code, level }) => ({ code, level })),
        k,
      );
      return {
        id: u.id,
        name: u.name,
        kind: u.kind,
        respondents: decision?.respondents ?? round?.respondents ?? 0,
        invited: round?.invited ?? null,
        shown: flags !== null,
        flags: flags ?? [],
      };
    })
    // Flagged teams first (the reason to open the page), then by name.
    .sort(
      (a, b) =>
        Number(b.flags.length > 0) - Number(a.flags.length > 0) || a.name.localeCompare(b.name),
    );
  return {
    roundId,
    teams,
    flagged: teams.filter((t) => t.flags.length > 0).length,
    shownTeams: teams.filter((t) => t.shown).length,
  };
}
