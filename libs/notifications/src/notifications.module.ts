import { Module } from '@nestjs/common';
import { AppConfig } from '@trellis/config';
import { JobsModule } from '@trellis/jobs';
import { LogMailSender, MAIL_SENDER, SmtpMailSender } from './mail.sender';
import { NotificationsService } from './notifications.service';

@Module({
  imports: [JobsModule],
  providers: [
    NotificationsService,
    {
      provide: MAIL_SENDER,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.env.SMTP_URL
          ? new SmtpMailSender(config.env.SMTP_URL, config.env.MAIL_FROM)
          : new LogMailSender(),
    },
  ],
  exports: [NotificationsService],
})
export class NotificationsModule {}
