import {
  fieldAt,
  isRecord,
  own,
  readInteger,
  readList,
  readText,
  readTextAt,
  rejectUnknown,
  type TextRule,
} from './field-checks';
import type {
  DimensionDef,
  InstrumentDef,
  ItemDef,
  Problem,
  Scale,
  Validation,
} from './instrument.types';

/** Limits for organisation-defined instruments, kept in one place for the API docs to quote. */
export const INSTRUMENT_LIMITS = {
  keyPattern: /^[a-z0-9][a-z0-9-]{1,62}$/,
  nameMax: 200,
  descriptionMax: 2000,
  scaleBound: 100,
  scaleOptionsMax: 11,
  labelMax: 60,
  dimensionsMax: 20,
  dimensionKeyPattern: /^[a-z][a-z0-9_]{0,39}$/,
  itemsMax: 200,
  itemKeyPattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/,
  itemTextMax: 500,
  sourceMax: 200,
} as const;

const L = INSTRUMENT_LIMITS;

const INSTRUMENT_KEY: TextRule = {
  required: true,
  max: 63,
  pattern: L.keyPattern,
  patternHint:
    'must be 2 to 63 characters: lowercase letters, digits and hyphens, starting with a letter or digit',
};
const DIMENSION_KEY: TextRule = {
  required: true,
  max: 40,
  pattern: L.dimensionKeyPattern,
  patternHint:
    'must be 1 to 40 characters: lowercase letters, digits and underscores, starting with a letter',
};
const ITEM_KEY: TextRule = {
  required: true,
  max: 40,
  pattern: L.itemKeyPattern,
  patternHint:
    'must be 1 to 40 characters: letters, digits, dot, dash and underscore, starting with a letter or digit',
};
const DIMENSION_REF: TextRule = {
  required: true,
  max: 40,
  pattern: L.dimensionKeyPattern,
  patternHint: "must be the key of one of this instrument's dimensions",
};
const NAME: TextRule = { required: true, max: L.nameMax };
const DESCRIPTION: TextRule = { required: false, max: L.descriptionMax };
const LABEL: TextRule = { required: true, max: L.labelMax };
const ITEM_TEXT: TextRule = { required: true, max: L.itemTextMax };
const SELF_TEXT: TextRule = { required: false, max: L.itemTextMax };
const SOURCE: TextRule = { required: false, max: L.sourceMax };

/**
 * Checks an instrument an organisation defines through the API and returns a normalised copy
 * (text trimmed, `reverse` defaulted to false, empty optional text dropped). Every problem is
 * reported at once so the author can fix them in one pass.
 */
export function validateInstrument(input: unknown): Validation<InstrumentDef> {
  if (!isRecord(input)) {
    return { ok: false, problems: [{ field: 'instrument', message: 'must be an object' }] };
  }
  const problems: Problem[] = [];
  rejectUnknown(
    input,
    ['key', 'name', 'description', 'scale', 'dimensions', 'items'],
    '',
    problems,
  );
  const key = readTextAt(input, '', 'key', INSTRUMENT_KEY, problems);
  const name = readTextAt(input, '', 'name', NAME, problems);
  const description = readTextAt(input, '', 'description', DESCRIPTION, problems) ?? '';
  const scale = readScale(own(input, 'scale'), 'scale', problems);
  const dimensions = readDimensions(own(input, 'dimensions'), problems);
  const items = readItems(own(input, 'items'), dimensions?.keys, problems);
  if (dimensions && items) reportEmptyDimensions(dimensions.keys, items.dimensionOf, problems);

  if (problems.length > 0 || !key || !name || !scale || !dimensions || !items) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    value: { key, name, description, scale, dimensions: dimensions.defs, items: items.defs },
  };
}

