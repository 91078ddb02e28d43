import { safeReturnPath, signInPathFor } from './return-path';

describe('safeReturnPath', () => {
  it.each([
    ['/app/units/3f1c/report', '/app/units/3f1c/report'],
    ['/app?x=1', '/app?x=1'],
    ['/app', '/app'],
  ])('keeps a console path %s', (next, expected) => {
    expect(safeReturnPath(next)).toBe(expected);
  });

  it.each([
    'https://evil.example/app',
    '//evil.example/app',
    '/application',
    '/auth/me',
    '/app\\@evil.example',
    '/app /x',
    undefined,
    42,
  ])('refuses %p and goes home', (next) => {
    expect(safeReturnPath(next)).toBe('/app');
  });

  it('sends a deep link through the sign-in form', () => {
    expect(signInPathFor('/app/units/a b/report')).toBe('/sign-in');
    expect(signInPathFor('/app/units/1/report')).toBe('/sign-in?next=%2Fapp%2Funits%2F1%2Freport');
  });
});
