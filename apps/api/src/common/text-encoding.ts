import { TextDecoder } from 'node:util';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import { invalid } from '@trellis/errors';

/** Where a byte sits in a file, as a spreadsheet or editor would count it. */
function position(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // Columns count characters, so earlier multi-byte characters on the line count once.
  let column = 1;
  for (let i = lineStart; i < offset; i++) if ((bytes[i] & 0xc0) !== 0x80) column++;
  return { line, column };
}

/** Byte offset of the first sequence that is not UTF-8 (RFC 3629), or -1 when all of it is. */
export function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [length, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [length, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    if (i + length > bytes.length) return i;
    let code = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return i;
    i += length;
  }
  return -1;
}

// Windows-1252's 0x80–0x9F (Node's decoder reads them as Latin-1's control characters); the
// five bytes it leaves undefined stay as they are, as browsers do.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Windows-1252, which WHATWG (and so every browser) also uses for "iso-8859-1" and "latin1". */
function windows1252(bytes: Buffer): string {
  return bytes
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/**
 * Reads an uploaded file's bytes as text. Without a declared charset it must be UTF-8: a file
 * saved as Latin-1 or Windows-1252 is refused with where it stops being UTF-8, instead of being
 * stored with U+FFFD in place of every accented letter. A declared charset is honoured.
 */
export function decodeUpload(bytes: Buffer, declared: string | undefined): string {
  const charset = (declared ?? 'utf-8').trim().toLowerCase();
  if (charset === 'utf-8' || charset === 'utf8') {
    const bad = firstInvalidUtf8(bytes);
    if (bad >= 0) {
      const { line, column } = position(bytes, bad);
      const byte = bytes[bad].toString(16).toUpperCase().padStart(2, '0');
      throw invalid({
        field: 'body',
        message:
          `is not valid UTF-8: byte 0x${byte} on line ${line}, column ${column} is not part of a UTF-8 character. ` +
          'Save the file as UTF-8, or send its charset (text/csv; charset=windows-1252)',
      });
    }
    return new TextDecoder('utf-8').decode(bytes);
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw new UnsupportedMediaTypeException({
      statusCode: 415,
      message: `body: unsupported charset "${charset.toUpperCase()}"`,
    });
  }
  try {
    if (decoder.encoding === 'windows-1252') return windows1252(bytes);
    return decoder.decode(bytes);
  } catch {
    throw invalid({ field: 'body', message: `is not valid ${charset.toUpperCase()}` });
  }
}
