/**
 * Invited and the response rate of a unit and everything below it, on the basis of its
 * respondents: the teams' invitations added up, as their answers are. Unknown when any team
 * that took part has no invitation count (imported history), rather than a rate over part.
 */
export function invitedIn(
  rows: readonly { respondents: number; invited: number | null }[],
  respondents: number,
): { invited: number | null; responseRate: number | null } {
  const answering = rows.filter((r) => r.respondents > 0 || r.invited !== null);
  if (answering.length === 0 || answering.some((r) => r.invited === null))
    return { invited: null, responseRate: null };
  const invited = answering.reduce((sum, r) => sum + (r.invited ?? 0), 0);
  return {
    invited,
    responseRate: invited > 0 ? Math.min(1, respondents / invited) : null,
  };
}
