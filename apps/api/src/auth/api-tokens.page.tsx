import type { ApiTokenView } from '@trellis/identity';
import {
  ErrorSummary,
  Field,
  Notice,
  PostForm,
  TableWrap,
  type FieldProblem,
} from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';

/** A moment as people read it, in UTC, with the exact time for machines. */
function When({ at, never }: { at: Date | string | null; never: string }) {
  if (at === null) return <span class="muted">{never}</span>;
  const iso = new Date(at).toISOString();
  return <time dateTime={iso}>{`${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`}</time>;
}

export interface ApiTokensPageProps {
  orgId: string;
  tokens: ApiTokenView[];
  problems?: FieldProblem[];
  typedName?: string;
  notice?: string;
}

function CreateForm({ orgId, problems, typedName }: ApiTokensPageProps) {
  return (
    <section class="card" aria-labelledby="create-h">
      <h2 id="create-h">Create a token</h2>
      <p>
        A token lets a script or another system call the Trellis API as you, with your roles, until
        it is revoked or you lose those roles. Its secret is shown once, right after it is made.
      </p>
      <ErrorSummary problems={problems ?? []} />
      <PostForm action={consolePaths.tokens(orgId)} class="stack">
        <Field
          name="name"
          label="Name"
          hint="What it is for, so others know whether it is still needed (e.g. Power BI refresh)."
          problems={problems}
          input={{ value: typedName ?? '', maxLength: 100, autoComplete: 'off', required: true }}
        />
        <button type="submit">Create token</button>
      </PostForm>
    </section>
  );
}

function TokenTable({ tokens }: { tokens: ApiTokenView[] }) {
  if (!tokens.length) return <p>No tokens yet.</p>;
  return (
    <TableWrap label="API tokens">
      <table class="tokens">
        <caption class="visually-hidden">API tokens, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Last used</th>
            <th scope="col">Created</th>
            <th scope="col">Owner</th>
            <th scope="col">Ends in</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr>
              <th scope="row">{token.name}</th>
              <td>
                {token.revokedAt ? (
                  <>
                    Revoked <When at={token.revokedAt} never="" />
                  </>
                ) : (
                  <>
                    Active ·{' '}
                    <a
                      href={consolePaths.tokenRevoke(token.id)}
                      aria-label={`Revoke ${token.name}`}
                    >
                      Revoke…
                    </a>
                  </>
                )}
              </td>
              <td>
                <When at={token.lastUsedAt} never="never" />
              </td>
              <td>
                <When at={token.createdAt} never="" />
              </td>
              <td>{token.createdBy.name}</td>
              <td>
                <code>{token.tokenHint}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The organisation's API tokens: make one, see when each was last used, revoke. */
export function ApiTokensPage(props: ApiTokensPageProps) {
  const active = props.tokens.filter((t) => !t.revokedAt).length;
  return (
    <Layout title="API tokens">
      <h1>API tokens</h1>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      <CreateForm {...props} />
      <section class="card" aria-labelledby="tokens-h">
        <h2 id="tokens-h">Tokens</h2>
        <p class="muted">
          {active} active of {props.tokens.length}. Revoked tokens are forgotten after a while.
        </p>
        <TokenTable tokens={props.tokens} />
      </section>
    </Layout>
  );
}

/** The one time the secret is shown. */
export function ApiTokenCreatedPage({
  orgId,
  token,
}: {
  orgId: string;
  token: ApiTokenView & { token: string };
}) {
  return (
    <Layout title="Token created">
      <h1>Token created: {token.name}</h1>
      <section class="card" aria-labelledby="secret-h">
        <h2 id="secret-h">Copy the secret now</h2>
        <p>
          This is the only time it is shown: Trellis keeps only a hash of it and cannot show it
          again. If it is lost, revoke the token and create another.
        </p>
        <label for="secret">Secret</label>
        <p class="secret">
          <output id="secret">{token.token}</output>
        </p>
        <p class="hint">
          Send it with each request as the header <code>Authorization: Bearer …</code>. Anyone
          holding it can call the API as you, so keep it in a secret store, not in code.
        </p>
        <p>
          <a href={consolePaths.tokens(orgId)}>Done: back to API tokens</a>
        </p>
      </section>
    </Layout>
  );
}

/** Asks before revoking: whatever uses the token stops working at once. */
export function RevokeApiTokenPage({ token, orgId }: { token: ApiTokenView; orgId: string }) {
  return (
    <Layout title={`Revoke ${token.name}`}>
      <h1>Revoke “{token.name}”?</h1>
      <section class="card">
        {token.revokedAt ? (
          <p>
            This token was revoked <When at={token.revokedAt} never="" />.
          </p>
        ) : (
          <>
            <p>
              Whatever uses this token (ending <code>{token.tokenHint}</code>, made by{' '}
              {token.createdBy.name}, last used <When at={token.lastUsedAt} never="never" />) stops
              working at once. This cannot be undone.
            </p>
            <PostForm action={consolePaths.tokenRevoke(token.id)} class="inline">
              <button type="submit" class="button danger">
                Revoke token
              </button>
            </PostForm>
          </>
        )}
        <p>
          <a href={consolePaths.tokens(orgId)}>Back to API tokens</a>
        </p>
      </section>
    </Layout>
  );
}
