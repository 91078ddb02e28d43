import { type PipeTransform } from '@nestjs/common';
import { invalid } from '@trellis/errors';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** For route ids that the access rule does not already check; names the parameter in the 400. */
export function uuidParam(field: string): PipeTransform<string, string> {
  return {
    transform(value: string): string {
      if (!UUID_PATTERN.test(value)) throw invalid({ field, message: 'must be a UUID' });
      return value;
    },
  };
}
