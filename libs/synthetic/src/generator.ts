/**
 * A seeded, deterministic generator of synthetic organisations with planted team archetypes over
 * many survey rounds (domain.md section 5). Pure: no I/O, no clock, no global randomness; the same
 * options always give byte-identical output.
 *
 * The answer model, per team and round, on the instrument's scale (sds are for a 1..5 scale and
 * grow with wider scales):
 *
 *   latent(person, dimension) = archetype profile (per half, for split teams)
 *                             + team random effect        (sd NOISE.team, fixed per team)
 *                             + slow drift                (AR(1), sd NOISE.drift, per team)
 *                             + person's stable deviation (sd NOISE.personStable)
 *                             + person's mood this round  (sd NOISE.personRound)
 *   answer(item) = clamp(round(keyed latent + item offset + acquiescence + item noise))
 *
 * where the keyed latent is `lo + hi - latent` for reverse-keyed items, so a person high on a
 * dimension disagrees with its negatively worded statements. Team effects and people's stable
 * deviations share a halo factor (someone who rates the leader well also tends to rate autonomy
 * well and over-control low). Leaders' self-view answers come from the team's latent means plus
 * a favourable bias (NOISE.selfBias), which is what the `perception_gap` flag should find.
 */
import { AUTONOMY_ALIGNMENT_PULSE, type InstrumentDef } from '../../surveys/src/instrument';
import {
  ARCHETYPES,
  ARCHETYPE_PROFILES,
  ARCHETYPE_TRANSITIONS,
  DEFAULT_ARCHETYPE_MIX,
  DIMENSION_KEYS,
  type Archetype,
  type DimensionKey,
  type DimensionProfile,
} from './archetypes';
import { Rng, hashSeed } from './prng';
import { FIRST_NAMES, LAST_NAMES } from './names';

export interface GenerateOptions {
  seed: number;
  teams: number;
  rounds: number;
  /** Top-level departments (at most one per team); default about one per 12 teams. */
  departments?: number;
  /**
   * Relative weights of the archetypes. When given, archetypes it leaves out get none. Teams are
   * allotted by largest remainder, so the shares are exact up to rounding, then shuffled.
   */
  archetypeMix?: Partial<Record<Archetype, number>>;
  /** Members per team, leader not counted; default 3..15. */
  teamSize?: { min: number; max: number };
  /** Response rate per team and round, drawn uniformly from this range; default 0.6..1.0. */
  participation?: { min: number; max: number };
  /** First round's first day, YYYY-MM-DD; default 2025-01-06 (a Monday). */
  startDate?: string;
  /** Days from one round's start to the next; default 14. Each round ends the day before. */
  roundEveryDays?: number;
  instrument?: InstrumentDef;
  /** Share of teams (rounded) that change archetype half-way through; default 0.05. */
  switchShare?: number;
  /** Chance that a respondent leaves an item unanswered; default 0.03. */
  missingRate?: number;
  /** Chance that a leader fills in the self-view form in a round; default 1. */
  leaderSelfRate?: number;
}

export interface SyntheticTeam {
  key: string;
  name: string;
  departmentPath: string[];
  /** The archetype in the first round; `rounds[i].truth` has it per round. */
  archetype: Archetype;
  /** Members, leader not counted. */
  size: number;
  leaderEmail: string;
  memberEmails: string[];
}

/** One person's answers, keyed by item key; unanswered items are absent. */
export interface SyntheticResponse {
  teamKey: string;
  answers: Record<string, number>;
}

export interface SyntheticRound {
  index: number;
  periodStart: string;
  periodEnd: string;
  /** The instrument's item keys in its order: the columns of `historyCsv`. */
  itemKeys: readonly string[];
  /** The planted archetype of every team in this round. */
  truth: Record<string, Archetype>;
  /** Team members' answers, grouped by team in team order, in random order within a team. */
  responses: SyntheticResponse[];
  /** Leaders' self-view answers, one per team whose leader answered. */
  leaderSelf: SyntheticResponse[];
}

export interface SyntheticOrganisation {
  seed: number;
  instrumentKey: string;
  teams: SyntheticTeam[];
  /** The HR export: email,name,team_key,team_name,department,role; department as "Dept / Sub". */
  rosterCsv: string;
  rounds: SyntheticRound[];
}

/**
 * Noise model on a 1..5 scale; multiplied by (hi - lo) / 4 for other scales. Person sd
 * sqrt(personStable² + personRound²) = 0.6 around the team's latent mean.
 */
export const NOISE = {
  /** Team random effect per dimension, fixed over rounds. */
  team: 0.22,
  /** Stationary sd of each team's slow drift per dimension. */
  drift: 0.07,
  /** Round-to-round persistence of the drift (AR(1) coefficient). */
  driftPersistence: 0.85,
  personStable: 0.5,
  personRound: 0.33,
  /** Share of the team and person variance that is a common halo across dimensions. */
  halo: 0.3,
  item: 0.5,
  /** Fixed per item: some statements are easier to agree with than others. */
  itemOffset: 0.12,
  /** Per person: a tendency to agree with any statement, whatever its keying. */
  acquiescence: 0.15,
  leaderStable: 0.3,
  leaderRound: 0.2,
  /**
   * Leaders' self-view minus their team's latent mean: they believe they delegate and support
   * (decision_rights, leader_support +1.0) and do not over-control (-1.0), and see the rest of
   * their team's climate a little rosier (+0.3).
   */
  selfBias: {
    psych_safety: 0.3,
    purpose_clarity: 0.3,
    decision_rights: 1.0,
    alignment: 0.3,
    leader_support: 1.0,
    over_control: -1.0,
  } as DimensionProfile,
} as const;

// Local aliases for the hot loops: under Jest, modules run in a vm context where every global
// lookup (`Math`, `Infinity`) is some hundred times slower than a local one.
const { floor, log, round } = Math;
const NEVER = Number.POSITIVE_INFINITY;

/** Latent level of dimensions a custom instrument has beyond the built-in six (on 1..5). */
const OTHER_DIMENSION_LATENT = 3.5;
const EMAIL_DOMAIN = 'synthetic.test';
const DEFAULT_START = '2025-01-06';

// Independent streams: organisation layout, each team's people and each team×round's answers.
const SALT_ORG = 1;
const SALT_TEAM = 2;
const SALT_ROUND = 3;

// ------------------------------------------------------------------------------------ options

interface Resolved {
  seed: number;
  teams: number;
  rounds: number;
  departments: number;
  mix: Record<Archetype, number>;
  sizeMin: number;
  sizeMax: number;
  participationMin: number;
  participationMax: number;
  startDay: number;
  roundEveryDays: number;
  instrument: InstrumentDef;
  switchShare: number;
  missingRate: number;
  leaderSelfRate: number;
}

function fail(message: string): never {
  throw new RangeError(`generateOrganisation: ${message}`);
}

function wholeAtLeast(value: number, min: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < min) fail(`${name} must be a whole number ≥ ${min}`);
  return value;
}

function share(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) fail(`${name} must be from 0 to 1`);
  return value;
}

/** Days since 1970-01-01 of a valid YYYY-MM-DD date. */
function parseDay(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) fail('startDate must be YYYY-MM-DD');
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day
  )
    fail(`startDate ${text} is not a date`);
  return ms / 86_400_000;
}

function formatDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function resolve(options: GenerateOptions): Resolved {
  if (!Number.isSafeInteger(options.seed)) fail('seed must be a safe integer');
  const teams = wholeAtLeast(options.teams, 1, 'teams');
  const rounds = wholeAtLeast(options.rounds, 0, 'rounds');
  const departments = wholeAtLeast(
    options.departments ?? Math.max(1, Math.round(teams / 12)),
    1,
    'departments',
  );

  const mix = {} as Record<Archetype, number>;
  const given = options.archetypeMix;
  for (const archetype of ARCHETYPES) {
    const weight = given ? (given[archetype] ?? 0) : DEFAULT_ARCHETYPE_MIX[archetype];
    if (!Number.isFinite(weight) || weight < 0) fail(`archetypeMix.${archetype} must be ≥ 0`);
    mix[archetype] = weight;
  }
  if (given) {
    for (const key of Object.keys(given))
      if (!(ARCHETYPES as readonly string[]).includes(key)) fail(`unknown archetype "${key}"`);
  }
  if (ARCHETYPES.every((a) => mix[a] === 0)) fail('archetypeMix must give some archetype weight');

  const size = options.teamSize ?? { min: 3, max: 15 };
  wholeAtLeast(size.min, 1, 'teamSize.min');
  wholeAtLeast(size.max, size.min, 'teamSize.max');
  const participation = options.participation ?? { min: 0.6, max: 1 };
  share(participation.min, 'participation.min');
  share(participation.max, 'participation.max');
  if (participation.max < participation.min) fail('participation.max must be ≥ participation.min');

  const instrument = options.instrument ?? AUTONOMY_ALIGNMENT_PULSE;
  const { min, max } = instrument.scale;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max <= min)
    fail('the instrument scale must be whole numbers with max > min');
  if (!instrument.items.length) fail('the instrument has no items');
  const dimensionKeys = new Set(instrument.dimensions.map((d) => d.key));
  for (const item of instrument.items)
    if (!dimensionKeys.has(item.dimension))
      fail(`item ${item.key} has unknown dimension ${item.dimension}`);

  return {
    seed: options.seed,
    teams,
    rounds,
    departments,
    mix,
    sizeMin: size.min,
    sizeMax: size.max,
    participationMin: participation.min,
    participationMax: participation.max,
    startDay: parseDay(options.startDate ?? DEFAULT_START),
    roundEveryDays: wholeAtLeast(options.roundEveryDays ?? 14, 1, 'roundEveryDays'),
    instrument,
    switchShare: share(options.switchShare ?? 0.05, 'switchShare'),
    missingRate: share(options.missingRate ?? 0.03, 'missingRate'),
    leaderSelfRate: share(options.leaderSelfRate ?? 1, 'leaderSelfRate'),
  };
}

// ------------------------------------------------------------------------------ instrument

/** The instrument flattened into typed arrays, with each archetype's profile on its scale. */
interface Model {
  lo: number;
  hi: number;
  unit: number;
  dims: number;
  itemKeys: readonly string[];
  itemDim: Int32Array;
  itemReverse: Uint8Array;
  itemOffset: Float64Array;
  /** +1, or -1 for over_control: the direction of the halo factor per dimension. */
  haloSign: Float64Array;
  selfBias: Float64Array;
  /** Latent means per archetype and half (index 0/1; the same array twice except for split). */
  profiles: Record<Archetype, readonly [Float64Array, Float64Array]>;
  /** Scratch: one person's answers, UNANSWERED where left empty. */
  values: Int32Array;
  /** Answer templates by the list of unanswered item indexes ("" = all answered). */
  templates: Map<string, Record<string, number>>;
}

function isBuiltIn(key: string): key is DimensionKey {
  return (DIMENSION_KEYS as readonly string[]).includes(key);
}

function buildModel(instrument: InstrumentDef, rng: Rng): Model {
  const lo = instrument.scale.min;
  const hi = instrument.scale.max;
  const unit = (hi - lo) / 4;
  const dimKeys = instrument.dimensions.map((d) => d.key);
  const dims = dimKeys.length;
  const onScale = (value: number) => lo + (value - 1) * unit;
  const toArray = (profile: DimensionProfile) =>
    Float64Array.from(dimKeys, (key) =>
      onScale(isBuiltIn(key) ? profile[key] : OTHER_DIMENSION_LATENT),
    );

  const profiles = {} as Record<Archetype, readonly [Float64Array, Float64Array]>;
  for (const archetype of ARCHETYPES) {
    const { latent, halves } = ARCHETYPE_PROFILES[archetype];
    profiles[archetype] = halves
      ? [toArray(halves[0]), toArray(halves[1])]
      : [toArray(latent), toArray(latent)];
  }
  const items = instrument.items;
  return {
    lo,
    hi,
    unit,
    dims,
    itemKeys: Object.freeze(items.map((i) => i.key)),
    itemDim: Int32Array.from(items, (i) => dimKeys.indexOf(i.dimension)),
    itemReverse: Uint8Array.from(items, (i) => (i.reverse ? 1 : 0)),
    itemOffset: Float64Array.from(items, () => NOISE.itemOffset * unit * rng.normal()),
    haloSign: Float64Array.from(dimKeys, (key) => (key === 'over_control' ? -1 : 1)),
    selfBias: Float64Array.from(
      dimKeys,
      (key) => (isBuiltIn(key) ? NOISE.selfBias[key] : 0) * unit,
    ),
    profiles,
    values: new Int32Array(items.length),
    templates: new Map(),
  };
}

// ---------------------------------------------------------------------------- organisation

