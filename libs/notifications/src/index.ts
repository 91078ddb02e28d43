export { NotificationsModule } from './notifications.module';
export {
  COULD_NOT_DELIVER,
  NotificationsService,
  type NotificationStatus,
  type NotificationView,
} from './notifications.service';
export {
  DEFAULT_NOTIFICATION_SETTINGS,
  notificationSettings,
  notificationSettingsOrDefault,
  type NotificationSettings,
} from './notification-settings';
export { flagTitle, renderFlagEmail, slackPayload, type FlagNews } from './flag-message';
export { isNonPublicAddress, privateHostProblem } from './webhook-address';
export {
  WebhookFailure,
  postWebhookForAnswer,
  type WebhookAnswer,
  type WebhookPost,
} from './webhook-post';
export { secretMailSender, type Mail, type MailSender } from './mail.sender';
