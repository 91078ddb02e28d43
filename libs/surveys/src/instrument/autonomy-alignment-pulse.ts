import type { InstrumentDef } from './instrument.types';

const EDMONDSON = 'after Edmondson (1999), team psychological safety';
const RHL = 'after Rizzo, House & Lirtzman (1970), role clarity';
const REWORK_CLARITY = 'after Google re:Work, structure & clarity';
const REWORK_MEANING = 'after Google re:Work, meaning';
const WDQ_METHODS = 'after Morgeson & Humphrey (2006), WDQ work-methods autonomy';
const WDQ_DECISIONS = 'after Morgeson & Humphrey (2006), WDQ decision-making autonomy';
const KNIBERG = 'after Kniberg (2014), aligned autonomy';
const NOT_LAISSEZ_FAIRE = 'opposite of laissez-faire leadership, after the MLQ (Bass & Avolio)';
const CLOSE_MONITORING = 'after supervisor close-monitoring items (Zhou, 2003)';

/**
 * The built-in instrument (domain.md section 1). Wording is our own paraphrase, kept short enough
 * to read on a phone. Reverse-keyed items follow their source scales' practice of mixing in
 * negatively worded statements, which catches people who agree with everything.
 * `over_control` has no reverse-keyed items: agreeing means more control, and higher is worse.
 */
