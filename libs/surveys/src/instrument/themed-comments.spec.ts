import { AUTONOMY_ALIGNMENT_PULSE as pulse } from './autonomy-alignment-pulse';
import type { Scale } from './instrument.types';
import { validateSubmission } from './validate-submission';

const asked = pulse.items.filter((item) => ['ps1', 'ps2', 'oc3'].includes(item.key));
const scale: Scale = { min: 1, max: 5 };
const answers = { ps1: 4, ps2: 2, oc3: 5 };
const [first, second] = [...new Set(asked.map((i) => i.dimension))];

describe('comments on a theme', () => {
  it('keeps one comment per asked dimension beside the general one, trimmed, blanks dropped', () => {
    const result = validateSubmission(
      {
        answers,
        comment: 'general',
        comments: [
          { dimension: first, text: '  on the first  ' },
          { dimension: second, text: '   ' },
        ],
      },
      asked,
      scale,
    );
    expect(result).toMatchObject({
      ok: true,
      value: { comment: 'general', comments: [{ dimension: first, text: 'on the first' }] },
    });
  });

  it('defaults to no themed comments', () => {
    const result = validateSubmission({ answers }, asked, scale);
    expect(result.ok && result.value).not.toHaveProperty('comments');
  });

  it('names a second comment on one theme, an unknown theme, bad text and a bad shape', () => {
    const result = validateSubmission(
      {
        answers,
        comments: [
          { dimension: first, text: 'a' },
          { dimension: first, text: 'b' },
          { dimension: 'nope', text: 'c' },
          { dimension: second, text: 3 },
          { dimension: second, text: 'x', extra: 1 },
          'plain',
        ],
      },
      asked,
      scale,
    );
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.problems.map((p) => p.field);
    expect(fields).toEqual([
      'comments.1.dimension',
      'comments.2.dimension',
      'comments.3.text',
      'comments.4.extra',
      'comments.4.dimension',
      'comments.5',
    ]);
  });

  it('refuses themed comments where the form takes none, and a list that is not one', () => {
    const refused = validateSubmission(
      { answers, comments: [{ dimension: first, text: 'x' }] },
      asked,
      scale,
      { allowComment: false },
    );
    expect(refused.ok ? [] : refused.problems.map((p) => p.field)).toEqual(['comments.0.text']);
    const shape = validateSubmission({ answers, comments: 'x' }, asked, scale);
    expect(shape.ok ? [] : shape.problems).toEqual([
      { field: 'comments', message: 'must be a list of { dimension, text }' },
    ]);
  });
});
