import fc from 'fast-check';
import { AUTONOMY_ALIGNMENT_PULSE as pulse } from './autonomy-alignment-pulse';
import type { ItemDef, Problem, Scale } from './instrument.types';
import {
  NOTHING_ANSWERED,
  REQUIRED,
  validateSubmission,
  type SubmissionOptions,
} from './validate-submission';

const asked = pulse.items.filter((item) => ['ps1', 'ps2', 'oc3'].includes(item.key));
const scale: Scale = { min: 1, max: 5 };
const valid = { answers: { ps1: 4, ps2: 2, oc3: 5 } };

function problemsOf(input: unknown, options?: SubmissionOptions): Problem[] {
  const result = validateSubmission(input, asked, scale, options);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('validateSubmission', () => {
  it('accepts a complete submission and returns answers in the order asked', () => {
    const result = validateSubmission(
      { answers: { oc3: 5, ps2: 2, ps1: 4 }, comment: '  Thanks  ' },
      asked,
      scale,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        answers: [
          { itemKey: 'ps1', value: 4 },
          { itemKey: 'ps2', value: 2 },
          { itemKey: 'oc3', value: 5 },
        ],
        comment: 'Thanks',
      },
    });
  });

  it('takes null as “Prefer not to answer”: the item is left out of the answers', () => {
    const result = validateSubmission({ answers: { ps1: 4, ps2: null, oc3: 5 } }, asked, scale);
    expect(result).toEqual({
      ok: true,
      value: {
        answers: [
          { itemKey: 'ps1', value: 4 },
          { itemKey: 'oc3', value: 5 },
        ],
        comment: null,
      },
    });
  });

  it('keeps an omitted item a problem that says how to skip it', () => {
    expect(problemsOf({ answers: { ps1: 4, oc3: 5 } })).toEqual([
      {
        field: 'answers.ps2',
        message: 'is required: send a value, or null for “Prefer not to answer”',
      },
    ]);
  });

  it('refuses a submission that skips every statement, even with a comment', () => {
    expect(problemsOf({ answers: { ps1: null, ps2: null, oc3: null }, comment: 'hi' })).toEqual([
      { field: 'answers', message: NOTHING_ANSWERED },
    ]);
    // One answer is enough.
    expect(validateSubmission({ answers: { ps1: null, ps2: 3, oc3: null } }, asked, scale).ok).toBe(
      true,
    );
  });

  it.each([undefined, null, '', '   \n'])('treats a comment of %p as none', (comment) => {
    const result = validateSubmission({ ...valid, comment }, asked, scale);
    expect(result.ok && result.value.comment).toBeNull();
  });

  it('accepts both ends of the scale and any integer range', () => {
    const result = validateSubmission({ answers: { ps1: 0, ps2: 4, oc3: 0 } }, asked, {
      min: 0,
      max: 4,
    });
    expect(result.ok).toBe(true);
  });

  it('turns -0 into 0', () => {
    const result = validateSubmission(JSON.parse('{"answers":{"ps1":-0,"ps2":0,"oc3":1}}'), asked, {
      min: -2,
      max: 2,
    });
    expect(result.ok && Object.is(result.value.answers[0].value, 0)).toBe(true);
  });

  it.each([null, 'x', 3, [], true])('rejects %p as a whole', (input) => {
    expect(problemsOf(input)).toEqual([{ field: 'submission', message: 'must be an object' }]);
  });

  it.each<[string, unknown, Problem]>([
    ['missing answers', {}, { field: 'answers', message: 'is required' }],
    [
      'answers as a list',
      { answers: [4, 2, 5] },
      { field: 'answers', message: 'must be an object' },
    ],
    [
      'an unknown property',
      { ...valid, person: 'ann' },
      { field: 'person', message: 'is not allowed' },
    ],
    [
      'a missing answer',
      { answers: { ps1: 4, oc3: 5 } },
      { field: 'answers.ps2', message: REQUIRED },
    ],
    [
      'an answer as text',
      { answers: { ...valid.answers, ps2: '2' } },
      { field: 'answers.ps2', message: 'must be a whole number from 1 to 5' },
    ],
    [
      'a fractional answer',
      { answers: { ...valid.answers, ps2: 2.5 } },
      { field: 'answers.ps2', message: 'must be a whole number from 1 to 5' },
    ],
    [
      'a boolean answer',
      { answers: { ...valid.answers, ps2: true } },
      { field: 'answers.ps2', message: 'must be a whole number from 1 to 5' },
    ],
    [
      'an answer below the scale',
      { answers: { ...valid.answers, ps2: 0 } },
      { field: 'answers.ps2', message: 'must be a whole number from 1 to 5; got 0' },
    ],
    [
      'an answer above the scale',
      { answers: { ...valid.answers, ps2: 6 } },
      { field: 'answers.ps2', message: 'must be a whole number from 1 to 5; got 6' },
    ],
    [
      'an item not asked',
      { answers: { ...valid.answers, pc1: 3 } },
      { field: 'answers.pc1', message: 'is not asked in this round' },
    ],
    [
      'an inherited name as an item',
      { answers: { ...valid.answers, constructor: 3 } },
      { field: 'answers.constructor', message: 'is not asked in this round' },
    ],
    [
      'a comment that is not text',
      { ...valid, comment: 42 },
      { field: 'comment', message: 'must be text' },
    ],
    [
      'a comment over 2000 characters',
      { ...valid, comment: 'c'.repeat(2001) },
      { field: 'comment', message: 'must be at most 2000 characters' },
    ],
  ])('reports %s', (_, input, problem) => {
    expect(problemsOf(input)).toEqual([problem]);
  });

  it('measures the comment after trimming and honours a custom limit', () => {
    expect(
      validateSubmission({ ...valid, comment: ` ${'c'.repeat(2000)} ` }, asked, scale).ok,
    ).toBe(true);
    expect(problemsOf({ ...valid, comment: 'abcdef' }, { maxCommentLength: 5 })).toEqual([
      { field: 'comment', message: 'must be at most 5 characters' },
    ]);
  });

  it('names a NUL in the comment, which PostgreSQL cannot store', () => {
    expect(problemsOf({ ...valid, comment: 'a\u0000b' })).toEqual([
      { field: 'comment', message: 'must not contain the NUL character' },
    ]);
  });

  it('refuses a comment on a form that takes none, together with the other problems', () => {
    const noComment = { allowComment: false };
    expect(problemsOf({ answers: { ps1: 4, ps2: 9 }, comment: 'hello' }, noComment)).toEqual([
      { field: 'answers.ps2', message: 'must be a whole number from 1 to 5; got 9' },
      { field: 'answers.oc3', message: REQUIRED },
      { field: 'comment', message: 'this form takes no comment (a leader’s self-view has none)' },
    ]);
    // A blank comment is no comment, so it is no problem.
    const blank = validateSubmission({ ...valid, comment: '  ' }, asked, scale, noComment);
    expect(blank.ok && blank.value.comment).toBeNull();
  });

  it('does not treat a missing answer as present because Object.prototype has the name', () => {
    const constructorItem: ItemDef = {
      key: 'constructor',
      dimension: 'd',
      text: 'T',
      reverse: false,
    };
    const result = validateSubmission({ answers: {} }, [constructorItem], scale);
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'answers.constructor', message: REQUIRED }],
    });
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ answers: { ps1: '4', ps2: 9, x: 1 }, comment: [], extra: 1 });
    expect(problems.map((p) => p.field)).toEqual([
      'extra',
      'answers.ps1',
      'answers.ps2',
      'answers.oc3',
      'answers.x',
      'comment',
    ]);
  });
});

