/** An integer response range; labels, when given, has max - min + 1 entries, lowest first. */
export interface Scale {
  min: number;
  max: number;
  labels?: string[];
}

export interface DimensionDef {
  key: string;
  name: string;
  description: string;
  /**
   * A higher score is the unhealthy side (over-control). Favourable shares and answer colours
   * turn round for it. Absent means higher is better, except for the key `over_control`, which
   * is always higher-is-worse (see `isHigherWorse` in @trellis/scoring).
   */
  higherIsWorse?: boolean;
  /**
   * This dimension's own answer scale, when it differs from the instrument's (a 0..4 hostility
   * scale beside 1..5 items). Every number about its items is read on it.
   */
  scale?: Scale;
}

/**
 * One statement. `reverse` means agreeing indicates less of the dimension, so scoring flips the
 * answer; `selfText` is the same statement from the leader's side, for the self-view form.
 */
export interface ItemDef {
  key: string;
  dimension: string;
  text: string;
  selfText?: string;
  reverse: boolean;
  source?: string;
}

export interface InstrumentDef {
  key: string;
  name: string;
  description: string;
  scale: Scale;
  dimensions: DimensionDef[];
  items: ItemDef[];
}

/** The scale an item of `dimension` is answered on: its dimension's own, else the instrument's. */
export function dimensionScale(
  def: Pick<InstrumentDef, 'scale' | 'dimensions'>,
  dimension: string,
): Scale {
  return def.dimensions.find((d) => d.key === dimension)?.scale ?? def.scale;
}

export type FormKind = 'short' | 'full' | 'self';

/** Same shape as `FieldProblem` in @trellis/errors, so a list can go straight into `invalid()`. */
export interface Problem {
  field: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };
