import type { FlagView } from '@trellis/reporting';
import { FLAG_TITLES, type FlagCode } from '@trellis/scoring';
import { capital, nameOf, numberOf, one, pct, two, type DimensionNames } from './report-format';

type Evidence = FlagView['evidence'];

const LEVEL_WORDS = {
  confirmed:
    'Confirmed: even at the cautious end of each 90 % interval the numbers stay on the wrong side of the line, so this is unlikely to be chance.',
  watch:
    'Watch: the averages meet the rule, but the 90 % intervals still reach across the line, so it may be chance. See whether it holds next round.',
} as const;

export const flagTitle = (code: string) =>
  FLAG_TITLES[code as FlagCode] ?? capital(code.replace(/_/g, ' '));

/** "Over-control 4.20 (90 % interval 3.90–4.50)" from an evidence record. */
function measured(label: string, e: Evidence, name: string): string | null {
  const value = numberOf(e[name]);
  if (value === null) return null;
  const low = numberOf(e[`${name}CiLow`]);
  const high = numberOf(e[`${name}CiHigh`]);
  const interval = low !== null && high !== null ? ` (90 % interval ${two(low)}–${two(high)})` : '';
  return `${label} ${two(value)}${interval}`;
}

const list = (parts: (string | null)[]) => parts.filter((p): p is string => p !== null).join('; ');

/**
 * L, the quadrant's alignment axis, is not the Alignment dimension the tables show: say what it
 * is, and give the two dimension means it averages, which the page shows.
 */
function alignmentIndex(
  e: Evidence,
  names: DimensionNames,
  label = 'alignment index',
): string | null {
  const words = `${label} (${nameOf('purpose_clarity', names)} and ${nameOf('alignment', names)} averaged)`;
  const index = measured(words, e, 'alignmentIndex');
  if (index === null) return null;
  const clarity = numberOf(e['purpose_clarity.mean']);
  const alignment = numberOf(e['alignment.mean']);
  const parts =
    clarity !== null && alignment !== null
      ? `, from ${nameOf('purpose_clarity', names)} ${two(clarity)} and ${nameOf('alignment', names)} ${two(alignment)}`
      : '';
  return `${index}${parts}`;
}

/**
 * The evidence numbers of a flag, in words a leader can read (1..5 scale), each with the digits
 * and the dimension name the report's tables use beside it.
 */
export function evidenceInWords(
  flag: Pick<FlagView, 'code' | 'evidence'>,
  names: DimensionNames = {},
): string {
  const e = flag.evidence ?? {};
  const name = (key: string) => nameOf(key, names);
  const dims = typeof e.dimensions === 'string' ? e.dimensions.split(', ').filter(Boolean) : [];
  switch (flag.code) {
    case 'micromanagement':
      return `${list([
        measured(name('over_control'), e, 'control'),
        measured(name('decision_rights'), e, 'autonomy'),
        alignmentIndex(e, names),
      ])}. The rule: ${name('over_control')} at ${one(numberOf(e.controlAtLeast))} or more with ${name('decision_rights')} at ${one(numberOf(e.autonomyAtMost))} or less, on a scale of 1 to 5.`;
    case 'abandonment':
      return `${list([
        measured(name('decision_rights'), e, 'autonomy'),
        measured(name('leader_support'), e, 'support'),
        alignmentIndex(e, names),
      ])}. The rule: ${name('decision_rights')} at ${one(numberOf(e.autonomyAtLeast))} or more while ${name('leader_support')} or the alignment index is at ${one(numberOf(e.supportAtMost))} or less, on a scale of 1 to 5.`;
    case 'low_safety':
      return `${measured(name('psych_safety'), e, 'safety') ?? `${name('psych_safety')} unknown`}. The rule: ${one(numberOf(e.safetyAtMost))} or less, on a scale of 1 to 5.`;
    case 'split_team':
      return `${capital(
        dims
          .map(
            (d) =>
              `agreement on ${name(d)} is ${two(numberOf(e[`${d}.rwgJ`]))} among ${numberOf(e[`${d}.n`]) ?? 'unknown'} people`,
          )
          .join('; '),
      )}. Agreement (rwg) runs from 0 to 1; below ${two(numberOf(e.agreementBelow))} the team does not agree enough for its average to describe it.`;
    case 'declining':
      return `${capital(
        dims
          .map((d) => {
            const falls = numberOf(e[`${d}.fallsInARow`]);
            return `${name(d)} went from ${two(numberOf(e[`${d}.previous`]))} to ${two(numberOf(e[`${d}.current`]))}${falls && falls > 1 ? `, worse ${falls} rounds in a row` : ''}`;
          })
          .join('; '),
      )}, on a scale of 1 to 5.`;
    case 'perception_gap':
      return `${capital(
        dims
          .map((d) => {
            const low = numberOf(e[`${d}.teamCiLow`]);
            const high = numberOf(e[`${d}.teamCiHigh`]);
            return `${name(d)}: you ${two(numberOf(e[`${d}.self`]))}, your team ${two(numberOf(e[`${d}.team`]))}${low !== null && high !== null ? ` (90 % interval ${two(low)}–${two(high)})` : ''}`;
          })
          .join('; '),
      )}. A gap of ${one(numberOf(e.gapAtLeast))} or more counts, on a scale of 1 to 5.`;
    case 'low_participation':
      return `${pct(numberOf(e.responseRate))} of the team answered; below ${pct(numberOf(e.responseRateBelow))} the numbers may not speak for the team.`;
    default:
      return Object.entries(e)
        .map(([k, v]) => `${k.replace(/[._]/g, ' ')} ${typeof v === 'number' ? two(v) : String(v)}`)
        .join('; ');
  }
}

/** One flag: what it is, the numbers behind it in words, how sure, and what to try. */
export function FlagCard({ flag, names }: { flag: FlagView; names?: DimensionNames }) {
  const level = flag.level === 'confirmed' ? 'confirmed' : 'watch';
  return (
    <article class={`flag ${level}`} data-flag={flag.code}>
      <h3>
        <span class={`level ${level}`}>{level === 'confirmed' ? 'Confirmed' : 'Watch'}</span>
        {flagTitle(flag.code)}
      </h3>
      <p>{flag.explanation}</p>
      <p class="evidence">
        <strong>The numbers:</strong> {evidenceInWords(flag, names)}
      </p>
      <p class="muted">{LEVEL_WORDS[level]}</p>
      <h4>What to try</h4>
      <ul class="actions">
        {flag.actions.map((a) => (
          <li>{a}</li>
        ))}
      </ul>
    </article>
  );
}
