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
export { secretMailSender, type Mail, type MailSender } from './mail.sender';
