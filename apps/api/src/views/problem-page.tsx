import { Layout } from './layout';
import { consolePaths } from './navigation';

const PROBLEMS: Record<number, { title: string; text: string }> = {
  400: {
    title: 'This address is not valid',
    text: 'The link you followed is incomplete or mistyped.',
  },
  401: { title: 'Please sign in', text: 'Sign in to see this page.' },
  403: {
    title: 'You do not have access to this page',
    text: 'Leaders see the teams they lead and the units below them; HR and administrators see the whole organisation; setup is for administrators.',
  },
  404: {
    title: 'Not found',
    text: 'There is no such page, or it belongs to another organisation.',
  },
  409: { title: 'This changed meanwhile', text: 'Reload the page and try again.' },
  410: { title: 'No longer available', text: 'This has expired or was withdrawn.' },
  413: { title: 'Too large', text: 'What you sent is larger than this page accepts.' },
  429: { title: 'Too many requests', text: 'Wait a minute and try again.' },
  503: {
    title: 'Not available just now',
    text: 'Part of Trellis is catching up. Try again in a minute.',
  },
};

/** The page for a refusal or a missing page; it says nothing about what was asked for. */
export function ProblemPage({ status, message }: { status: number; message?: string }) {
  const p = PROBLEMS[status] ?? { title: 'Something went wrong', text: 'Try again in a moment.' };
  return (
    <Layout title={p.title}>
      <h1>{p.title}</h1>
      <section class="card">
        <p>{message ?? p.text}</p>
        <p>
          {status === 401 ? (
            <a href={consolePaths.signIn}>Sign in</a>
          ) : (
            <a href={consolePaths.home}>Back to the start page</a>
          )}
        </p>
      </section>
    </Layout>
  );
}
