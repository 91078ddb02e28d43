/**
 * How a score is printed wherever a person reads it beside another copy of it: a flag's words,
 * its evidence and the report's tables. One formatter, so "3.27" in a table is "3.27" in the
 * flag next to it (a flag once said "alignment 3.6" beside an Alignment of 3.27).
 */
export function figure(x: number): string {
  return x.toFixed(2);
}

/** A number stored so that `figure` prints it exactly as it prints the unrounded value. */
export function roundedFigure(x: number): number {
  return Number(figure(x));
}
