import type { RoundState } from '@trellis/surveys';

export const STATE_LABELS: Record<RoundState, string> = {
  open: 'Open',
  closing: 'Closing',
  aggregating: 'Closed, results being computed',
  aggregated: 'Closed, results ready',
  recomputing: 'Closed, results being recomputed',
};

export function StatePill({ state }: { state: RoundState }) {
  return <span class={`pill state-${state}`}>{STATE_LABELS[state]}</span>;
}
