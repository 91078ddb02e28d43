import fc from 'fast-check';
import { parseRosterCsv, ROSTER_COLUMNS, RosterProblem, RosterRole, RosterRow } from './roster-csv';

const HEADER = 'email,name,team_key,team_name,department,role';

const lines = (...rows: string[]) => rows.join('\n') + '\n';

function rowsOf(text: string): RosterRow[] {
  const result = parseRosterCsv(text);
  if (!result.ok)
    throw new Error(`expected rows, got problems: ${JSON.stringify(result.problems, null, 2)}`);
  return result.rows;
}

function problemsOf(text: string, options?: { maxRows?: number }): RosterProblem[] {
  const result = parseRosterCsv(text, options);
  if (result.ok)
    throw new Error(`expected problems, got rows: ${JSON.stringify(result.rows, null, 2)}`);
  return result.problems;
}

const problem = (line: number, column: string, message: string): RosterProblem => ({
  line,
  column,
  message,
});

describe('parseRosterCsv', () => {
  describe('valid files', () => {
    it('reads every column and normalises the values', () => {
      const text = lines(
        HEADER,
        ' Ann.Smith@Example.COM ,  Ann   Smith ,PLAT,Platform, Engineering / Platform ,Leader',
        'bob@example.com,Bob Jones,PLAT,Platform,Engineering>Platform,',
        'cara@example.com,Cara,ops-1,,,manager',
      );

      expect(rowsOf(text)).toEqual<RosterRow[]>([
        {
          line: 2,
          email: 'ann.smith@example.com',
          name: 'Ann Smith',
          teamKey: 'PLAT',
          teamName: 'Platform',
          departmentPath: ['Engineering', 'Platform'],
          role: 'leader',
        },
        {
          line: 3,
          email: 'bob@example.com',
          name: 'Bob Jones',
          teamKey: 'PLAT',
          teamName: 'Platform',
          departmentPath: ['Engineering', 'Platform'],
          role: 'member',
        },
        {
          line: 4,
          email: 'cara@example.com',
          name: 'Cara',
          teamKey: 'ops-1',
          teamName: 'ops-1',
          departmentPath: [],
          role: 'leader',
        },
      ]);
    });

    it('maps every role spelling, ignoring case', () => {
      const spellings: [string, RosterRole][] = [
        ['member', 'member'],
        ['EMPLOYEE', 'member'],
        ['Leader', 'leader'],
        ['lead', 'leader'],
        ['Manager', 'leader'],
        ['', 'member'],
      ];
      const text = lines(
        'email,name,team_key,role',
        ...spellings.map(([role], i) => `p${i}@x.io,P,T${i},${role}`),
      );

      expect(rowsOf(text).map((row) => row.role)).toEqual(spellings.map(([, role]) => role));
    });

    it('accepts a department of exactly ten levels', () => {
      const path = Array.from({ length: 10 }, (_, i) => `L${i}`);
      expect(
        rowsOf(lines('email,name,team_key,department', `a@x.io,A,T,${path.join('/')}`))[0]
          .departmentPath,
      ).toEqual(path);
    });

    it('exposes the canonical column names', () => {
      expect(ROSTER_COLUMNS).toEqual([
        'email',
        'name',
        'team_key',
        'team_name',
        'department',
        'role',
      ]);
    });
  });

  describe('header aliases', () => {
    it('accepts alternative header spellings in any order and case, ignoring unknown columns', () => {
      const text = lines(
        'Team Role, Org-Path ,Location,E-Mail,Team Name,Full Name,Team ID',
        'lead,Sales > EMEA,Berlin,ann@x.io,Sales EMEA,Ann,S1',
      );

      expect(rowsOf(text)).toEqual([
        {
          line: 2,
          email: 'ann@x.io',
          name: 'Ann',
          teamKey: 'S1',
          teamName: 'Sales EMEA',
          departmentPath: ['Sales', 'EMEA'],
          role: 'leader',
        },
      ]);
    });

    it.each([
      [
        'Work Email,Display Name,Team Code,Department Path,Membership Role',
        'ann@x.io,Ann,S1,Sales,leader',
      ],
      ['EMAIL ADDRESS,name,team,department,role', 'ann@x.io,Ann,S1,Sales,leader'],
      ['email,name,team_key,team_name,department,role', 'ann@x.io,Ann,S1,S1,Sales,leader'],
    ])('understands the header %j', (header, row) => {
      expect(rowsOf(lines(header, row))[0]).toEqual({
        line: 2,
        email: 'ann@x.io',
        name: 'Ann',
        teamKey: 'S1',
        teamName: 'S1',
        departmentPath: ['Sales'],
        role: 'leader',
      });
    });

    it.each([
      ['first_name', 'last_name'],
      ['First Name', 'Last Name'],
      ['given name', 'surname'],
    ])('combines %j and %j into the name', (first, last) => {
      const text = lines(
        `email,${first},${last},team`,
        'ann@x.io, Ann  Marie ,Smith,T',
        'bo@x.io,,Bo,T',
      );

      expect(rowsOf(text).map((row) => row.name)).toEqual(['Ann Marie Smith', 'Bo']);
    });

    it('prefers the name column when first/last name columns are also present', () => {
      const text = lines('email,name,first name,last name,team', 'ann@x.io,Ann S.,Ann,Smith,T');
      expect(rowsOf(text)[0].name).toBe('Ann S.');
    });

    it('defaults the optional columns when they are absent', () => {
      expect(rowsOf(lines('email,name,team_key', 'ann@x.io,Ann,T'))).toEqual([
        {
          line: 2,
          email: 'ann@x.io',
          name: 'Ann',
          teamKey: 'T',
          teamName: 'T',
          departmentPath: [],
          role: 'member',
        },
      ]);
    });
  });

  describe('file format', () => {
    it('detects a semicolon delimiter, leaving commas inside values alone', () => {
      const text = lines('email;name;team_key;team_name', 'ann@x.io;Smith, Ann;T;Sales, EMEA');
      expect(rowsOf(text)[0]).toMatchObject({ name: 'Smith, Ann', teamName: 'Sales, EMEA' });
    });

    it('detects a tab delimiter', () => {
      const text = lines('email\tname\tteam_key\tdepartment', 'ann@x.io\tSmith, Ann\tT\tA;B/C');
      expect(rowsOf(text)[0]).toMatchObject({ name: 'Smith, Ann', departmentPath: ['A;B', 'C'] });
    });

    it('handles a byte order mark and CRLF line endings', () => {
      const text = '\uFEFFEmail,Name,Team\r\nann@x.io,Ann,T\r\nbo@x.io,Bo,T\r\n';
      expect(rowsOf(text).map(({ line, email, teamKey }) => ({ line, email, teamKey }))).toEqual([
        { line: 2, email: 'ann@x.io', teamKey: 'T' },
        { line: 3, email: 'bo@x.io', teamKey: 'T' },
      ]);
    });

    it('reads quoted values with commas, quotes and line breaks, keeping later line numbers right', () => {
      const quotedRows = [
        'ann@x.io,"Smith, Ann",T1,"The ""A""\nTeam",,',
        'bo@x.io,Bo,T2,"Two\nline\nname",,',
      ];

      expect(
        rowsOf(lines(HEADER, ...quotedRows)).map(({ line, name, teamName }) => ({
          line,
          name,
          teamName,
        })),
      ).toEqual([
        { line: 2, name: 'Smith, Ann', teamName: 'The "A"\nTeam' },
        { line: 4, name: 'Bo', teamName: 'Two\nline\nname' },
      ]);
      expect(problemsOf(lines(HEADER, ...quotedRows, 'bad,Cy,T3,,,'))).toEqual([
        problem(7, 'email', '"bad" is not an email address.'),
      ]);
    });

    it('counts a CRLF inside a quoted value as one line (csv-parse counts it as two)', () => {
      const text =
        'email,name,team_key,team_name\r\nann@x.io,Ann,T1,"Two\r\nlines"\r\nbad,Bo,T2,\r\n';
      expect(problemsOf(text)).toEqual([problem(4, 'email', '"bad" is not an email address.')]);
    });

    it('skips blank lines and rows of empty cells without shifting line numbers', () => {
      const text = '\n' + lines(HEADER, '', 'ann@x.io,Ann,T,,,', ',,,,,', '   ', 'bad,Bo,T,,,', '');
      expect(problemsOf(text)).toEqual([problem(7, 'email', '"bad" is not an email address.')]);
    });

    it('accepts a file without a final line break', () => {
      expect(rowsOf('email,name,team\nann@x.io,Ann,T')).toHaveLength(1);
    });
  });

  describe('problems within one row', () => {
    const one = (row: string) => problemsOf(lines(HEADER, row));

    it.each([
      ['a missing email', ',Ann,T,,,', 'Email is missing.'],
      ['a malformed email', 'not-an-email,Ann,T,,,', '"not-an-email" is not an email address.'],
      [
        'an email with a space',
        'ann smith@x.io,Ann,T,,,',
        '"ann smith@x.io" is not an email address.',
      ],
      [
        'an email without a top-level domain',
        'ann@localhost,Ann,T,,,',
        '"ann@localhost" is not an email address.',
      ],
      [
        'an email with an empty domain label',
        'ann@x..io,Ann,T,,,',
        '"ann@x..io" is not an email address.',
      ],
      [
        'an email over 254 characters',
        `${'a'.repeat(64)}@${'b'.repeat(187)}.io,Ann,T,,,`,
        'Email is longer than 254 characters.',
      ],
    ])('reports %s', (_, row, message) => {
      expect(one(row)).toEqual([problem(2, 'email', message)]);
    });

    it('accepts an email of exactly 254 characters', () => {
      const email = `${'a'.repeat(64)}@${'b'.repeat(186)}.io`;
      expect(email).toHaveLength(254);
      expect(rowsOf(lines(HEADER, `${email},Ann,T,,,`))[0].email).toBe(email);
    });

    it.each([
      ['a missing name', 'ann@x.io,   ,T,,,', 'Name is missing.'],
      [
        'a name over 200 characters',
        `ann@x.io,${'n'.repeat(201)},T,,,`,
        'Name is longer than 200 characters.',
      ],
    ])('reports %s', (_, row, message) => {
      expect(one(row)).toEqual([problem(2, 'name', message)]);
    });

    it('reports a missing name when both first and last name are empty', () => {
      expect(problemsOf(lines('email,first name,last name,team', 'ann@x.io, , ,T'))).toEqual([
        problem(2, 'name', 'Name is missing.'),
      ]);
    });

    const badKey = (key: string) =>
      `${JSON.stringify(key)} is not a valid team key; use up to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit.`;
    it.each([
      ['a missing team key', 'ann@x.io,Ann,,,,', 'Team key is missing.'],
      ['a team key with a space', 'ann@x.io,Ann,A B,,,', badKey('A B')],
      ['a team key starting with a dash', 'ann@x.io,Ann,-A,,,', badKey('-A')],
      [
        'a team key over 64 characters',
        `ann@x.io,Ann,${'k'.repeat(65)},,,`,
        badKey(`${'k'.repeat(40)}…`),
      ],
    ])('reports %s', (_, row, message) => {
      expect(one(row)).toEqual([problem(2, 'team_key', message)]);
    });

    it('reports a team name over 200 characters', () => {
      expect(one(`ann@x.io,Ann,T,${'t'.repeat(201)},,`)).toEqual([
        problem(2, 'team_name', 'Team name is longer than 200 characters.'),
      ]);
    });

    it.each([
      ['an empty level', 'Eng//Platform', 'Department "Eng//Platform" has an empty level.'],
      ['a trailing separator', 'Eng >', 'Department "Eng >" has an empty level.'],
      [
        'a level over 200 characters',
        `Eng/${'d'.repeat(201)}`,
        `Department level "${'d'.repeat(40)}…" is longer than 200 characters.`,
      ],
      [
        'more than ten levels',
        'a/b/c/d/e/f/g/h/i/j/k',
        'Department "a/b/c/d/e/f/g/h/i/j/k" has 11 levels; at most 10 are allowed.',
      ],
    ])('reports a department with %s', (_, department, message) => {
      expect(one(`ann@x.io,Ann,T,,${department},`)).toEqual([problem(2, 'department', message)]);
    });

    it('reports an unknown role, naming the allowed values', () => {
      expect(one('ann@x.io,Ann,T,,,Boss')).toEqual([
        problem(2, 'role', '"Boss" is not a valid role; use "member" or "leader".'),
      ]);
    });

    it.each([
      [
        'too many',
        'ann@x.io,Ann,T,,,,extra',
        'This row has 7 values but the header has 6 columns.',
      ],
      ['too few', 'ann@x.io,Ann,T', 'This row has 3 values but the header has 6 columns.'],
    ])('reports a row with %s values once, for the whole row', (_, row, message) => {
      expect(one(row)).toEqual([problem(2, '*', message)]);
    });

    it('reports every bad cell of a row, in column order', () => {
      expect(one('nope,,a b,,x//y,boss')).toEqual([
        problem(2, 'email', '"nope" is not an email address.'),
        problem(2, 'name', 'Name is missing.'),
        problem(2, 'team_key', badKey('a b')),
        problem(2, 'department', 'Department "x//y" has an empty level.'),
        problem(2, 'role', '"boss" is not a valid role; use "member" or "leader".'),
      ]);
    });

    it('shortens long values in messages', () => {
      const [{ message }] = one(`${'x'.repeat(100)},Ann,T,,,`);
      expect(message).toBe(`"${'x'.repeat(40)}…" is not an email address.`);
    });
  });

  describe('malformed CSV', () => {
    it('reports an unclosed quote at the line its row starts, still checking the rows before it', () => {
      const text = lines(HEADER, 'bad,Ann,T,,,', 'ann@x.io,"Ann,T,,,', 'bo@x.io,Bo,T,,,');
      expect(problemsOf(text)).toEqual([
        problem(2, 'email', '"bad" is not an email address.'),
        problem(
          3,
          '*',
          'This row has a quote (") that is never closed. Rows after it were not checked.',
        ),
      ]);
    });

    it('reports a quote in the middle of a value', () => {
      expect(problemsOf(lines(HEADER, 'ann@x.io,Ann,T,,,', 'bo@x.io,Bo "B" Jones,T,,,'))).toEqual([
        problem(
          3,
          '*',
          'This row has a quote (") in the middle of a value; put the whole value in quotes and double any quotes inside it. Rows after it were not checked.',
        ),
      ]);
    });

    it('reports text after a closing quote at the start line of a multi-line row', () => {
      expect(problemsOf(lines(HEADER, 'ann@x.io,"Ann\nSmith"x,T,,,'))).toEqual([
        problem(
          2,
          '*',
          'This row has text right after a closing quote ("); put the whole value in quotes and double any quotes inside it. Rows after it were not checked.',
        ),
      ]);
    });

    it('reports a broken header line', () => {
      expect(problemsOf(lines('email,"name,team', 'ann@x.io,Ann,T'))).toEqual([
        problem(
          1,
          '*',
          'This row has a quote (") that is never closed. Rows after it were not checked.',
        ),
      ]);
    });
  });

  describe('problems across rows', () => {
    it('reports the same person twice in one team, ignoring email case', () => {
      const text = lines(HEADER, 'ann@x.io,Ann,T,,,', 'bo@x.io,Bo,T,,,', 'ANN@x.io,Ann,T,,,leader');
      expect(problemsOf(text)).toEqual([
        problem(4, 'email', 'ann@x.io is already in team "T" on line 2.'),
      ]);
    });

    it('allows one person in several teams, and team keys differing only in case', () => {
      const text = lines(HEADER, 'ann@x.io,Ann,T,,,', 'ann@x.io,Ann,U,,,', 'ann@x.io,Ann,t,,,');
      expect(rowsOf(text).map((row) => row.teamKey)).toEqual(['T', 'U', 't']);
    });

    it('reports one email with two names against the first occurrence', () => {
      const text = lines(
        HEADER,
        'ann@x.io,Ann Smith,T,,,',
        'ann@x.io,Ann  Smith,U,,,',
        'ann@x.io,Anne Smith,V,,,',
      );
      expect(problemsOf(text)).toEqual([
        problem(4, 'name', 'ann@x.io is called "Ann Smith" on line 2 but "Anne Smith" here.'),
      ]);
    });

    it('reports a team with two names, including a later row leaving the name empty', () => {
      const text = lines(
        HEADER,
        'a@x.io,A,T,Team T,,',
        'b@x.io,B,T,Team T,,',
        'c@x.io,C,T,Team Tee,,',
        'd@x.io,D,T,,,',
      );
      expect(problemsOf(text)).toEqual([
        problem(4, 'team_name', 'Team "T" is named "Team T" on line 2 but "Team Tee" here.'),
        problem(5, 'team_name', 'Team "T" is named "Team T" on line 2 but "T" here.'),
      ]);
    });

    it('reports a team in two departments, comparing the levels rather than the spelling', () => {
      const text = lines(
        HEADER,
        'a@x.io,A,T,,Eng/Platform,',
        'b@x.io,B,T,,Eng > Platform,',
        'c@x.io,C,T,,Eng/Infra,',
        'd@x.io,D,T,,,',
      );
      expect(problemsOf(text)).toEqual([
        problem(
          4,
          'department',
          'Team "T" is in "Eng / Platform" on line 2 but in "Eng / Infra" here.',
        ),
        problem(
          5,
          'department',
          'Team "T" is in "Eng / Platform" on line 2 but in no department here.',
        ),
      ]);
    });

    it('still checks the valid cells of a row that has other problems', () => {
      const text = lines(HEADER, 'ann@x.io,Ann,T,Team,,', 'ann@x.io,Ann,T,Other,,boss');
      expect(problemsOf(text)).toEqual([
        problem(3, 'email', 'ann@x.io is already in team "T" on line 2.'),
        problem(3, 'team_name', 'Team "T" is named "Team" on line 2 but "Other" here.'),
        problem(3, 'role', '"boss" is not a valid role; use "member" or "leader".'),
      ]);
    });
  });

  it('reports every problem in a file with several bad rows, sorted by line and column', () => {
    const text = lines(
      'Email;Full Name;Team ID;Team Name;Department;Role',
      'ann@x.io;Ann;PLAT;Platform;Eng/Platform;leader',
      'broken;;PLAT;Platform;Eng/Platform;',
      '',
      'bo@x.io;Bo;PLAT;"Platform',
      'Team";Eng/Platform;chief',
      'ann@x.io;Annie;PLAT;Platform;Eng;member',
      'cy@x.io;Cy;OPS',
    );

    expect(problemsOf(text)).toEqual([
      problem(3, 'email', '"broken" is not an email address.'),
      problem(3, 'name', 'Name is missing.'),
      problem(
        5,
        'team_name',
        'Team "PLAT" is named "Platform" on line 2 but "Platform\\nTeam" here.',
      ),
      problem(5, 'role', '"chief" is not a valid role; use "member" or "leader".'),
      problem(7, 'email', 'ann@x.io is already in team "PLAT" on line 2.'),
      problem(7, 'name', 'ann@x.io is called "Ann" on line 2 but "Annie" here.'),
      problem(7, 'department', 'Team "PLAT" is in "Eng / Platform" on line 2 but in "Eng" here.'),
      problem(8, '*', 'This row has 3 values but the header has 6 columns.'),
    ]);
  });

  describe('header problems', () => {
    it.each([
      [
        'email',
        'name,team',
        'The file has no "email" column (or "e-mail", "email address", "work email").',
      ],
      [
        'team_key',
        'email,name,team_name',
        'The file has no "team_key" column (or "team id", "team code", "team").',
      ],
      [
        'name',
        'email,first name,team',
        'The file has no "name" column; add a "name" (or "full name") column, or both "first name" and "last name" columns.',
      ],
    ])('reports a missing %s column on line 1', (column, header, message) => {
      expect(problemsOf(lines(header, 'x,y,z'))).toEqual([problem(1, column, message)]);
    });

    it('reports all missing columns at once, without checking the rows', () => {
      expect(
        problemsOf(lines('department,role', 'Eng,boss')).map((p) => [p.line, p.column]),
      ).toEqual([
        [1, 'email'],
        [1, 'name'],
        [1, 'team_key'],
      ]);
    });

    it('reports two columns that mean the same thing', () => {
      expect(problemsOf(lines('Email,name,team,Work Email', 'a@x.io,A,T,b@x.io'))).toEqual([
        problem(
          1,
          'email',
          'The columns "Email" and "Work Email" mean the same thing; keep only one.',
        ),
      ]);
    });
  });

  describe('files without rows', () => {
    it.each([
      ['an empty file', ''],
      ['only blank lines', '\n\r\n  \n'],
      ['only a byte order mark', '\uFEFF'],
    ])('reports %s', (_, text) => {
      expect(problemsOf(text)).toEqual([problem(1, '*', 'The file is empty.')]);
    });

    it.each([
      ['a header only', HEADER],
      ['a header followed by blank lines', `${HEADER}\n\n,,,,,\n`],
    ])('reports %s as having no rows', (_, text) => {
      expect(problemsOf(text)).toEqual([
        problem(1, '*', 'The file has a header line but no rows of people.'),
      ]);
    });
  });

  describe('row limit', () => {
    const rowsText = (count: number, email = (i: number) => `p${i}@x.io`) =>
      lines('email,name,team', ...Array.from({ length: count }, (_, i) => `${email(i)},P,T`));

    it('accepts exactly maxRows rows', () => {
      expect(parseRosterCsv(rowsText(3), { maxRows: 3 }).ok).toBe(true);
    });

    it('stops with a single problem when there are more rows than maxRows, even if rows are bad', () => {
      expect(
        problemsOf(
          rowsText(5, () => 'bad'),
          { maxRows: 3 },
        ),
      ).toEqual([
        problem(5, '*', 'The file has more than 3 rows; split it into files of at most 3 rows.'),
      ]);
    });

    it('allows 50,000 rows by default', () => {
      expect(parseRosterCsv(rowsText(50_000)).ok).toBe(true);
      expect(problemsOf(rowsText(50_001))).toEqual([
        problem(
          50_002,
          '*',
          'The file has more than 50000 rows; split it into files of at most 50000 rows.',
        ),
      ]);
    });
  });
});

