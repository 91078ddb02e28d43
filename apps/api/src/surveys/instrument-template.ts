/** The definition a new questionnaire's form starts from: small, valid, and every field shown. */
export const INSTRUMENT_TEMPLATE = {
  key: 'team-check',
  name: 'Team check',
  description: 'A short check on how the team works together.',
  scale: {
    min: 1,
    max: 5,
    labels: ['Strongly disagree', 'Disagree', 'Neither', 'Agree', 'Strongly agree'],
  },
  dimensions: [
    { key: 'clarity', name: 'Clarity', description: 'People know what matters and why.' },
    { key: 'support', name: 'Support', description: 'Help is there when people are stuck.' },
  ],
  items: [
    {
      key: 'cl1',
      dimension: 'clarity',
      text: 'I know what our team is trying to achieve.',
      reverse: false,
    },
    {
      key: 'cl2',
      dimension: 'clarity',
      text: 'I often guess what is expected of me.',
      reverse: true,
    },
    {
      key: 'su1',
      dimension: 'support',
      text: 'When I am stuck, I get help quickly.',
      reverse: false,
      source: 'Own wording',
    },
  ],
};
