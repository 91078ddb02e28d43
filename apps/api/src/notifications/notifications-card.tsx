import { flagTitle, type NotificationView } from '@trellis/notifications';
import { TableWrap } from '../views/components';

const STATUS_WORDS: Record<NotificationView['status'], string> = {
  sent: 'sent',
  pending: 'being tried',
  failed: 'failed',
};

function Summary({ notifications }: { notifications: readonly NotificationView[] }) {
  if (!notifications.length)
    return (
      <p class="muted">No team has had a new confirmed flag yet, so nobody has been notified.</p>
    );
  const failed = notifications.filter((n) => n.status === 'failed').length;
  return failed ? (
    <p class="error">
      {failed} of the latest {notifications.length} deliveries failed; each shows its last error.
    </p>
  ) : (
    <p class="muted">The latest {notifications.length} deliveries, newest first.</p>
  );
}

/**
 * The record of flag notifications: who was told about which new flag, and above all which
 * deliveries failed and why, so a broken webhook or mail server is seen, not assumed away.
 */
export function NotificationsCard({
  notifications,
}: {
  notifications: readonly NotificationView[];
}) {
  return (
    <section class="card" aria-labelledby="notify-h">
      <h2 id="notify-h">Flag notifications</h2>
      <Summary notifications={notifications} />
      {notifications.length ? (
        <TableWrap label="Notifications of new flags">
          <table>
            <caption>Notifications of new flags</caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Flag</th>
                <th scope="col">To</th>
                <th scope="col">Delivery</th>
              </tr>
            </thead>
            <tbody>
              {notifications.map((n) => (
                <tr
                  data-notification={n.id}
                  class={n.status === 'failed' ? 'failed' : undefined}
                  key={n.id}
                >
                  <th scope="row">{n.unitName}</th>
                  <td>{flagTitle(n.flagCode)}</td>
                  <td>
                    {n.channel === 'email' ? 'email to' : 'webhook at'} {n.recipient}
                  </td>
                  <td>
                    {STATUS_WORDS[n.status]}
                    {n.attempts > 1 ? ` after ${n.attempts} attempts` : ''}
                    {n.lastError && n.status !== 'sent' ? (
                      <>
                        <br />
                        <span class="muted">{n.lastError}</span>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </section>
  );
}