// ---------------------------------------------------------------- properties

const LINE_BREAK = /\r\n|\r|\n/g;
const countLineBreaks = (text: string) => text.match(LINE_BREAK)?.length ?? 0;

/** A "word": non-whitespace text, including characters that need CSV quoting. */
const word = (exclude: RegExp = /\s/) =>
  fc
    .string({
      unit: fc.oneof(
        fc.constantFrom('"', ',', ';', "'", '/', '>', '\\', 'é', '漢', '😀'),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      ),
      minLength: 1,
      maxLength: 8,
    })
    .filter((w) => !/\s/.test(w) && !exclude.test(w));

const text = (separators: string[], exclude?: RegExp) =>
  fc.array(word(exclude), { minLength: 1, maxLength: 4 }).chain((words) =>
    fc
      .array(fc.constantFrom(...separators), {
        minLength: words.length - 1,
        maxLength: words.length - 1,
      })
      .map((gaps) => ({
        words,
        written: words.map((w, i) => (i === 0 ? w : gaps[i - 1] + w)).join(''),
      })),
  );

const emailArb = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z0-9._%+-]{1,20}$/),
    fc.array(fc.stringMatching(/^[A-Za-z0-9-]{1,10}$/), { minLength: 1, maxLength: 3 }),
    fc.stringMatching(/^[A-Za-z]{2,6}$/),
  )
  .map(([local, labels, tld]) => `${local}@${[...labels, tld].join('.')}`);

