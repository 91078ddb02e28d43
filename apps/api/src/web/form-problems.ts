import type { ValidationError } from 'class-validator';

export type FormProblem = { field: string; message: string };

/** class-validator's findings as sentences for a form: the field's label, then what is wrong. */
export function formProblems(
  errors: readonly ValidationError[],
  labels: Readonly<Record<string, string>> = {},
): FormProblem[] {
  return errors.map((e) => ({
    field: e.property,
    message: `${labels[e.property] ?? e.property}: ${Object.values(e.constraints ?? {})[0]?.replace(`${e.property} `, '') ?? 'is not valid'}`,
  }));
}
