import { decodeUpload, firstInvalidUtf8 } from './text-encoding';

describe('firstInvalidUtf8', () => {
  it('accepts UTF-8, however many bytes its characters take', () => {
    expect(firstInvalidUtf8(Buffer.from('a,é,€,𝄞\n'))).toBe(-1);
  });

  it.each([
    ['Latin-1 é', Buffer.from([0x61, 0xe9, 0x62]), 1],
    ['a lone continuation byte', Buffer.from([0x61, 0x80]), 1],
    ['a cut-off sequence', Buffer.from([0x61, 0xe2, 0x82]), 1],
    ['an overlong slash', Buffer.from([0xc0, 0xaf]), 0],
    ['an overlong three-byte form', Buffer.from([0xe0, 0x80, 0xaf]), 0],
    ['a UTF-16 surrogate', Buffer.from([0xed, 0xa0, 0x80]), 0],
    ['past U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80]), 0],
  ])('finds %s', (_what, bytes, offset) => {
    expect(firstInvalidUtf8(bytes)).toBe(offset);
  });
});

describe('decodeUpload', () => {
  it('reads UTF-8 and drops a byte order mark', () => {
    expect(decodeUpload(Buffer.from('\ufeffname\nJosé\n'), undefined)).toBe('name\nJosé\n');
  });

  it('refuses Latin-1 sent as UTF-8, naming the line and column', () => {
    expect(() => decodeUpload(Buffer.from('name\nJosé\n', 'latin1'), 'UTF-8')).toThrow(
      expect.objectContaining({
        response: expect.objectContaining({
          statusCode: 400,
          errors: [
            {
              field: 'body',
              message: expect.stringMatching(/^is not valid UTF-8: byte 0xE9 on line 2, column 4/),
            },
          ],
        }),
      }),
    );
  });

  it('reads a declared charset', () => {
    expect(decodeUpload(Buffer.from('Jos\xe9', 'latin1'), 'iso-8859-1')).toBe('José');
    expect(decodeUpload(Buffer.from([0x80]), 'windows-1252')).toBe('€');
  });

  it('refuses a charset it does not know with a 415', () => {
    expect(() => decodeUpload(Buffer.from('x'), 'klingon')).toThrow(
      expect.objectContaining({ status: 415 }),
    );
  });
});
