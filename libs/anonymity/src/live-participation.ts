import { MIN_GROUP_SIZE_FLOOR } from './settings';

/** A team's participation as the database counts it. */
export interface TeamParticipation {
  invited: number;
  answered: number;
}

/** What may be shown of it: while open, `answered` is a whole multiple of k. */
export interface LiveParticipation {
  invited: number;
  answered: number;
  responseRate: number | null;
}

/**
 * Participation as it may leave the server. While a round is open a count that moved by one would
 * say when someone answered (and, next to a viewer's own knowledge, who): answered counts and
 * rates move in whole steps of k, for every viewer. Exact once the round is closed. Every page,
 * panel and JSON answer showing live counts goes through here.
 */
export function liveParticipation(
  team: TeamParticipation,
  roundOpen: boolean,
  k: number,
): LiveParticipation {
  if (!Number.isSafeInteger(k) || k < MIN_GROUP_SIZE_FLOOR)
    throw new RangeError(`k must be a whole number ≥ ${MIN_GROUP_SIZE_FLOOR}, got ${k}`);
  const answered = roundOpen ? Math.floor(team.answered / k) * k : team.answered;
  return {
    invited: team.invited,
    answered,
    responseRate: team.invited ? answered / team.invited : null,
  };
}
