import { flagTitle, type NotificationView } from '@trellis/notifications';
import { esc, tableWrap } from './html';

const STATUS_WORDS: Record<NotificationView['status'], string> = {
  sent: 'sent',
  pending: 'being tried',
  failed: 'failed',
};

/**
 * The overview's record of flag notifications: who was told about which new flag, and above all
 * which deliveries failed and why, so a broken webhook or mail server is seen, not assumed away.
 */
export function notificationsCard(notifications: readonly NotificationView[]): string {
  const failed = notifications.filter((n) => n.status === 'failed').length;
  const summary = notifications.length
    ? failed
      ? `<p class="error">${failed} of the latest ${notifications.length} deliveries failed; each shows its last error.</p>`
      : `<p class="muted">The latest ${notifications.length} deliveries, newest first.</p>`
    : '<p class="muted">No team has had a new confirmed flag yet, so nobody has been notified.</p>';
  const rows = notifications
    .map(
      (n) => `<tr data-notification="${esc(n.id)}" class="${n.status === 'failed' ? 'failed' : ''}">
  <th scope="row">${esc(n.unitName)}</th><td>${esc(flagTitle(n.flagCode))}</td>
  <td>${n.channel === 'email' ? 'email to' : 'webhook at'} ${esc(n.recipient)}</td>
  <td>${esc(STATUS_WORDS[n.status])}${n.attempts > 1 ? ` after ${n.attempts} attempts` : ''}${
    n.lastError && n.status !== 'sent' ? `<br><span class="muted">${esc(n.lastError)}</span>` : ''
  }</td></tr>`,
    )
    .join('');
  const table = notifications.length
    ? tableWrap(
        'Flag notifications',
        `<table><caption>Notifications of new flags</caption><thead><tr><th scope="col">Team</th><th scope="col">Flag</th><th scope="col">To</th><th scope="col">Delivery</th></tr></thead><tbody>${rows}</tbody></table>`,
      )
    : '';
  return `<section class="card" aria-labelledby="notify-h">
  <h2 id="notify-h">Flag notifications</h2>
  ${summary}${table}
</section>`;
}
