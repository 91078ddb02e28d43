import { InvalidInput } from '@trellis/errors';
import { readCommitment, readCommitmentChange } from './commitment-rules';

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
    expect(readCommitment({ ...good, flagCode: '', roundId: '' }, unit)).toEqual({
      action: 'Vet plans together',
      owner: 'Lead',
      dueOn: '2026-12-31',
      dimension: 'leader_support',
    });
  });

  it('names every problem at once, by field', () => {
    expect(
      problemsOf(() =>
        readCommitment(
          { action: '   ', owner: 42, dueOn: '2026-02-30', dimension: 'focus', flagCode: 'x' },
          unit,
        ),
      ),
    ).toEqual([
      { field: 'action', message: 'say what the team will try' },
      { field: 'owner', message: 'must be text' },
      { field: 'dueOn', message: 'must be a date that exists, written like 2026-11-23' },
      {
        field: 'dimension',
        message: 'is not measured for this unit (known: decision_rights, leader_support)',
      },
      { field: 'flagCode', message: expect.stringMatching(/^must be one of micromanagement, /) },
    ]);
  });

  it('refuses what a form or a JSON body cannot mean', () => {
    expect(problemsOf(() => readCommitment({}, unit)).map((p) => p.field)).toEqual([
      'action',
      'owner',
      'dueOn',
      'dimension',
    ]);
    expect(
      problemsOf(() =>
        readCommitment({ ...good, action: 'x'.repeat(1001), dimension: { $gt: '' } }, unit),
      ),
    ).toEqual([
      { field: 'action', message: 'must be at most 1000 characters' },
      { field: 'dimension', message: 'must be a dimension key, such as leader_support' },
    ]);
    expect(problemsOf(() => readCommitment({ ...good, owner: 'a\u0000b' }, unit))).toEqual([
      { field: 'owner', message: 'must not contain the NUL character' },
    ]);
  });

  it('takes a baseline only among the unit’s rounds, and any dimension key before results', () => {
    expect(
      problemsOf(() =>
        readCommitment({ ...good, roundId: '1b3c8f1e-6c1a-4f7e-9a0f-2d1c3b4a5e6f' }, unit),
      ),
    ).toEqual([{ field: 'roundId', message: 'is not a closed round of this unit' }]);
    expect(
      readCommitment({ ...good, dimension: 'focus' }, { dimensions: new Set(), rounds: new Set() })
        .dimension,
    ).toBe('focus');
  });
});

describe('readCommitmentChange', () => {
  it('reads only what was sent, with the rules of a new commitment', () => {
    expect(readCommitmentChange({ status: 'done' })).toEqual({ status: 'done' });
    expect(problemsOf(() => readCommitmentChange({ status: 'closed', action: '' }))).toEqual([
      { field: 'status', message: 'must be one of open, done, dropped' },
      { field: 'action', message: 'say what the team will try' },
    ]);
  });
});
