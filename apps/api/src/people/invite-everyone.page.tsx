import { PostForm } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';

export interface InviteEveryonePageProps {
  organisationId: string;
  /** How many people the invitation would reach now. */
  count: number;
}

/** The confirmation before inviting everyone imported who needs an account. */
export function InviteEveryonePage({ organisationId, count }: InviteEveryonePageProps) {
  return (
    <Layout title="Invite everyone imported">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={consolePaths.people(organisationId)}>People</a>
      </nav>
      <h1>Invite everyone imported</h1>
      <div class="card">
        <p>
          This emails a sign-in invitation to everyone who needs an account and has none yet: active
          people without a password who are HR, an admin, or lead a team. Each gets a link to choose
          a password; it works once, for three days. People with an invitation still working are not
          invited twice.
        </p>
        <p>
          Team members are not invited: they answer surveys from the personal link in each survey
          email and never need an account.
        </p>
        {count ? (
          <PostForm action={consolePaths.signInInvitations(organisationId)} class="stack">
            <p>
              <strong>
                {count} {count === 1 ? 'person' : 'people'}
              </strong>{' '}
              would get an invitation now.
            </p>
            <button type="submit">
              Send {count} {count === 1 ? 'invitation' : 'invitations'}
            </button>
          </PostForm>
        ) : (
          <p>
            <strong>Nobody</strong> needs an invitation now: everyone who leads a team or holds a
            role has a password already.
          </p>
        )}
        <p>
          <a href={consolePaths.people(organisationId)}>Back to people</a>
        </p>
      </div>
    </Layout>
  );
}