const personArb = fc.record({ email: emailArb, name: text([' ', '  ', '\t', '\n']) });

const teamArb = fc.record({
  teamKey: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  // Team names are only trimmed, so line breaks survive: a good test of line counting.
  teamName: fc.option(
    text([' ', '\n', '\r\n', '\r']).map((t) => t.written),
    { nil: undefined },
  ),
  department: fc.array(
    text([' ', '  ']).map((t) => t.written),
    { maxLength: 10 },
  ),
  departmentSeparators: fc.array(fc.constantFrom('/', ' / ', '>', ' > '), {
    minLength: 9,
    maxLength: 9,
  }),
});
// Department levels may not contain the separators themselves.
const teamWithPlainDepartment = teamArb.filter((team) =>
  team.department.every((level) => !/[/>]/.test(level)),
);

const ROLE_SPELLINGS: [string, RosterRole][] = [
  ['', 'member'],
  ['member', 'member'],
  ['Employee', 'member'],
  ['LEADER', 'leader'],
  ['lead', 'leader'],
  ['Manager', 'leader'],
];

const HEADER_SPELLINGS = {
  email: ['email', 'E-mail', 'Email Address', 'work_email'],
  name: ['name', 'Full Name', 'display-name'],
  team_key: ['team_key', 'Team ID', 'team code', 'TEAM'],
  team_name: ['team_name', 'Team Name'],
  department: ['department', 'Department Path', 'org path'],
  role: ['role', 'Team Role', 'membership_role'],
  first_name: ['first_name', 'First Name', 'given name'],
  last_name: ['last_name', 'Last Name', 'surname'],
  notes: ['notes', 'Location'],
};
type Column = keyof typeof HEADER_SPELLINGS;
const ALL_COLUMNS = Object.keys(HEADER_SPELLINGS) as Column[];

