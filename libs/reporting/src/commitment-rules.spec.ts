import { InvalidInput } from '@trellis/errors';
import {
  earliestToday,
  isOverdue,
  PAST_DATE_MESSAGE,
  readCommitment,
  readCommitmentChange,
} from './commitment-rules';

/** A fixed moment: 5 December 2026, 22:00 UTC (already 6 December east of UTC+2). */
const NOW = new Date('2026-12-05T22:00:00Z');

const unit = {
  dimensions: new Set(['decision_rights', 'leader_support']),
  rounds: new Set(['0b3c8f1e-6c1a-4f7e-9a0f-2d1c3b4a5e6f']),
};
const good = {
  action: '  Vet plans together  ',
  owner: 'Lead',
  dueOn: '2026-12-31',
  dimension: 'leader_support',
};
const read = (draft: Parameters<typeof readCommitment>[0], context = unit) =>
  readCommitment(draft, context, NOW);

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInput);
    return (error as InvalidInput).problems;
  }
  throw new Error('expected InvalidInput');
}

describe('readCommitment', () => {
  it('trims the texts and drops an empty choice', () => {
    expect(read({ ...good, flagCode: '', roundId: '' })).toEqual({
      action: 'Vet plans together',
      owner: 'Lead',
      dueOn: '2026-12-31',
      dimension: 'leader_support',
    });
  });

  it('names every problem at once, by field', () => {
    expect(
      problemsOf(() =>
        read({ action: '   ', owner: 42, dueOn: '2026-02-30', dimension: 'focus', flagCode: 'x' }),
      ),
    ).toEqual([
      { field: 'action', message: 'Say what the team will try' },
      { field: 'owner', message: 'Write who owns it as text' },
      { field: 'dueOn', message: 'Pick a date that exists, written like 2026-11-23' },
      {
        field: 'dimension',
        message: 'Pick a dimension measured for this unit (decision_rights, leader_support)',
      },
      {
        field: 'flagCode',
        message: expect.stringMatching(/^Pick one of the flags: micromanagement, /),
      },
    ]);
  });

  it('refuses what a form or a JSON body cannot mean', () => {
    expect(problemsOf(() => read({})).map((p) => p.field)).toEqual([
      'action',
      'owner',
      'dueOn',
      'dimension',
    ]);
    expect(
      problemsOf(() => read({ ...good, action: 'x'.repeat(1001), dimension: { $gt: '' } })),
    ).toEqual([
      { field: 'action', message: 'Keep what the team will try to 1000 characters (it has 1001)' },
      {
        field: 'dimension',
        message: 'Pick the dimension that should move, such as leader_support',
      },
    ]);
    expect(problemsOf(() => read({ ...good, owner: 'a\u0000b' }))).toEqual([
      { field: 'owner', message: 'Take the NUL character out of who owns it' },
    ]);
  });

  it('takes a baseline only among the unit’s rounds, and any dimension key before results', () => {
    expect(
      problemsOf(() => read({ ...good, roundId: '1b3c8f1e-6c1a-4f7e-9a0f-2d1c3b4a5e6f' })),
    ).toEqual([{ field: 'roundId', message: 'Pick a closed round of this unit' }]);
    expect(
      read({ ...good, dimension: 'focus' }, { dimensions: new Set(), rounds: new Set() }).dimension,
    ).toBe('focus');
  });

  it('refuses a due date that has passed everywhere, and takes today wherever it is today', () => {
    expect(problemsOf(() => read({ ...good, dueOn: '2026-12-04' }))).toEqual([
      { field: 'dueOn', message: PAST_DATE_MESSAGE },
    ]);
    expect(PAST_DATE_MESSAGE).toBe('Pick a date from today on');
    // 22:00 UTC on the 5th: still the 5th in UTC−12 (10:00), already the 6th in Tokyo.
    expect(read({ ...good, dueOn: '2026-12-05' }).dueOn).toBe('2026-12-05');
    expect(read({ ...good, dueOn: '2026-12-06' }).dueOn).toBe('2026-12-06');
  });
});

describe('earliestToday and isOverdue', () => {
  it('is the date in UTC−12, the last place to reach a day', () => {
    expect(earliestToday(new Date('2026-12-05T22:00:00Z'))).toBe('2026-12-05');
    expect(earliestToday(new Date('2026-12-05T11:59:59Z'))).toBe('2026-12-04');
    expect(earliestToday(new Date('2026-12-05T12:00:00Z'))).toBe('2026-12-05');
  });

  it('calls an open commitment overdue once its day has passed everywhere, never a closed one', () => {
    expect(isOverdue({ status: 'open', dueOn: '2026-12-04' }, NOW)).toBe(true);
    expect(isOverdue({ status: 'open', dueOn: '2026-12-05' }, NOW)).toBe(false);
    expect(isOverdue({ status: 'done', dueOn: '2026-12-04' }, NOW)).toBe(false);
    expect(isOverdue({ status: 'dropped', dueOn: '2020-01-01' }, NOW)).toBe(false);
    // A commitment accepted at any moment is not overdue at that moment.
    const today = earliestToday(NOW);
    expect(isOverdue({ status: 'open', dueOn: read({ ...good, dueOn: today }).dueOn }, NOW)).toBe(
      false,
    );
  });
});

describe('readCommitmentChange', () => {
  const current = { dueOn: '2026-11-30' };
  const change = (draft: Parameters<typeof readCommitmentChange>[0]) =>
    readCommitmentChange(draft, current, NOW);

  it('reads only what was sent, with the rules of a new commitment', () => {
    expect(change({ status: 'done' })).toEqual({ status: 'done' });
    expect(problemsOf(() => change({ status: 'closed', action: '' }))).toEqual([
      { field: 'status', message: 'Pick one of open, done, dropped' },
      { field: 'action', message: 'Say what the team will try' },
    ]);
  });

  it('takes a note when marking done or dropped; an emptied note clears it', () => {
    expect(change({ status: 'dropped', note: '  The check-in became a status meeting  ' })).toEqual(
      { status: 'dropped', note: 'The check-in became a status meeting' },
    );
    expect(change({ note: '   ' })).toEqual({ note: '' });
    expect(problemsOf(() => change({ note: 'n'.repeat(1001) }))).toEqual([
      { field: 'note', message: 'Keep the note to 1000 characters (it has 1001)' },
    ]);
    expect(problemsOf(() => change({ note: 7 }))).toEqual([
      { field: 'note', message: 'Write the note as text' },
    ]);
  });

  it('refuses moving the date into the past, but keeps a past date that is sent back unchanged', () => {
    expect(problemsOf(() => change({ dueOn: '2026-12-01' }))).toEqual([
      { field: 'dueOn', message: PAST_DATE_MESSAGE },
    ]);
    // An overdue commitment's edit form sends its date back with the rest.
    expect(change({ dueOn: '2026-11-30', status: 'done' })).toEqual({
      dueOn: '2026-11-30',
      status: 'done',
    });
    expect(change({ dueOn: '2027-01-15' })).toEqual({ dueOn: '2027-01-15' });
  });
});