const DEPARTMENTS = [
  'Engineering',
  'Product',
  'Sales',
  'Operations',
  'Customer Success',
  'Marketing',
  'Finance',
  'People',
  'Research',
  'Logistics',
  'Data',
  'Legal',
];
const SUB_UNITS = [
  'Core',
  'Growth',
  'Platform',
  'Enterprise',
  'Regional',
  'Services',
  'Delivery',
  'Quality',
  'Strategy',
  'Field',
];
const TEAM_WORDS = [
  'Atlas',
  'Beacon',
  'Cedar',
  'Delta',
  'Ember',
  'Fjord',
  'Granite',
  'Harbor',
  'Iris',
  'Juniper',
  'Kestrel',
  'Lantern',
  'Meridian',
  'Nimbus',
  'Orchid',
  'Pioneer',
  'Quartz',
  'Raven',
  'Summit',
  'Tundra',
  'Umber',
  'Vortex',
  'Willow',
  'Zephyr',
];

/** `list[i]`, then `list[i] 2`, `list[i] 3`… once the list runs out. */
function nth(list: readonly string[], index: number): string {
  const cycle = Math.floor(index / list.length);
  return cycle ? `${list[index % list.length]} ${cycle + 1}` : list[index % list.length];
}

/** Counts per archetype by largest remainder, shuffled into team order. */
function allotArchetypes(r: Resolved, rng: Rng): Archetype[] {
  const total = ARCHETYPES.reduce((sum, a) => sum + r.mix[a], 0);
  const exact = ARCHETYPES.map((a) => (r.mix[a] / total) * r.teams);
  const counts = exact.map(Math.floor);
  let left = r.teams - counts.reduce((a, b) => a + b, 0);
  const byRemainder = ARCHETYPES.map((_, i) => i).sort(
    (a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b,
  );
  for (const i of byRemainder) {
    if (left === 0) break;
    counts[i]++;
    left--;
  }
  const list: Archetype[] = [];
  ARCHETYPES.forEach((a, i) => {
    for (let n = 0; n < counts[i]; n++) list.push(a);
  });
  return rng.shuffle(list);
}

/**
 * Teams spread over departments; a department with more than three teams is split into
 * sub-units of about six teams, so paths are ["Dept"] or ["Dept", "Sub"].
 */
function departmentPaths(r: Resolved, rng: Rng): string[][] {
  const departments = Math.min(r.departments, r.teams);
  const deptOf = Array.from({ length: r.teams }, (_, t) =>
    t < departments ? t : rng.int(0, departments - 1),
  );
  rng.shuffle(deptOf);
  const teamsIn = new Array<number>(departments).fill(0);
  for (const d of deptOf) teamsIn[d]++;
  const seen = new Array<number>(departments).fill(0);
  return deptOf.map((d) => {
    const name = nth(DEPARTMENTS, d);
    if (teamsIn[d] <= 3) return [name];
    const subUnits = Math.ceil(teamsIn[d] / 6);
    const sub = Math.floor((seen[d]++ * subUnits) / teamsIn[d]);
    // Rotate the names so departments do not all start with the same sub-unit.
    const subName =
      subUnits <= SUB_UNITS.length ? SUB_UNITS[(sub + d) % SUB_UNITS.length] : nth(SUB_UNITS, sub);
    return [name, subName];
  });
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// ------------------------------------------------------------------------------- answering

/** Cap on cached answer templates; beyond it (very high missing rates) objects are built fresh. */
const MAX_TEMPLATES = 4096;

/**
 * An object with the answered items' keys, in instrument order, to copy and fill. V8 turns an
 * object into a slow dictionary when many properties are added under computed keys; a copy of a
 * ready-made object keeps the compact layout (about 6× less memory and 5× faster here).
 */
function answerTemplate(model: Model, missing: string, values: Int32Array): Record<string, number> {
  let template = model.templates.get(missing);
  if (!template) {
    const entries: [string, number][] = [];
    for (let i = 0; i < model.itemKeys.length; i++)
      if (values[i] !== UNANSWERED) entries.push([model.itemKeys[i], 0]);
    template = Object.fromEntries(entries);
    if (model.templates.size < MAX_TEMPLATES) model.templates.set(missing, template);
  }
  return template;
}

const UNANSWERED = -0x7fffffff;

/**
 * Draws one person's answers from their latent dimension scores: keys in instrument order,
 * unanswered items absent, at least one item always answered (the import rejects empty rows).
 */
function answerItems(
  model: Model,
  rng: Rng,
  latent: Float64Array,
  acquiescence: number,
  logKeep: number,
): Record<string, number> {
  const { lo, hi, itemKeys, itemDim, itemReverse, itemOffset, values } = model;
  const sd = NOISE.item * model.unit;
  const count = itemKeys.length;
  // Items are left empty independently with probability p; instead of a draw per item, draw
  // the geometric number of answered items before the next empty one.
  const gap = () => (logKeep === 0 ? NEVER : floor(log(1 - rng.next()) / logKeep));
  let nextEmpty = gap();
  let missing = '';
  let answered = 0;
  for (let i = 0; i < count; i++) {
    if (i === nextEmpty) {
      values[i] = UNANSWERED;
      missing += `${i},`;
      nextEmpty = i + 1 + gap();
      continue;
    }
    const level = itemReverse[i] ? lo + hi - latent[itemDim[i]] : latent[itemDim[i]];
    const raw = round(level + itemOffset[i] + acquiescence + sd * rng.normal());
    values[i] = raw < lo ? lo : raw > hi ? hi : raw;
    answered++;
  }
  if (answered === 0) {
    const level = itemReverse[0] ? lo + hi - latent[itemDim[0]] : latent[itemDim[0]];
    const raw = round(level + itemOffset[0] + acquiescence + sd * rng.normal());
    values[0] = raw < lo ? lo : raw > hi ? hi : raw;
    missing = missing.slice(2);
  }
  const out = { ...answerTemplate(model, missing, values) };
  for (let i = 0; i < count; i++) if (values[i] !== UNANSWERED) out[itemKeys[i]] = values[i];
  return out;
}

/** sd × (√halo · sign · common + √(1 − halo) · own) per dimension, into `into`. */
function haloDraw(model: Model, rng: Rng, sd: number, into: Float64Array, offset: number): void {
  const common = rng.normal();
  const shared = Math.sqrt(NOISE.halo);
  const own = Math.sqrt(1 - NOISE.halo);
  for (let d = 0; d < model.dims; d++)
    into[offset + d] = sd * (shared * model.haloSign[d] * common + own * rng.normal());
}

// ------------------------------------------------------------------------------- generator

export function generateOrganisation(options: GenerateOptions): SyntheticOrganisation {
  const r = resolve(options);
  const orgRng = new Rng(hashSeed(r.seed, SALT_ORG));
  const model = buildModel(r.instrument, orgRng);
  const { dims, unit } = model;

  const archetypes = allotArchetypes(r, orgRng);
  const paths = departmentPaths(r, orgRng);
  // A few teams change archetype half-way (only when there are two halves to speak of).
  const switchRound = Math.floor(r.rounds / 2);
  const switchTo = new Map<number, Archetype>();
  if (r.rounds >= 2) {
    const order = orgRng.shuffle(Array.from({ length: r.teams }, (_, t) => t));
    for (const t of order.slice(0, Math.round(r.teams * r.switchShare)))
      switchTo.set(t, orgRng.pick(ARCHETYPE_TRANSITIONS[archetypes[t]]));
  }

  const rounds: SyntheticRound[] = Array.from({ length: r.rounds }, (_, index) => {
    const start = r.startDay + index * r.roundEveryDays;
    return {
      index,
      periodStart: formatDay(start),
      periodEnd: formatDay(start + r.roundEveryDays - 1),
      itemKeys: model.itemKeys,
      truth: {},
      responses: [],
      leaderSelf: [],
    };
  });

  const logKeep = Math.log1p(-r.missingRate);
  const keyDigits = Math.max(3, String(r.teams).length);
  const roster: string[] = ['email,name,team_key,team_name,department,role'];
  const teams: SyntheticTeam[] = [];

  // Per-team scratch space, reused: at most sizeMax people × dims.
  const stable = new Float64Array(r.sizeMax * dims);
  const acquiescence = new Float64Array(r.sizeMax);
  const order = new Int32Array(r.sizeMax);
  const teamEffect = new Float64Array(dims);
  const drift = new Float64Array(dims);
  const leaderStable = new Float64Array(dims);
  const latent = new Float64Array(dims);

  for (let t = 0; t < r.teams; t++) {
    const rng = new Rng(hashSeed(r.seed, SALT_TEAM, t));
    const key = `t${String(t + 1).padStart(keyDigits, '0')}`;
    const name = nth(TEAM_WORDS, t);
    const department = paths[t].join(' / ');
    const size = rng.int(r.sizeMin, r.sizeMax);
    const person = () => `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    const leaderEmail = `lead.${key}@${EMAIL_DOMAIN}`;
    roster.push([leaderEmail, person(), key, name, department, 'leader'].map(csvCell).join(','));
    const memberEmails: string[] = [];
    for (let p = 0; p < size; p++) {
      const email = `p${p + 1}.${key}@${EMAIL_DOMAIN}`;
      memberEmails.push(email);
      roster.push([email, person(), key, name, department, 'member'].map(csvCell).join(','));
    }
    teams.push({
      key,
      name,
      departmentPath: paths[t],
      archetype: archetypes[t],
      size,
      leaderEmail,
      memberEmails,
    });

    // The team's lasting climate and people.
    haloDraw(model, rng, NOISE.team * unit, teamEffect, 0);
    for (let p = 0; p < size; p++) {
      haloDraw(model, rng, NOISE.personStable * unit, stable, p * dims);
      acquiescence[p] = NOISE.acquiescence * unit * rng.normal();
    }
    for (let d = 0; d < dims; d++) {
      leaderStable[d] = NOISE.leaderStable * unit * rng.normal();
      drift[d] = NOISE.drift * unit * rng.normal();
    }
    const innovation = NOISE.drift * unit * Math.sqrt(1 - NOISE.driftPersistence ** 2);
    const switched = switchTo.get(t);

    for (let i = 0; i < r.rounds; i++) {
      if (i > 0)
        for (let d = 0; d < dims; d++)
          drift[d] = NOISE.driftPersistence * drift[d] + innovation * rng.normal();
      const archetype = switched !== undefined && i >= switchRound ? switched : archetypes[t];
      const round = rounds[i];
      round.truth[key] = archetype;
      const halves = model.profiles[archetype];
      const roundRng = new Rng(hashSeed(r.seed, SALT_ROUND, t, i));

      // Who answers: a rate from the range, then that many members at random.
      const rate = r.participationMin + (r.participationMax - r.participationMin) * roundRng.next();
      const respondents = Math.min(size, Math.round(rate * size));
      for (let p = 0; p < size; p++) order[p] = p;
      for (let n = 0; n < respondents; n++) {
        const j = n + floor(roundRng.next() * (size - n));
        const p = order[j];
        order[j] = order[n];
        order[n] = p;
        // Members alternate between the halves of a split team.
        const base = halves[p & 1];
        for (let d = 0; d < dims; d++)
          latent[d] =
            base[d] +
            teamEffect[d] +
            drift[d] +
            stable[p * dims + d] +
            NOISE.personRound * unit * roundRng.normal();
        round.responses.push({
          teamKey: key,
          answers: answerItems(model, roundRng, latent, acquiescence[p], logKeep),
        });
      }

      if (roundRng.next() < r.leaderSelfRate) {
        for (let d = 0; d < dims; d++)
          latent[d] =
            (halves[0][d] + halves[1][d]) / 2 +
            teamEffect[d] +
            drift[d] +
            model.selfBias[d] +
            leaderStable[d] +
            NOISE.leaderRound * unit * roundRng.normal();
        round.leaderSelf.push({
          teamKey: key,
          answers: answerItems(model, roundRng, latent, 0, logKeep),
        });
      }
    }
  }

  return {
    seed: r.seed,
    instrumentKey: r.instrument.key,
    teams,
    rosterCsv: roster.join('\n') + '\n',
    rounds,
  };
}

/**
 * A round's team answers in the item-level import format (libs/surveys history import): header
 * `team,<itemKey>,…` in instrument order, one row per respondent, an empty cell for an
 * unanswered item. Lines end with "\n", including the last.
 */
export function historyCsv(round: SyntheticRound): string {
  const lines: string[] = [['team', ...round.itemKeys].map(csvCell).join(',')];
  for (const { teamKey, answers } of round.responses) {
    let line = csvCell(teamKey);
    for (const key of round.itemKeys) {
      const value = answers[key];
      line += value === undefined ? ',' : `,${value}`;
    }
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}