const rosterArb = fc
  .record({
    people: fc.uniqueArray(personArb, {
      minLength: 1,
      maxLength: 6,
      selector: (p) => p.email.toLowerCase(),
    }),
    teams: fc.uniqueArray(teamWithPlainDepartment, {
      minLength: 1,
      maxLength: 4,
      selector: (t) => t.teamKey,
    }),
  })
  .chain(({ people, teams }) =>
    fc.record({
      people: fc.constant(people),
      teams: fc.constant(teams),
      memberships: fc.uniqueArray(
        fc.record({
          person: fc.nat(people.length - 1),
          team: fc.nat(teams.length - 1),
          role: fc.constantFrom(...ROLE_SPELLINGS),
          blankLinesBefore: fc.nat(2),
          padding: fc.constantFrom('', ' ', '\t '),
          note: fc.string({ unit: 'binary', maxLength: 5 }),
        }),
        { minLength: 1, maxLength: 12, selector: (m) => `${m.person}/${m.team}` },
      ),
      splitName: fc.boolean(),
      optional: fc.subarray<Column>(['team_name', 'department', 'role', 'notes']),
      columnOrder: fc.shuffledSubarray(ALL_COLUMNS, { minLength: ALL_COLUMNS.length }),
      spelling: fc.nat(3),
      delimiter: fc.constantFrom(',', ';', '\t'),
      lineEnd: fc.constantFrom('\n', '\r\n'),
      quoteAll: fc.boolean(),
    }),
  );