/** A scale at `at`: the instrument's ("scale") or a dimension's ("dimensions[2].scale"). */
function readScale(value: unknown, at: string, problems: Problem[]): Scale | undefined {
  if (!isRecord(value)) {
    problems.push({ field: at, message: value == null ? 'is required' : 'must be an object' });
    return undefined;
  }
  const before = problems.length;
  rejectUnknown(value, ['min', 'max', 'labels'], at, problems);
  const min = readInteger(own(value, 'min'), `${at}.min`, problems);
  const max = readInteger(own(value, 'max'), `${at}.max`, problems);
  const rangeOk = min !== undefined && max !== undefined && checkRange(min, max, at, problems);
  const labels = readLabels(
    own(value, 'labels'),
    rangeOk ? max - min + 1 : undefined,
    at,
    problems,
  );
  if (problems.length > before || min === undefined || max === undefined) return undefined;
  return labels ? { min, max, labels } : { min, max };
}

function checkRange(min: number, max: number, at: string, problems: Problem[]): boolean {
  const before = problems.length;
  const bound = L.scaleBound;
  for (const [field, v] of [
    [`${at}.min`, min],
    [`${at}.max`, max],
  ] as const) {
    if (v < -bound || v > bound) {
      problems.push({ field, message: `must be between ${-bound} and ${bound}` });
    }
  }
  if (min >= max) {
    problems.push({ field: `${at}.max`, message: `must be greater than ${at}.min` });
  } else if (max - min + 1 > L.scaleOptionsMax) {
    problems.push({
      field: at,
      message: `must have at most ${L.scaleOptionsMax} options; ${min} to ${max} has ${max - min + 1}`,
    });
  }
  return problems.length === before;
}

/** `count` is undefined when the range itself is wrong, so a label count cannot be judged. */
function readLabels(
  value: unknown,
  count: number | undefined,
  at: string,
  problems: Problem[],
): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    problems.push({ field: `${at}.labels`, message: 'must be a list' });
    return undefined;
  }
  if (count !== undefined && value.length !== count) {
    problems.push({
      field: `${at}.labels`,
      message: `must have ${count} labels, one for each option from ${at}.min to ${at}.max`,
    });
    return undefined;
  }
  const labels = value.map((label, i) => readText(label, `${at}.labels[${i}]`, LABEL, problems));
  return labels.every((label) => label !== undefined) ? labels : undefined;
}

interface Dimensions {
  defs: DimensionDef[];
  /**
   * Every well-formed key with the index of its first entry, so items are not blamed for a
   * dimension's other faults.
   */
  keys: Map<string, number>;
}

function readDimensions(value: unknown, problems: Problem[]): Dimensions | undefined {
  const list = readList(value, 'dimensions', { min: 1, max: L.dimensionsMax }, problems);
  if (!list) return undefined;
  const defs: DimensionDef[] = [];
  const keys = new Map<string, number>();
  list.forEach((entry, i) => {
    const at = `dimensions[${i}]`;
    if (!isRecord(entry)) {
      problems.push({ field: at, message: 'must be an object' });
      return;
    }
    rejectUnknown(entry, ['key', 'name', 'description', 'higherIsWorse', 'scale'], at, problems);
    const key = readTextAt(entry, at, 'key', DIMENSION_KEY, problems);
    const name = readTextAt(entry, at, 'name', NAME, problems);
    const description = readTextAt(entry, at, 'description', DESCRIPTION, problems) ?? '';
    const higherIsWorse = readHigherIsWorse(entry, at, key, problems);
    // A dimension's own scale is optional; without one its items use the instrument's.
    const ownScale = own(entry, 'scale');
    const scale =
      ownScale === undefined || ownScale === null
        ? undefined
        : readScale(ownScale, fieldAt(at, 'scale'), problems);
    if (key !== undefined) noteKey(key, i, keys, 'dimensions', fieldAt(at, 'key'), problems);
    if (key !== undefined && name !== undefined && higherIsWorse !== null)
      defs.push({
        key,
        name,
        description,
        ...(higherIsWorse ? { higherIsWorse } : {}),
        ...(scale ? { scale } : {}),
      });
  });
  return { defs, keys };
}

/**
 * Absent or false means higher is better. `over_control` is the model's over-control, which the
 * flags read as higher-is-worse whatever an instrument says, so it may not be declared the other
 * way. Null when the value is unusable (the problem is recorded).
 */
