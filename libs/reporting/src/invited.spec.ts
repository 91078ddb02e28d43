import { invitedIn } from './invited';

describe('invitedIn', () => {
  it('adds the teams’ invitations, the basis their answers are counted on', () => {
    // A department of two teams: 6 of 8 and 4 of 5 answered.
    expect(
      invitedIn([
        { respondents: 6, invited: 8 },
        { respondents: 4, invited: 5 },
      ]),
    ).toEqual({ invited: 13, responseRate: 10 / 13 });
  });

  it('counts a person asked in two teams twice on both sides: 5 answers of 9 invitations', () => {
    expect(
      invitedIn([
        { respondents: 3, invited: 5 },
        { respondents: 2, invited: 4 },
      ]),
    ).toEqual({ invited: 9, responseRate: 5 / 9 });
  });

  it('never reports more answers than invitations', () => {
    expect(invitedIn([{ respondents: 6, invited: 5 }])).toEqual({
      invited: 5,
      responseRate: 1,
    });
  });

  it('is unknown when a team that took part has no invitation count, rather than a rate over part', () => {
    expect(
      invitedIn([
        { respondents: 6, invited: 8 },
        { respondents: 4, invited: null },
      ]),
    ).toEqual({ invited: null, responseRate: null });
    expect(invitedIn([])).toEqual({ invited: null, responseRate: null });
  });
});
