/**
 * Comments in the voice of each planted archetype, for the demo and for tests that need text a
 * reader would recognise: a micromanaged team writes about sign-offs on over-control and
 * decision rights, an abandoned one about a leader nobody sees. Seeded and deterministic, drawn
 * from a stream of their own (salt below), so adding comments never moves a single answer of
 * `generateOrganisation`: its streams are untouched and its output stays byte-identical.
 */
import type { Archetype, DimensionKey } from './archetypes';
import { Rng, hashSeed } from './prng';

export interface CommentVoice {
  /** General comments (no theme). */
  general: readonly string[];
  /** Comments on a theme, by dimension; the archetype's telling themes have the most. */
  themed: Readonly<Partial<Record<DimensionKey, readonly string[]>>>;
}

export const COMMENT_VOICES: Readonly<Record<Archetype, CommentVoice>> = {
  aligned_autonomy: {
    general: [
      'Good couple of weeks, we shipped what we said we would.',
      'I like that we agree on the goal and then get out of each other’s way.',
      'Retro actions actually get done here, which keeps people engaged.',
      'Planning was quick this time because everyone knew the priorities.',
    ],
    themed: {
      decision_rights: [
        'We choose how to solve problems ourselves and our lead backs the call.',
        'I can make design decisions in my area without waiting for approval.',
        'Trusted to pick our own tools and approach, and it shows in the results.',
      ],
      alignment: [
        'The team goals line up with what the department is trying to do.',
        'Every piece of work I picked up this sprint had a clear link to our targets.',
      ],
      purpose_clarity: [
        'I know why our work matters to customers.',
        'Our roadmap is clear and the reasons behind it are explained.',
      ],
      leader_support: [
        'Our lead removes blockers fast when we ask.',
        'One-to-ones are useful, not a status report.',
      ],
      psych_safety: [
        'People admit mistakes in stand-up without any drama.',
        'It is easy to disagree with a plan here and be heard.',
      ],
    },
  },
  micromanaged: {
    general: [
      'I spend more time waiting for approvals than doing the work.',
      'We are capable people but we are not treated that way.',
      'Please let us own something end to end.',
      'Status updates twice a day is too much.',
      'Morale is low; people stop suggesting things because it all gets redone anyway.',
    ],
    themed: {
      over_control: [
        'Every small change needs sign-off from our lead.',
        'Our lead rewrites our work instead of giving feedback.',
        'I get asked for updates on tasks that are a few hours old.',
        'Even the wording of customer emails has to be checked first.',
        'Being copied on everything does not feel like trust.',
      ],
      decision_rights: [
        'We are not allowed to decide even how to structure our own tickets.',
        'Decisions that should take minutes wait days for approval.',
        'I would like to be trusted to choose the approach, not just execute it.',
        'Our estimates get overruled without discussion.',
      ],
      psych_safety: [
        'People are careful about what they say in meetings.',
        'Mistakes get escalated instead of fixed together.',
      ],
      leader_support: ['Support here mostly means being checked on.'],
    },
  },
  abandoned: {
    general: [
      'We rarely see our lead until something is on fire.',
      'We are left to figure everything out on our own.',
      'Nobody seems to notice what we do, good or bad.',
      'It feels like the team is running without anyone at the wheel.',
      'I have not had a one-to-one in over a month.',
      'We need someone to fight for us in planning.',
    ],
    themed: {
      leader_support: [
        'When we are blocked there is nobody to escalate to.',
        'Our lead cancels one-to-ones more often than they happen.',
        'I asked for help with a difficult customer and never heard back.',
        'We only hear from leadership when a number is missed.',
        'Would appreciate a lead who is around when we need a decision.',
        'Nobody helps new joiners find their feet; we do it between us.',
      ],
      purpose_clarity: [
        'I am not sure what we are supposed to focus on this quarter.',
        'Targets change and nobody explains why.',
        'We guess at priorities and hope they are right.',
      ],
      alignment: [
        'Each of us is working to a different idea of what matters.',
        'Other teams seem to know our plans before we do.',
      ],
      decision_rights: [
        'We make the decisions by default, because nobody else does.',
        'Freedom is fine, but nobody tells us if our choices were right.',
      ],
    },
  },
  adrift: {
    general: [
      'Busy, but I could not say what we achieved.',
      'We seem to restart the same discussions every few weeks.',
      'Work feels disconnected from the rest of the company.',
      'Not unhappy, just unsure where this is going.',
    ],
    themed: {
      purpose_clarity: [
        'I do not know how our work helps customers.',
        'The goals for this quarter were never really set.',
        'Every sprint has a new top priority.',
      ],
      alignment: [
        'Our plans and the department’s plans do not seem to match.',
        'We build things another team then builds again.',
        'Nobody checks that the roadmap still makes sense.',
      ],
      decision_rights: [
        'We are free to decide, but it is unclear what we are deciding for.',
        'Lots of room to choose, very little direction to choose by.',
      ],
      leader_support: ['Our lead is friendly but seems as unsure as we are.'],
    },
  },
  split: {
    general: [
      'It feels like two teams sharing one name.',
      'Some of us are in every conversation and some of us hear about it afterwards.',
      'Depends who you ask: half the team loves it here, half does not.',
      'The people near the lead get the interesting work.',
    ],
    themed: {
      decision_rights: [
        'I get to decide how my work is done and it is great.',
        'Some people decide, the rest of us are told.',
        'I have a lot of freedom, but I know not everyone here does.',
      ],
      leader_support: [
        'Our lead has been really supportive with my growth.',
        'Support depends on whether you are in the lead’s circle.',
        'My one-to-ones are great; colleagues tell me theirs get skipped.',
      ],
      psych_safety: [
        'I feel safe to speak up here.',
        'Not everyone feels safe to disagree in our meetings.',
        'Ideas from the newer half of the team get ignored.',
      ],
      alignment: ['We pull in two directions depending on which sub-group you sit in.'],
      over_control: ['Half of us are checked on constantly, the other half never.'],
    },
  },
};

