import { hasTooManyFields } from './json-fields';

const fields = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`;

describe('hasTooManyFields', () => {
  it('counts the fields of each object on its own level', () => {
    expect(hasTooManyFields(Buffer.from(fields(3)), 3)).toBe(false);
    expect(hasTooManyFields(Buffer.from(fields(4)), 3)).toBe(true);
    // Nested objects count for themselves, not for their parent.
    const nested = `{"a":${fields(3)},"b":${fields(3)},"c":[${fields(3)},${fields(3)}]}`;
    expect(hasTooManyFields(Buffer.from(nested), 3)).toBe(false);
    expect(hasTooManyFields(Buffer.from(`{"a":{"x":1},"b":2,"c":3,"d":4}`), 3)).toBe(true);
  });

  it('does not count colons, quotes or brackets inside strings', () => {
    const text = JSON.stringify({ a: 'x:y:z:{"w":1}', b: '\\":::', c: '[:]' });
    expect(hasTooManyFields(Buffer.from(text), 3)).toBe(false);
  });

  it('ignores arrays of many values and text that is not JSON', () => {
    expect(hasTooManyFields(Buffer.from(JSON.stringify(Array(5000).fill(1))), 3)).toBe(false);
    expect(hasTooManyFields(Buffer.from('::::}}}]]]'), 3)).toBe(false);
  });
});
