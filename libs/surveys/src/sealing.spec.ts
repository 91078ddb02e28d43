import { randomBytes } from 'node:crypto';
import {
  AnswerSealer,
  canonicalSubmission,
  deriveAnswerKeys,
  DEVELOPMENT_ANSWER_KEY,
  markOf,
  receiptOf,
  sealJson,
  shuffle,
  unsealJson,
} from './sealing';

const secret = randomBytes(32).toString('base64');
const ROUND = '5b0c3f2e-0000-4000-8000-000000000001';
const TEAM = '5b0c3f2e-0000-4000-8000-000000000002';
const OTHER = '5b0c3f2e-0000-4000-8000-000000000003';

describe('answer sealing', () => {
  it('derives different sealing and marking keys, and refuses a secret of the wrong size', () => {
    const keys = deriveAnswerKeys(secret);
    expect(keys.seal.length).toBe(32);
    expect(keys.mark.length).toBe(32);
    expect(keys.seal.equals(keys.mark)).toBe(false);
    expect(deriveAnswerKeys(secret).seal.equals(keys.seal)).toBe(true);
    expect(() => deriveAnswerKeys(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
    expect(Buffer.from(DEVELOPMENT_ANSWER_KEY, 'base64').length).toBe(32);
  });

  it('round-trips answers and comments, with a fresh nonce every time', () => {
    const sealer = new AnswerSealer(secret);
    const a = sealer.sealAnswers(ROUND, TEAM, 'member', { ps_1: 4, cl_2: 1 });
    const b = sealer.sealAnswers(ROUND, TEAM, 'member', { ps_1: 4, cl_2: 1 });
    expect(a.equals(b)).toBe(false);
    expect(sealer.openAnswers(ROUND, TEAM, 'member', a)).toEqual({ ps_1: 4, cl_2: 1 });
    const pooled = sealer.sealPool(ROUND, TEAM, { answers: { ps_1: 2 }, comment: 'Zürich 🌧' });
    expect(sealer.openPool(ROUND, TEAM, pooled)).toEqual({
      answers: { ps_1: 2 },
      comment: 'Zürich 🌧',
    });
    expect(sealer.openComment(ROUND, TEAM, sealer.sealComment(ROUND, TEAM, 'ok'))).toBe('ok');
  });

  it('holds no plaintext, and pads so lengths do not tell short comments apart', () => {
    const sealer = new AnswerSealer(secret);
    const one = sealer.sealComment(ROUND, TEAM, 'a');
    const longer = sealer.sealComment(ROUND, TEAM, 'a much longer comment, still short');
    expect(one.length).toBe(longer.length);
    expect(one.toString('latin1')).not.toContain('a much');
    expect(longer.toString('latin1')).not.toContain('longer');
  });

  it('does not open under another key, another round, team or kind, or after tampering', () => {
    const sealer = new AnswerSealer(secret);
    const sealed = sealer.sealAnswers(ROUND, TEAM, 'member', { ps_1: 4 });
    expect(() =>
      new AnswerSealer(DEVELOPMENT_ANSWER_KEY).openAnswers(ROUND, TEAM, 'member', sealed),
    ).toThrow();
    expect(() => sealer.openAnswers(ROUND, OTHER, 'member', sealed)).toThrow();
    expect(() => sealer.openAnswers(ROUND, TEAM, 'leader_self', sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[20] ^= 1;
    expect(() => sealer.openAnswers(ROUND, TEAM, 'member', tampered)).toThrow();
    const keys = deriveAnswerKeys(secret);
    expect(() => unsealJson(keys.seal, Buffer.from([9, 1, 2]), 'x')).toThrow(/known version/);
    expect(unsealJson(keys.seal, sealJson(keys.seal, [1], 'x'), 'x')).toEqual([1]);
  });

  it('marks an invitation the same way every time, and differently under another key', () => {
    const keys = deriveAnswerKeys(secret);
    const id = '0b7d2b1c-1111-4222-8333-444455556666';
    expect(markOf(keys, id).equals(markOf(keys, id))).toBe(true);
    expect(markOf(keys, id).equals(markOf(deriveAnswerKeys(DEVELOPMENT_ANSWER_KEY), id))).toBe(
      false,
    );
    expect(markOf(keys, id).equals(markOf(keys, id.replace('6666', '6667')))).toBe(false);
    // The receipt is not the mark: a database reader cannot tell one from the other's value.
    expect(receiptOf(keys, id, '[]').equals(markOf(keys, id))).toBe(false);
  });

  it('spells a submission one way whatever the order of its answers', () => {
    const a = canonicalSubmission(
      [
        { itemKey: 'b', value: 1 },
        { itemKey: 'a', value: 2 },
      ],
      undefined,
    );
    const b = canonicalSubmission(
      [
        { itemKey: 'a', value: 2 },
        { itemKey: 'b', value: 1 },
      ],
      null,
    );
    expect(a).toBe(b);
    expect(canonicalSubmission([{ itemKey: 'a', value: 2 }], 'x')).not.toBe(
      canonicalSubmission([{ itemKey: 'a', value: 2 }], null),
    );
  });

  it('shuffles into every order', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(shuffle([1, 2, 3]).join(''));
    expect(seen.size).toBe(6);
  });
});
