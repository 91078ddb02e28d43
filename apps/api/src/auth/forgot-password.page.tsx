import { ErrorSummary, Field, PostForm, type FieldProblem } from '../views/components';
import { Layout } from '../views/layout';

export interface ForgotPasswordPageProps {
  problems?: FieldProblem[];
  email?: string;
  /** After the form was sent: the same words whether the email is known or not. */
  sent?: boolean;
}

export function ForgotPasswordPage({ problems = [], email, sent }: ForgotPasswordPageProps) {
  return (
    <Layout title="Forgot your password">
      <h1>Forgot your password</h1>
      <div class="card">
        {sent ? (
          <>
            <p class="notice" role="status">
              If this email belongs to an account, a link to choose a new password is on its way.
            </p>
            <p>
              The link works once, for one hour. Nothing arrived after a few minutes? Look in your
              spam folder, or ask an administrator to send you a sign-in invitation.
            </p>
          </>
        ) : (
          <>
            <p>
              Enter the email you sign in with. We send a link to choose a new password; it works
              once, for one hour.
            </p>
            <ErrorSummary problems={problems} />
            <PostForm action="/forgot-password" class="stack">
              <Field
                name="email"
                label="Email"
                problems={problems}
                input={{
                  type: 'email',
                  autocomplete: 'username',
                  required: true,
                  value: email ?? '',
                }}
              />
              <button type="submit">Send the link</button>
            </PostForm>
          </>
        )}
        <p>
          <a href="/sign-in">Back to sign in</a>
        </p>
      </div>
    </Layout>
  );
}
