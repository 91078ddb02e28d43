import type { FlagView } from '@trellis/reporting';
import { FLAG_TITLES, type FlagCode } from '@trellis/scoring';
import { capital, numberOf, one, pct, two, words } from './report-format';

type Evidence = FlagView['evidence'];

const LEVEL_WORDS = {
  confirmed:
    'Confirmed: even at the cautious end of each 90 % interval the numbers stay on the wrong side of the line, so this is unlikely to be chance.',
  watch:
    'Watch: the averages meet the rule, but the 90 % intervals still reach across the line, so it may be chance. See whether it holds next round.',
} as const;

export const flagTitle = (code: string) =>
  FLAG_TITLES[code as FlagCode] ?? capital(code.replace(/_/g, ' '));

/** "Over-control 4.2 (90 % interval 3.9–4.5)" from an evidence record. */
function measured(label: string, e: Evidence, name: string): string | null {
  const value = numberOf(e[name]);
  if (value === null) return null;
  const low = numberOf(e[`${name}CiLow`]);
  const high = numberOf(e[`${name}CiHigh`]);
  const interval = low !== null && high !== null ? ` (90 % interval ${one(low)}–${one(high)})` : '';
  return `${label} ${one(value)}${interval}`;
}

const list = (parts: (string | null)[]) => parts.filter((p): p is string => p !== null).join('; ');

/** The evidence numbers of a flag, in words a leader can read (1..5 scale). */
export function evidenceInWords(flag: Pick<FlagView, 'code' | 'evidence'>): string {
  const e = flag.evidence ?? {};
  const dims = typeof e.dimensions === 'string' ? e.dimensions.split(', ').filter(Boolean) : [];
  switch (flag.code) {
    case 'micromanagement':
      return `${list([
        measured('Over-control', e, 'control'),
        measured('decision rights', e, 'autonomy'),
        numberOf(e.alignment) === null ? null : `alignment ${one(numberOf(e.alignment))}`,
      ])}. The rule: over-control at ${one(numberOf(e.controlAtLeast))} or more with decision rights at ${one(numberOf(e.autonomyAtMost))} or less, on a scale of 1 to 5.`;
    case 'abandonment':
      return `${list([
        measured('Decision rights', e, 'autonomy'),
        measured('leader support', e, 'support'),
        measured('alignment', e, 'alignment'),
      ])}. The rule: decision rights at ${one(numberOf(e.autonomyAtLeast))} or more while leader support or alignment is at ${one(numberOf(e.supportAtMost))} or less, on a scale of 1 to 5.`;
    case 'low_safety':
      return `${measured('Psychological safety', e, 'safety') ?? 'Psychological safety unknown'}. The rule: ${one(numberOf(e.safetyAtMost))} or less, on a scale of 1 to 5.`;
    case 'split_team':
      return `${capital(
        dims
          .map(
            (d) =>
              `agreement on ${words(d)} is ${two(numberOf(e[`${d}.rwgJ`]))} among ${numberOf(e[`${d}.n`]) ?? 'unknown'} people`,
          )
          .join('; '),
      )}. Agreement (rwg) runs from 0 to 1; below ${two(numberOf(e.agreementBelow))} the team does not agree enough for its average to describe it.`;
    case 'declining':
      return `${capital(
        dims
          .map((d) => {
            const falls = numberOf(e[`${d}.fallsInARow`]);
            return `${words(d)} went from ${one(numberOf(e[`${d}.previous`]))} to ${one(numberOf(e[`${d}.current`]))}${falls && falls > 1 ? `, worse ${falls} rounds in a row` : ''}`;
          })
          .join('; '),
      )}, on a scale of 1 to 5.`;
    case 'perception_gap':
      return `${capital(
        dims
          .map((d) => {
            const low = numberOf(e[`${d}.teamCiLow`]);
            const high = numberOf(e[`${d}.teamCiHigh`]);
            return `${words(d)}: you ${one(numberOf(e[`${d}.self`]))}, your team ${one(numberOf(e[`${d}.team`]))}${low !== null && high !== null ? ` (90 % interval ${one(low)}–${one(high)})` : ''}`;
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
export function FlagCard({ flag }: { flag: FlagView }) {
  const level = flag.level === 'confirmed' ? 'confirmed' : 'watch';
  return (
    <article class={`flag ${level}`} data-flag={flag.code}>
      <h3>
        <span class={`level ${level}`}>{level === 'confirmed' ? 'Confirmed' : 'Watch'}</span>
        {flagTitle(flag.code)}
      </h3>
      <p>{flag.explanation}</p>
      <p class="evidence">
        <strong>The numbers:</strong> {evidenceInWords(flag)}
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
