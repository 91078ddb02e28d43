import { ErrorSummary, Field, PostForm } from '../views/components';
import { Layout } from '../views/layout';

export interface SignInPageProps {
  /** Why the last attempt failed, in words for people. */
  problem?: string;
  email?: string;
  /** The console page to return to after signing in. */
  next?: string;
  /** A confirmation, e.g. after setting a password. */
  notice?: string;
}

export function SignInPage({ problem, email, next, notice }: SignInPageProps) {
  const problems = problem ? [{ field: 'email', message: problem }] : [];
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      <div class="card">
        <p class="muted">
          For team leaders, HR and administrators. Team members answer surveys from their personal
          link and never need an account.
        </p>
        {notice ? (
          <p class="notice" role="status">
            {notice}
          </p>
        ) : null}
        <ErrorSummary problems={problems} />
        <PostForm action="/sign-in" class="stack">
          {next && next !== '/app' ? <input type="hidden" name="next" value={next} /> : null}
          <Field
            name="email"
            label="Email"
            input={{ type: 'email', autocomplete: 'username', required: true, value: email ?? '' }}
          />
          <Field
            name="password"
            label="Password"
            input={{ type: 'password', autocomplete: 'current-password', required: true }}
          />
          <Field
            name="organisation"
            label="Organisation (only if you belong to several)"
            input={{ type: 'text', autocomplete: 'organization' }}
          />
          <button type="submit">Sign in</button>
        </PostForm>
        <p>
          <a href="/forgot-password">Forgot your password?</a>
        </p>
      </div>
    </Layout>
  );
}
