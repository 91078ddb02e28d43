import { privateHostProblem } from './webhook-address';

/** Who hears about a new confirmed flag besides the team's leaders. */
export interface NotificationSettings {
  /** Email HR too. */
  notifyHr: boolean;
  /** Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat, Teams workflows…). */
  webhookUrl: string | null;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  notifyHr: false,
  webhookUrl: null,
};

type Reading =
  | { ok: true; value: NotificationSettings }
  | { ok: false; problems: { field: string; message: string }[] };

/**
 * Validates the `notifications` settings an admin sends; unknown keys are refused by name. A
 * webhook whose host is written as a private address (or localhost) is refused unless the
 * installation allows private webhooks (WEBHOOK_ALLOW_PRIVATE); names are checked again, with
 * every address they resolve to, at each delivery.
 */
export function notificationSettings(
  input: unknown,
  options: { allowPrivate: boolean } = { allowPrivate: false },
): Reading {
  if (input === undefined) return { ok: true, value: DEFAULT_NOTIFICATION_SETTINGS };
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, problems: [{ field: 'notifications', message: 'must be an object' }] };
  const raw = input as Record<string, unknown>;
  const problems: { field: string; message: string }[] = [];
  for (const key of Object.keys(raw))
    if (key !== 'notifyHr' && key !== 'webhookUrl')
      problems.push({
        field: `notifications.${key}`,
        message: 'is not a setting (known: notifyHr, webhookUrl)',
      });
  if (raw.notifyHr !== undefined && typeof raw.notifyHr !== 'boolean')
    problems.push({ field: 'notifications.notifyHr', message: 'must be true or false' });
  let webhookUrl: string | null = null;
  if (raw.webhookUrl !== undefined && raw.webhookUrl !== null) {
    const text = typeof raw.webhookUrl === 'string' ? raw.webhookUrl : '';
    const url = text.length <= 2000 ? URL.parse(text) : null;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      problems.push({
        field: 'notifications.webhookUrl',
        message: 'must be an http:// or https:// address of at most 2000 characters',
      });
    else {
      const problem = options.allowPrivate ? null : privateHostProblem(url);
      if (problem)
        problems.push({
          field: 'notifications.webhookUrl',
          message: `${problem}: webhooks reach the public internet only (WEBHOOK_ALLOW_PRIVATE is off)`,
        });
      else webhookUrl = url.href;
    }
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { notifyHr: raw.notifyHr === true, webhookUrl } };
}

/** The stored settings, or the defaults where they no longer read (delivery checks the address). */
export function notificationSettingsOrDefault(input: unknown): NotificationSettings {
  const reading = notificationSettings(input, { allowPrivate: true });
  return reading.ok ? reading.value : DEFAULT_NOTIFICATION_SETTINGS;
}
