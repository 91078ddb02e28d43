import type { SignInLinkView } from '@trellis/identity';
import { MIN_PASSWORD_LENGTH } from '@trellis/identity';
import { ErrorSummary, Field, PostForm, type FieldProblem } from '../views/components';
import { Layout } from '../views/layout';

export interface SetPasswordPageProps {
  /** The link's token, for the form's address; null when the link no longer works. */
  token: string | null;
  link: SignInLinkView | null;
  problems?: FieldProblem[];
}

export function SetPasswordPage({ token, link, problems = [] }: SetPasswordPageProps) {
  if (!token || !link)
    return (
      <Layout title="This link no longer works">
        <h1>This link no longer works</h1>
        <div class="card">
          <p>
            A link to set a password works once, and only for a while (an invitation for three days,
            a password reset for one hour). This one was used already, has expired, or was replaced
            by a newer one.
          </p>
          <p>
            <a href="/forgot-password">Ask for a new link</a> or ask an administrator to invite you
            again.
          </p>
        </div>
      </Layout>
    );
  const invite = link.purpose === 'invite';
  return (
    <Layout title={invite ? 'Choose your password' : 'Choose a new password'}>
      <h1>{invite ? 'Choose your password' : 'Choose a new password'}</h1>
      <div class="card">
        <p>
          {invite ? 'Welcome to Trellis for ' : 'A new password for Trellis at '}
          <strong>{link.organisationName}</strong>. You will sign in as{' '}
          <strong>{link.email}</strong>.
        </p>
        <ErrorSummary problems={problems} />
        <PostForm action={`/set-password/${token}`} class="stack">
          <input type="hidden" name="username" value={link.email} autocomplete="username" />
          <Field
            name="password"
            label="New password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words are easy to remember and hard to guess.`}
            problems={problems}
            input={{
              type: 'password',
              autocomplete: 'new-password',
              required: true,
              minLength: MIN_PASSWORD_LENGTH,
              maxLength: 1000,
            }}
          />
          <Field
            name="confirm"
            label="The same password again"
            problems={problems}
            input={{ type: 'password', autocomplete: 'new-password', required: true }}
          />
          <button type="submit">Set password</button>
        </PostForm>
        <p class="muted">
          Setting it signs you out everywhere else. Then sign in with your email and this password.
        </p>
      </div>
    </Layout>
  );
}
