import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DEFAULT_ANONYMITY_SETTINGS, organisationAnonymity } from './settings';

describe('organisationAnonymity', () => {
  it('reads the anonymity key of the organisation settings, as the settings page stores it', () => {
    expect(
      organisationAnonymity({
        anonymity: { minGroupSize: 8, minCommentGroup: 12 },
        flags: { micromanagement: { controlAtLeast: 3.5 } },
      }),
    ).toEqual({ minGroupSize: 8, minCommentGroup: 12 });
  });

  it('raises the comment minimum with k when only k was set', () => {
    expect(organisationAnonymity({ anonymity: { minGroupSize: 12 } })).toEqual({
      minGroupSize: 12,
      minCommentGroup: 12,
    });
  });

  it.each([undefined, null, 'garbage', [], {}, { flags: {} }, { anonymity: null }])(
    'defaults when %p holds no anonymity settings',
    (settings) => {
      expect(organisationAnonymity(settings)).toEqual(DEFAULT_ANONYMITY_SETTINGS);
    },
  );

  it('does not read thresholds from the top level of the settings', () => {
    // Nothing stores them there; reading them would let a stray key set k behind the settings
    // page, and differently for the readers that looked there and those that did not.
    expect(organisationAnonymity({ minGroupSize: 3, minCommentGroup: 3 })).toEqual(
      DEFAULT_ANONYMITY_SETTINGS,
    );
  });

  it('is never weaker than what the organisation asked for, even when what it asked is unusable', () => {
    expect(organisationAnonymity({ anonymity: { minGroupSize: 7.5 } })).toEqual({
      minGroupSize: 8,
      minCommentGroup: 10,
    });
    expect(organisationAnonymity({ anonymity: { minGroupSize: 2 } })).toEqual(
      DEFAULT_ANONYMITY_SETTINGS,
    );
  });
});

const ROOT = join(__dirname, '..', '..', '..');
const ANONYMITY_LIB = join('libs', 'anonymity') + sep;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Readers that would bypass organisationAnonymity: the lenient parser, or the key read by hand. */
const BYPASS = /\banonymitySettingsOrDefault\b|settings\??\.anonymity\b|->>?\s*'anonymity'/;

describe('one reader of the anonymity settings', () => {
  const files = ['apps', 'libs', 'test', 'bench'].flatMap(sources);

  it('finds the sources it checks, and the pattern matches the reader it guards', () => {
    expect(files.length).toBeGreaterThan(100);
    const own = files.filter((f) => f.startsWith(ANONYMITY_LIB));
    expect(own.some((f) => BYPASS.test(readFileSync(join(ROOT, f), 'utf8')))).toBe(true);
  });

  it('reads them nowhere outside libs/anonymity except through organisationAnonymity', () => {
    const bypassing = files
      .filter((f) => !f.startsWith(ANONYMITY_LIB))
      .filter((f) => BYPASS.test(readFileSync(join(ROOT, f), 'utf8')))
      .map((f) => relative('.', f));
    expect(bypassing).toEqual([]);
  });
});