/** A round's asked items (a subset of the pulse, in definition order) and a scale to answer on. */
const roundArb = fc.record({
  asked: fc.subarray(pulse.items, { minLength: 1 }),
  scale: fc
    .tuple(fc.integer({ min: -100, max: 99 }), fc.integer({ min: 1, max: 10 }))
    .map(([min, span]): Scale => ({ min, max: Math.min(100, min + span) })),
});

/** Inputs that reach deep into the validator: nearly right shapes as well as arbitrary values. */
function inputArb(keys: string[]) {
  const answerValue = fc.oneof(
    fc.integer({ min: -110, max: 110 }),
    fc.constant(null),
    fc.jsonValue(),
    fc.anything(),
  );
  return fc.oneof(
    fc.jsonValue(),
    fc.anything(),
    fc.record(
      {
        answers: fc.oneof(
          fc.dictionary(fc.constantFrom(...keys, 'extra', '__proto__', 'constructor'), answerValue),
          fc.anything(),
        ),
        comment: fc.oneof(fc.string(), fc.constant(null), fc.anything()),
        other: fc.anything(),
      },
      { requiredKeys: [] },
    ),
  );
}

describe('validateSubmission properties', () => {
  it('never throws; either accepts a well-formed answer set or names each problem', () => {
    fc.assert(
      fc.property(
        roundArb.chain((round) =>
          inputArb(round.asked.map((i) => i.key)).map((input) => ({ ...round, input })),
        ),
        ({ asked, scale, input }) => {
          const result = validateSubmission(input, asked, scale);
          if (result.ok) {
            // The answered items in the order asked; skipped ones absent, never all of them.
            const keys = result.value.answers.map((a) => a.itemKey);
            expect(keys).toEqual(asked.map((i) => i.key).filter((k) => keys.includes(k)));
            expect(keys.length).toBeGreaterThan(0);
            for (const { value } of result.value.answers) {
              expect(Number.isInteger(value) && value >= scale.min && value <= scale.max).toBe(
                true,
              );
            }
            const { comment } = result.value;
            expect(comment === null || (comment === comment.trim() && comment !== '')).toBe(true);
          } else {
            expect(result.problems.length).toBeGreaterThan(0);
            for (const problem of result.problems) {
              expect(typeof problem.field === 'string' && problem.field !== '').toBe(true);
              expect(typeof problem.message === 'string' && problem.message !== '').toBe(true);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('accepts every valid submission, skips included, and returns what was answered', () => {
    const submissionArb = roundArb.chain(({ asked, scale }) =>
      fc.record({
        asked: fc.constant(asked),
        scale: fc.constant(scale),
        // null is "Prefer not to answer"; at least one item is answered.
        values: fc
          .array(fc.option(fc.integer({ min: scale.min, max: scale.max }), { nil: null }), {
            minLength: asked.length,
            maxLength: asked.length,
          })
          .filter((values) => values.some((v) => v !== null)),
        // Object key order should not matter, so the answers object is built in a shuffled order.
        order: fc.shuffledSubarray(
          asked.map((_, i) => i),
          { minLength: asked.length, maxLength: asked.length },
        ),
        comment: fc.option(fc.string({ maxLength: 2000 }), { nil: undefined }),
      }),
    );
    fc.assert(
      fc.property(submissionArb, ({ asked, scale, values, order, comment }) => {
        const answers = Object.fromEntries(order.map((i) => [asked[i].key, values[i]]));
        const input = comment === undefined ? { answers } : { answers, comment };
        const result = validateSubmission(input, asked, scale);
        expect(result).toEqual({
          ok: true,
          value: {
            answers: asked.flatMap((item, i) =>
              values[i] === null ? [] : [{ itemKey: item.key, value: values[i] }],
            ),
            comment: comment?.trim() || null,
          },
        });
      }),
    );
  });
});

describe('answers on each item’s dimension scale', () => {
  // ps1 and ps2 (psych_safety) answered 0..4; oc3 (over_control) on the instrument's 1..5.
  const byDimension = (dimension: string): Scale =>
    dimension === 'psych_safety' ? { min: 0, max: 4 } : scale;

  it('takes 0 where the dimension runs from 0 and refuses it where it runs from 1', () => {
    const ok = validateSubmission({ answers: { ps1: 0, ps2: 4, oc3: 5 } }, asked, byDimension);
    expect(ok.ok).toBe(true);
    const bad = validateSubmission({ answers: { ps1: 5, ps2: 0, oc3: 0 } }, asked, byDimension);
    expect(bad.ok ? [] : bad.problems).toEqual([
      { field: 'answers.ps1', message: 'must be a whole number from 0 to 4; got 5' },
      { field: 'answers.oc3', message: 'must be a whole number from 1 to 5; got 0' },
    ]);
  });
});
