import type { PulseForm, PulsePromises } from '@trellis/surveys';

/**
 * Who sees what, in plain words: the same promise before answering and after, with the
 * organisation's own minimums (never constants).
 */
export function PrivacyList({
  audience,
  teamName,
  promises,
  sent = false,
}: {
  audience: PulseForm['audience'];
  teamName: string;
  promises: PulsePromises;
  sent?: boolean;
}) {
  const { minGroupSize, minCommentGroup } = promises;
  const points =
    audience === 'leader_self'
      ? [
          sent
            ? `This was your own view of ${teamName}, as its leader.`
            : `This is your own view of ${teamName}, as its leader: answer the statements from your side.`,
          'Your answers are shown next to your team’s results, never mixed into them, so you can see where your view and theirs differ.',
          `The team’s results appear only after the round closes, and only if at least ${minGroupSize} people answered.`,
        ]
      : [
          'Your answers are anonymous. They are stored with your team and this round, never with your name.',
          'Nobody — not your leader, not HR — sees your individual answers.',
          `Team results appear only after the round closes, and only if at least ${minGroupSize} people answered.`,
          'You may skip any statement (“Prefer not to answer”); your other answers still count.',
          `Comments are shown to your leader without any of your scores, and only when at least ${minCommentGroup} people commented. If fewer in your team did, yours are read one level up, with the neighbouring teams’ comments, by the leaders and HR there.`,
        ];
  return (
    <ul>
      {points.map((point) => (
        <li>{point}</li>
      ))}
    </ul>
  );
}
