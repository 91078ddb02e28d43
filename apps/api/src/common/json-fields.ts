import { invalid } from '@trellis/errors';
import { MAX_FIELDS } from './validation.pipe';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/**
 * Whether some object in a JSON text has more than `max` fields, found in one pass over the bytes
 * before anything is parsed: building an object of 100,000 fields costs V8 far more than reading
 * the text does, so such a body is refused before JSON.parse sees it. Counts the colons at each
 * object's own level (one per field); text that is not JSON is left to the parser to refuse.
 */
export function hasTooManyFields(bytes: Buffer, max: number): boolean {
  // Fields so far of each open container; -1 marks an array.
  const open: number[] = [];
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
      continue;
    }
    if (b === QUOTE) inString = true;
    else if (b === OPEN_OBJECT) open.push(0);
    else if (b === OPEN_ARRAY) open.push(-1);
    else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) open.pop();
    else if (b === COLON && open.length && open[open.length - 1] >= 0) {
      if (++open[open.length - 1] > max) return true;
    }
  }
  return false;
}

/** body-parser's `verify` for JSON: refuses a body with an object of too many fields, with a 400. */
export function refuseTooManyFields(_req: unknown, _res: unknown, bytes: Buffer): void {
  if (hasTooManyFields(bytes, MAX_FIELDS))
    throw invalid({
      field: 'body',
      message: `has an object of more than ${MAX_FIELDS} fields; at most ${MAX_FIELDS} are accepted`,
    });
}
