import { AnswerSealer, DEVELOPMENT_ANSWER_KEY } from '../../libs/surveys/src/sealing';

/**
 * The answer key of every bench process: bench/run.ts sets ANSWER_KEY (production settings need
 * one), and the fixtures seal with the same key the product opens with.
 */
export const BENCH_ANSWER_KEY = Buffer.alloc(32, 0x5b).toString('base64');

export function benchSealer(): AnswerSealer {
  return new AnswerSealer(process.env.ANSWER_KEY || DEVELOPMENT_ANSWER_KEY);
}

/** A bytea in COPY's text format (the copy helper escapes the backslash). */
export function byteaText(value: Buffer): string {
  return `\\x${value.toString('hex')}`;
}
