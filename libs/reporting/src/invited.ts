/**
 * Invited and the response rate of a unit and everything below it: the teams' invitations added
 * up, and the rate as the teams' answers over those invitations — one basis, so a person asked in
 * two teams counts twice on both sides, never once above and twice below. Unknown when any team
 * that took part has no invitation count (imported history), rather than a rate over part.
 */
export function invitedIn(rows: readonly { respondents: number; invited: number | null }[]): {
  invited: number | null;
  responseRate: number | null;
} {
  const answering = rows.filter((r) => r.respondents > 0 || r.invited !== null);
  if (answering.length === 0 || answering.some((r) => r.invited === null))
    return { invited: null, responseRate: null };
  const invited = answering.reduce((sum, r) => sum + (r.invited ?? 0), 0);
  const answers = answering.reduce((sum, r) => sum + r.respondents, 0);
  return {
    invited,
    responseRate: invited > 0 ? Math.min(1, answers / invited) : null,
  };
}
