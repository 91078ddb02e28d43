import { randomBytes, randomUUID } from 'node:crypto';
import { AnswerSealer } from './sealing';

const ROUND = randomUUID();
const TEAM = randomUUID();

describe('an author’s comments, sealed as one row', () => {
  const sealer = new AnswerSealer(randomBytes(32).toString('base64'));

  it('round-trips a general and a themed comment, and reads a row from before themes', () => {
    const list = [
      { dimension: null, text: 'general' },
      { dimension: 'autonomy', text: 'on autonomy' },
    ];
    expect(
      sealer.openAuthorComments(ROUND, TEAM, sealer.sealAuthorComments(ROUND, TEAM, list)),
    ).toEqual(list);
    expect(sealer.openAuthorComments(ROUND, TEAM, sealer.sealComment(ROUND, TEAM, 'old'))).toEqual([
      { dimension: null, text: 'old' },
    ]);
  });

  it('gives each comment a stable id that says nothing of the row or its other comments', () => {
    const row = randomUUID();
    const a = sealer.commentKey(row, 0);
    expect(sealer.commentKey(row, 0)).toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a).not.toContain(row.slice(0, 8));
    expect(sealer.commentKey(row, 1)).not.toBe(a);
    expect(new AnswerSealer(randomBytes(32).toString('base64')).commentKey(row, 0)).not.toBe(a);
  });
});
