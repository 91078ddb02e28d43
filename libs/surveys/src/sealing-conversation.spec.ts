import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AnswerSealer } from './sealing';

const TOKEN = `trl_c_${randomBytes(32).toString('base64url')}`;

describe('a conversation link as stored and as mailed', () => {
  const sealer = new AnswerSealer(randomBytes(32).toString('base64'));
  const other = new AnswerSealer(randomBytes(32).toString('base64'));

  it('is stored as a keyed hash: stable for the application, unknown without its key', () => {
    const hash = sealer.conversationHash(TOKEN);
    expect(hash).toHaveLength(32);
    expect(sealer.conversationHash(TOKEN).equals(hash)).toBe(true);
    expect(hash.equals(createHash('sha256').update(TOKEN).digest())).toBe(false);
    expect(other.conversationHash(TOKEN).equals(hash)).toBe(false);
    expect(sealer.conversationHash(`${TOKEN}x`).equals(hash)).toBe(false);
  });

  it('travels inside the sealed pooled submission, not beside it', () => {
    const round = randomUUID();
    const team = randomUUID();
    const conversation = sealer.conversationHash(TOKEN).toString('base64');
    const sealed = sealer.sealPool(round, team, { answers: { a: 1 }, comment: 'c', conversation });
    expect(sealed.includes(Buffer.from(conversation))).toBe(false);
    expect(sealed.includes(sealer.conversationHash(TOKEN))).toBe(false);
    expect(sealer.openPool(round, team, sealed).conversation).toBe(conversation);
  });

  it("proves a link for a day only, and only the application's", () => {
    const today = sealer.linkMailProof(TOKEN, '2026-12-05');
    expect(sealer.linkMailProof(TOKEN, '2026-12-05')).toBe(today);
    expect(sealer.linkMailProof(TOKEN, '2026-12-06')).not.toBe(today);
    expect(sealer.linkMailProof(`trl_c_${'A'.repeat(43)}`, '2026-12-05')).not.toBe(today);
    expect(other.linkMailProof(TOKEN, '2026-12-05')).not.toBe(today);
  });
});