describe('parseRosterCsv properties', () => {
  it('reads back exactly the rows of any valid roster, whatever the format', () => {
    fc.assert(
      fc.property(rosterArb, (roster) => {
        const { delimiter, lineEnd } = roster;
        const nameColumns: Column[] = roster.splitName ? ['first_name', 'last_name'] : ['name'];
        const included: Column[] = ['email', ...nameColumns, 'team_key', ...roster.optional];
        const columns = roster.columnOrder.filter((column) => included.includes(column));

        const quote = (cell: string) =>
          roster.quoteAll || cell.includes(delimiter) || /["\r\n]/.test(cell)
            ? `"${cell.replaceAll('"', '""')}"`
            : cell;
        const spell = (column: Column) =>
          HEADER_SPELLINGS[column][roster.spelling % HEADER_SPELLINGS[column].length];

        let csv = columns.map((column) => quote(spell(column))).join(delimiter) + lineEnd;
        let line = 2;
        const expected: RosterRow[] = [];
        for (const membership of roster.memberships) {
          const person = roster.people[membership.person];
          const team = roster.teams[membership.team];
          const splitAt = Math.ceil(person.name.words.length / 2);
          const pad = (value: string) => membership.padding + value + membership.padding;
          const cells: Record<Column, string> = {
            email: pad(person.email),
            name: pad(person.name.written),
            first_name: person.name.words.slice(0, splitAt).join(' '),
            last_name: pad(person.name.words.slice(splitAt).join(' ')),
            team_key: pad(team.teamKey),
            team_name: pad(team.teamName ?? ''),
            department: team.department
              .map((level, i) => (i === 0 ? level : team.departmentSeparators[i - 1] + level))
              .join(''),
            role: pad(membership.role[0]),
            notes: membership.note,
          };

          csv += lineEnd.repeat(membership.blankLinesBefore);
          line += membership.blankLinesBefore;
          const written = columns.map((column) => quote(cells[column])).join(delimiter);
          expected.push({
            line,
            email: person.email.toLowerCase(),
            name: person.name.words.join(' '),
            teamKey: team.teamKey,
            teamName: roster.optional.includes('team_name')
              ? (team.teamName ?? team.teamKey)
              : team.teamKey,
            departmentPath: roster.optional.includes('department') ? team.department : [],
            role: roster.optional.includes('role') ? membership.role[1] : 'member',
          });
          csv += written + lineEnd;
          line += countLineBreaks(written) + 1;
        }

        expect(parseRosterCsv(csv)).toEqual({ ok: true, rows: expected });
      }),
      { numRuns: 300 },
    );
  });

  const checkWellFormed = (input: string) => {
    const result = parseRosterCsv(input);
    const lastLine = countLineBreaks(input) + 1;
    if (result.ok) {
      expect(result.rows.length).toBeGreaterThan(0);
      for (const row of result.rows) expect(row.line).toBeGreaterThanOrEqual(2);
      return;
    }
    expect(result.problems.length).toBeGreaterThan(0);
    for (const p of result.problems) {
      expect(Number.isInteger(p.line)).toBe(true);
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.line).toBeLessThanOrEqual(lastLine);
      expect(['*', ...ROSTER_COLUMNS]).toContain(p.column);
      expect(p.message.trim()).not.toBe('');
    }
    const positions = result.problems.map((p) => p.line);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  };

  it('never throws on arbitrary text and reports well-formed problems', () => {
    const csvish = fc.constantFrom(
      ',',
      ';',
      '\t',
      '"',
      '\n',
      '\r',
      ' ',
      '\uFEFF',
      'a',
      '@',
      '.',
      '/',
      '>',
      'é',
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: csvish, maxLength: 80 })),
        checkWellFormed,
      ),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary cells written as CSV, with or without a valid header', () => {
    const cell = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      emailArb,
      fc.constantFrom('', ' ', 'T', 'leader', 'boss', 'a//b', '"', '"x"y'),
    );
    const header = fc.oneof(fc.constant(HEADER.split(',')), fc.array(cell, { maxLength: 7 }));
    fc.assert(
      fc.property(
        header,
        fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 8 }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        (head, body, delimiter, lineEnd, quoted) => {
          const write = (cells: string[]) =>
            cells.map((c) => (quoted ? `"${c.replaceAll('"', '""')}"` : c)).join(delimiter);
          checkWellFormed([head, ...body].map(write).join(lineEnd));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
