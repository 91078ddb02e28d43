import { mayActOnPerson, type PersonAction } from './people-policy';

describe('mayActOnPerson', () => {
  const actions: PersonAction[] = ['grant_role', 'lead', 'deactivate', 'invite'];

  it('lets an admin do everything to anyone', () => {
    for (const action of actions)
      for (const target of [[], ['hr'], ['admin']] as const)
        expect(mayActOnPerson(['admin'], action, target)).toBe(true);
  });

  it('never lets HR grant or revoke roles', () => {
    expect(mayActOnPerson(['hr'], 'grant_role', [])).toBe(false);
  });

  it('lets HR deactivate and invite people without a role, and no one with one', () => {
    expect(mayActOnPerson(['hr'], 'deactivate', [])).toBe(true);
    expect(mayActOnPerson(['hr'], 'invite', [])).toBe(true);
    expect(mayActOnPerson(['hr'], 'deactivate', ['admin'])).toBe(false);
    expect(mayActOnPerson(['hr'], 'deactivate', ['hr'])).toBe(false);
    expect(mayActOnPerson(['hr'], 'invite', ['admin'])).toBe(false);
  });

  it('lets HR change leadership, and nobody without a role do anything', () => {
    expect(mayActOnPerson(['hr'], 'lead', ['admin'])).toBe(true);
    for (const action of actions) expect(mayActOnPerson([], action, [])).toBe(false);
  });
});
