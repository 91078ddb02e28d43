import type { PulseReceipt } from '@trellis/surveys';
import { Layout } from '../views/layout';
import { PrivacyList } from './pulse-privacy';

/** After a stored submission: thanks, the same promises, and that the link is now used. */
export function PulseThanksPage({ receipt }: { receipt: PulseReceipt }) {
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
      <p>Your link has now been used and cannot be used again. You can close this page.</p>
    </Layout>
  );
}
