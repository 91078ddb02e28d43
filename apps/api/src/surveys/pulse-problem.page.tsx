import { Layout } from '../views/layout';

/**
 * Why a personal link shows no form. Anonymous like the form: nothing about the link, the
 * person or what they sent, and no way into the console (a team member has no account).
 */
export type PulseProblem = 'not_found' | 'answered' | 'closed' | 'unsupported' | 'busy' | 'failed';

const PROBLEMS: Record<PulseProblem, { title: string; heading: string; text: string[] }> = {
  not_found: {
    title: 'Link not valid',
    heading: 'This link is not valid',
    text: [
      'Check that you opened the whole link from your invitation or reminder email; some email programs break long links.',
      'If it still does not work, use the link from the newest email you received for this survey.',
    ],
  },
  answered: {
    title: 'Already answered',
    heading: 'You have already answered',
    text: [
      'This link has already been used to answer, and each link answers only once. Your earlier answers are kept and cannot be changed.',
      'Thank you for taking part. You can close this page.',
    ],
  },
  closed: {
    title: 'Round closed',
    heading: 'This round has closed',
    text: [
      'The survey this link belongs to no longer takes answers.',
      'Thank you for your interest. You can close this page; the next round comes with a new invitation.',
    ],
  },
  unsupported: {
    title: 'Form not recognised',
    heading: 'Your answers could not be read',
    text: ['Nothing has been saved. Go back to the form and send it again from the page itself.'],
  },
  busy: {
    title: 'Too many requests',
    heading: 'Too many requests just now',
    text: ['Nothing has been saved. Wait a minute, then go back and send your answers again.'],
  },
  failed: {
    title: 'Something went wrong',
    heading: 'Something went wrong',
    text: ['Nothing has been saved. Please go back and send your answers again in a moment.'],
  },
};

/**
 * The problem a status of the answering routes stands for. (A body the parsers refuse, over
 * MAX_JSON_BODY_BYTES or 1,000 fields, is answered before any route, in JSON: no form this page
 * serves comes near either.)
 */
export function pulseProblemFor(status: number): PulseProblem {
  switch (status) {
    case 404:
      return 'not_found';
    case 409:
      return 'answered';
    case 410:
      return 'closed';
    case 415:
      return 'unsupported';
    case 429:
      return 'busy';
    default:
      return 'failed';
  }
}

export function PulseProblemPage({ problem }: { problem: PulseProblem }) {
  const p = PROBLEMS[problem];
  return (
    <Layout title={p.title} bodyClass="pulse" brandHref={null}>
      <h1>{p.heading}</h1>
      <div class="card">
        {p.text.map((t) => (
          <p>{t}</p>
        ))}
      </div>
    </Layout>
  );
}