/** One person's comments, as the history import takes them (a general one and/or by theme). */
export interface SyntheticComments {
  comment?: string;
  comments: { dimension: DimensionKey; text: string }[];
}

/** Every text an archetype's voice can say: for tests that recognise a team by its comments. */
export function voiceTexts(archetype: Archetype): Set<string> {
  const voice = COMMENT_VOICES[archetype];
  return new Set([...voice.general, ...Object.values(voice.themed).flat()]);
}

// A salt no stream of the generator uses (those are 1..3).
const SALT_COMMENTS = 11;

/** FNV-1a of a team key, so each team's comments come from a stream of its own. */
function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Which of a team's `respondents` in one round comment and what they write: `round(share ×
 * respondents)` of them, chosen at random, each leaving one or two comments (a general one,
 * a themed one, or both), the themes mostly the archetype's telling ones. Texts are drawn
 * without replacement within the team and round while the voice has any left. Returns one
 * entry per respondent, in their order: null for those who wrote nothing.
 */
export function teamComments(options: {
  seed: number;
  round: number;
  teamKey: string;
  archetype: Archetype;
  respondents: number;
  share: number;
}): (SyntheticComments | null)[] {
  const { respondents, share } = options;
  if (!Number.isSafeInteger(respondents) || respondents < 0)
    throw new RangeError('teamComments: respondents must be a whole number ≥ 0');
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new RangeError('teamComments: share must be from 0 to 1');
  const rng = new Rng(
    hashSeed(options.seed, SALT_COMMENTS, options.round, keyHash(options.teamKey)),
  );
  const voice = COMMENT_VOICES[options.archetype];
  const left = {
    general: rng.shuffle([...voice.general]),
    themed: new Map(
      Object.entries(voice.themed).map(([d, texts]) => [d, rng.shuffle([...texts])] as const),
    ),
  };
  const themes = Object.keys(voice.themed) as DimensionKey[];
  const take = (list: string[], all: readonly string[]): string => list.pop() ?? rng.pick(all);
  const commenting = new Set(
    rng
      .shuffle(Array.from({ length: respondents }, (_, i) => i))
      .slice(0, Math.round(share * respondents)),
  );
  return Array.from({ length: respondents }, (_, i) => {
    if (!commenting.has(i)) return null;
    const kind = rng.next();
    const entry: SyntheticComments = { comments: [] };
    if (kind < 0.6) entry.comment = take(left.general, voice.general);
    if (kind >= 0.35) {
      // The first listed themes are the archetype's telling ones: weight them up.
      const theme = rng.next() < 0.6 ? themes[0] : rng.pick(themes);
      entry.comments.push({
        dimension: theme,
        text: take(left.themed.get(theme)!, voice.themed[theme]!),
      });
    }
    return entry;
  });
}