function readHigherIsWorse(
  entry: Record<string, unknown>,
  at: string,
  key: string | undefined,
  problems: Problem[],
): boolean | null {
  const value = own(entry, 'higherIsWorse');
  const field = fieldAt(at, 'higherIsWorse');
  if (value === undefined || value === null) return key === 'over_control';
  if (typeof value !== 'boolean') {
    problems.push({ field, message: 'must be true or false' });
    return null;
  }
  if (key === 'over_control' && !value) {
    problems.push({
      field,
      message: 'must be true for over_control: the flags read more over-control as worse',
    });
    return null;
  }
  return value;
}

interface Items {
  defs: ItemDef[];
  /** Dimension named by each well-formed entry, for the "every dimension has an item" check. */
  dimensionOf: string[];
}

function readItems(
  value: unknown,
  dimensionKeys: Map<string, number> | undefined,
  problems: Problem[],
): Items | undefined {
  const list = readList(value, 'items', { min: 1, max: L.itemsMax }, problems);
  if (!list) return undefined;
  const defs: ItemDef[] = [];
  const keys = new Map<string, number>();
  const dimensionOf: string[] = [];
  list.forEach((entry, i) => {
    const at = `items[${i}]`;
    if (!isRecord(entry)) {
      problems.push({ field: at, message: 'must be an object' });
      return;
    }
    const before = problems.length;
    rejectUnknown(
      entry,
      ['key', 'dimension', 'text', 'selfText', 'reverse', 'source'],
      at,
      problems,
    );
    const key = readTextAt(entry, at, 'key', ITEM_KEY, problems);
    if (key !== undefined) noteKey(key, i, keys, 'items', fieldAt(at, 'key'), problems);
    const dimension = readDimensionRef(entry, at, dimensionKeys, problems);
    if (dimension !== undefined) dimensionOf.push(dimension);
    const text = readTextAt(entry, at, 'text', ITEM_TEXT, problems);
    const selfText = readTextAt(entry, at, 'selfText', SELF_TEXT, problems);
    const reverse = readReverse(own(entry, 'reverse'), fieldAt(at, 'reverse'), problems);
    const source = readTextAt(entry, at, 'source', SOURCE, problems);
    if (problems.length > before || !key || !dimension || !text || reverse === undefined) return;
    defs.push({
      key,
      dimension,
      text,
      ...(selfText ? { selfText } : {}),
      reverse,
      ...(source ? { source } : {}),
    });
  });
  return { defs, dimensionOf };
}

function readDimensionRef(
  entry: Record<string, unknown>,
  at: string,
  dimensionKeys: Map<string, number> | undefined,
  problems: Problem[],
): string | undefined {
  const ref = readTextAt(entry, at, 'dimension', DIMENSION_REF, problems);
  if (ref !== undefined && dimensionKeys && !dimensionKeys.has(ref)) {
    const message = `"${ref}" is not one of this instrument's dimensions`;
    problems.push({ field: fieldAt(at, 'dimension'), message });
    return undefined;
  }
  return ref;
}

/** Absent means a normal item: most items are not reverse-keyed. */
function readReverse(value: unknown, field: string, problems: Problem[]): boolean | undefined {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') {
    problems.push({ field, message: 'must be true or false' });
    return undefined;
  }
  return value;
}

function noteKey(
  key: string,
  index: number,
  seen: Map<string, number>,
  list: string,
  field: string,
  problems: Problem[],
): void {
  const first = seen.get(key);
  if (first === undefined) seen.set(key, index);
  else problems.push({ field, message: `"${key}" is already used by ${list}[${first}]` });
}

function reportEmptyDimensions(
  keys: Map<string, number>,
  used: string[],
  problems: Problem[],
): void {
  for (const [key, i] of keys) {
    if (!used.includes(key)) {
      problems.push({
        field: `dimensions[${i}]`,
        message: `"${key}" has no items; add at least one`,
      });
    }
  }
}