export const AUTONOMY_ALIGNMENT_PULSE: InstrumentDef = deepFreeze({
  key: 'autonomy-alignment-pulse',
  name: 'Autonomy–Alignment Pulse',
  description:
    'A short, regular check on whether the team has both room to decide and a shared direction, ' +
    'with a leader who is involved without taking over.',
  scale: {
    min: 1,
    max: 5,
    labels: [
      'Strongly disagree',
      'Disagree',
      'Neither agree nor disagree',
      'Agree',
      'Strongly agree',
    ],
  },
  dimensions: [
    {
      key: 'psych_safety',
      name: 'Psychological safety',
      description: 'It is safe on this team to take risks, admit mistakes and ask for help.',
    },
    {
      key: 'purpose_clarity',
      name: 'Clarity of purpose',
      description: 'Everyone knows what success looks like and why the work matters.',
    },
    {
      key: 'decision_rights',
      name: 'Decision rights',
      description:
        'People decide how to do their work, within known limits, without asking for permission.',
    },
    {
      key: 'alignment',
      name: 'Alignment',
      description:
        "Priorities are shared and stable, and each person's work connects to the team's goals.",
    },
    {
      key: 'leader_support',
      name: 'Leader engagement',
      description:
        "The leader vets plans, is reachable when people are stuck, clears roadblocks and has the team's back.",
    },
    {
      key: 'over_control',
      name: 'Over-control',
      higherIsWorse: true,
      description:
        'The leader checks details, wants approval for small decisions and changes work without explaining; higher is worse.',
    },
  ],
  items: [
    {
      key: 'ps1',
      dimension: 'psych_safety',
      text: 'Mistakes on this team count against the person who made them.',
      selfText: 'When someone on my team makes a mistake, it counts against them.',
      reverse: true,
      source: EDMONDSON,
    },
    {
      key: 'ps2',
      dimension: 'psych_safety',
      text: 'I can speak up about problems and hard topics in this team.',
      selfText: 'People on my team can speak up about problems and hard topics.',
      reverse: false,
      source: EDMONDSON,
    },
    {
      key: 'ps3',
      dimension: 'psych_safety',
      text: 'I hesitate to ask people on this team for help.',
      selfText: 'People on my team hesitate to ask each other for help.',
      reverse: true,
      source: EDMONDSON,
    },
    {
      key: 'ps4',
      dimension: 'psych_safety',
      text: 'I can try something new here without fear of looking bad if it fails.',
      selfText: 'People on my team can try something new without fear of looking bad if it fails.',
      reverse: false,
      source: EDMONDSON,
    },
    {
      key: 'ps5',
      dimension: 'psych_safety',
      text: "My skills and ideas are valued on this team, even when they differ from others'.",
      selfText:
        "Each person's skills and ideas are valued on my team, even when they differ from others'.",
      reverse: false,
      source: EDMONDSON,
    },
    {
      key: 'pc1',
      dimension: 'purpose_clarity',
      text: 'I know what a good result of my current work looks like.',
      selfText: 'People on my team know what a good result of their current work looks like.',
      reverse: false,
      source: RHL,
    },
    {
      key: 'pc2',
      dimension: 'purpose_clarity',
      text: 'I understand why my work matters, to the team and beyond.',
      selfText: 'People on my team understand why their work matters, to the team and beyond.',
      reverse: false,
      source: REWORK_MEANING,
    },
    {
      key: 'pc3',
      dimension: 'purpose_clarity',
      text: 'It is clear to me what I am responsible for.',
      selfText: 'It is clear to each person on my team what they are responsible for.',
      reverse: false,
      source: RHL,
    },
    {
      key: 'pc4',
      dimension: 'purpose_clarity',
      text: 'I often have to guess what I am supposed to be working toward.',
      selfText:
        'People on my team often have to guess what they are supposed to be working toward.',
      reverse: true,
      source: RHL,
    },
    {
      key: 'pc5',
      dimension: 'purpose_clarity',
      text: "I could explain our team's current goals to a new colleague.",
      selfText: "Anyone on my team could explain our team's current goals to a new colleague.",
      reverse: false,
      source: REWORK_CLARITY,
    },
    {
      key: 'dr1',
      dimension: 'decision_rights',
      text: 'I can decide how to do my work without asking for permission.',
      selfText: 'People on my team decide how to do their work without asking me for permission.',
      reverse: false,
      source: WDQ_METHODS,
    },
    {
      key: 'dr2',
      dimension: 'decision_rights',
      text: 'I choose the methods and tools I use to get my work done.',
      selfText: 'People on my team choose the methods and tools they use to get their work done.',
      reverse: false,
      source: WDQ_METHODS,
    },
    {
      key: 'dr3',
      dimension: 'decision_rights',
      text: 'Within my area, I make decisions myself instead of passing them up.',
      selfText:
        'Within their area, people on my team make decisions themselves instead of passing them up to me.',
      reverse: false,
      source: WDQ_DECISIONS,
    },
    {
      key: 'dr4',
      dimension: 'decision_rights',
      text: 'I know the limits within which I can decide on my own.',
      selfText: 'People on my team know the limits within which they can decide on their own.',
      reverse: false,
      source: KNIBERG,
    },
    {
      key: 'al1',
      dimension: 'alignment',
      text: "I can see how my work connects to the team's goals.",
      selfText: "People on my team can see how their work connects to the team's goals.",
      reverse: false,
      source: KNIBERG,
    },
    {
      key: 'al2',
      dimension: 'alignment',
      text: 'People on this team agree on what matters most right now.',
      selfText: 'People on my team agree on what matters most right now.',
      reverse: false,
      source: KNIBERG,
    },
    {
      key: 'al3',
      dimension: 'alignment',
      text: 'Our priorities change so often that work gets wasted.',
      selfText: "My team's priorities change so often that work gets wasted.",
      reverse: true,
      source: KNIBERG,
    },
    {
      key: 'al4',
      dimension: 'alignment',
      text: 'When I must choose between two tasks, I know which one the team needs first.',
      selfText:
        'When people on my team must choose between two tasks, they know which one the team needs first.',
      reverse: false,
      source: KNIBERG,
    },
    {
      key: 'ls1',
      dimension: 'leader_support',
      text: 'My leader goes through our plans with us before the work starts.',
      selfText: 'I go through plans with my team before the work starts.',
      reverse: false,
      source: NOT_LAISSEZ_FAIRE,
    },
    {
      key: 'ls2',
      dimension: 'leader_support',
      text: 'When I am stuck, I can reach my leader in time to keep going.',
      selfText: 'When people on my team are stuck, they can reach me in time to keep going.',
      reverse: false,
      source: NOT_LAISSEZ_FAIRE,
    },
    {
      key: 'ls3',
      dimension: 'leader_support',
      text: 'My leader follows our progress so they can clear roadblocks early.',
      selfText: "I follow my team's progress so I can clear roadblocks early.",
      reverse: false,
      source: NOT_LAISSEZ_FAIRE,
    },
    {
      key: 'ls4',
      dimension: 'leader_support',
      text: 'My leader stands up for the team when things get difficult.',
      selfText: 'I stand up for my team when things get difficult.',
      reverse: false,
      source: NOT_LAISSEZ_FAIRE,
    },
    {
      key: 'ls5',
      dimension: 'leader_support',
      text: 'When we need a decision from my leader, it is slow to come.',
      selfText: 'When my team needs a decision from me, it is slow to come.',
      reverse: true,
      source: NOT_LAISSEZ_FAIRE,
    },
    {
      key: 'oc1',
      dimension: 'over_control',
      text: 'My leader checks details of my work that I could handle myself.',
      selfText: "I check details of my team members' work that they could handle themselves.",
      reverse: false,
      source: CLOSE_MONITORING,
    },
    {
      key: 'oc2',
      dimension: 'over_control',
      text: 'I need approval for small decisions.',
      selfText: 'People on my team need my approval for small decisions.',
      reverse: false,
      source: CLOSE_MONITORING,
    },
    {
      key: 'oc3',
      dimension: 'over_control',
      text: 'My work is changed without an explanation.',
      selfText: "I change my team members' work without explaining why.",
      reverse: false,
      source: CLOSE_MONITORING,
    },
    {
      key: 'oc4',
      dimension: 'over_control',
      text: 'My leader tells me the steps to follow, not just the result to reach.',
      selfText: 'I tell people on my team the steps to follow, not just the result to reach.',
      reverse: false,
      source: CLOSE_MONITORING,
    },
  ],
});

/** A shared module constant: freezing stops one caller's edit from changing every later survey. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
