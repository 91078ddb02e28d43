import type { PulseReceipt } from '@trellis/surveys';
import { Layout } from '../views/layout';
import { PrivacyList } from './pulse-privacy';

/** After a stored submission: thanks, the same promises, and that the link is now used. */
/**
 * The author's private conversation link, shown here once: the application keeps only a keyed
 * hash of it, inside the sealed answer, so it can never be shown again.
 */
function ConversationLink({ receipt, publicUrl }: { receipt: PulseReceipt; publicUrl: string }) {
  if (receipt.repeated) {
    return (
      <div class="card">
        <h2>Your private conversation link</h2>
        <p>
          Your answers were already stored; their private link was shown the first time and cannot
          be shown again.
        </p>
      </div>
    );
  }
  if (!receipt.conversation) return null;
  const path = `/c/${receipt.conversation}`;
  const link = `${publicUrl.replace(/\/$/, '')}${path}`;
  return (
    <section class="card conversation-link" aria-labelledby="conversation-h">
      <h2 id="conversation-h">Your private conversation link</h2>
      <p>
        The people who read your comments can reply. With this link you read their replies and
        answer, without anyone learning who you are. <strong>It is shown only now</strong>: Trellis
        keeps no copy it could show again. Bookmark it or copy it somewhere safe.
      </p>
      <p class="link-box">
        <a href={path}>{link}</a>
      </p>
      <form method="post" action={`${path}/email`} class="reply-form">
        <input type="hidden" name="proof" value={receipt.conversationProof ?? ''} />
        <div class="field">
          <label for="email">Or email it to yourself</label>
          <p class="hint" id="email-hint">
            Sent now and forgotten: the address is not stored anywhere. Use a private address if you
            prefer.
          </p>
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="email"
            aria-describedby="email-hint"
          />
        </div>
        <button type="submit" class="secondary">
          Email me the link
        </button>
      </form>
    </section>
  );
}

export function PulseThanksPage({
  receipt,
  publicUrl = '',
}: {
  receipt: PulseReceipt;
  publicUrl?: string;
}) {
  const { teamName, organisationName, audience, promises } = receipt;
  const self = audience === 'leader_self';
  return (
    <Layout
      title={`Thank you · ${teamName}`}
      bodyClass="pulse"
      brandHref={null}
      aside={<span class="meta">{organisationName}</span>}
    >
      <h1>Thank you</h1>
      <div class="card">
        <p class="lead">
          {self
            ? `Your view of ${teamName} has been saved.`
            : `Your answers for ${teamName} have been received.`}
        </p>
        <h2>{self ? 'What happens with your self-view' : 'Who sees your answers'}</h2>
        <div class="privacy">
          <PrivacyList audience={audience} teamName={teamName} promises={promises} sent />
        </div>
      </div>
      <ConversationLink receipt={receipt} publicUrl={publicUrl} />
      <p>Your survey link has now been used and cannot be used again. You can close this page.</p>
    </Layout>
  );
}
