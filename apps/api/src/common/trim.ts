import { Transform } from 'class-transformer';

/** Trims before validating, so "   " fails a length check on its own field instead of in the database. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
