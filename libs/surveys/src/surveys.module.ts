import { Module } from '@nestjs/common';
import { AuditModule } from '@trellis/audit';
import { AppConfig } from '@trellis/config';
import { JobsModule } from '@trellis/jobs';
import { CampaignsService } from './campaigns.service';
import { INVITATION_SENDER } from './delivery/invitation-sender';
import { OutboxSender } from './delivery/outbox.sender';
import { SmtpSender } from './delivery/smtp.sender';
import { HistoryImportService } from './history/history-import.service';
import { InstrumentsService } from './instruments.service';
import { InvitationsService } from './invitations.service';
import { ParticipationReader } from './participation-reader';
import { PulseService } from './pulse.service';
import { ResultsRederivation } from './results-basis';
import { ResponseMixer } from './response-mixer';
import { RoundsService } from './rounds.service';
import { SealingModule } from './sealing.module';

@Module({
  imports: [JobsModule, SealingModule, AuditModule],
  providers: [
    ResponseMixer,
    ParticipationReader,
    InstrumentsService,
    CampaignsService,
    RoundsService,
    InvitationsService,
    PulseService,
    HistoryImportService,
    ResultsRederivation,
    {
      provide: INVITATION_SENDER,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.env.SMTP_URL
          ? new SmtpSender(config.env.SMTP_URL, config.env.MAIL_FROM)
          : new OutboxSender(config.env.OUTBOX_DIR),
    },
  ],
  exports: [
    SealingModule,
    ResponseMixer,
    ParticipationReader,
    InstrumentsService,
    CampaignsService,
    RoundsService,
    InvitationsService,
    PulseService,
    HistoryImportService,
    ResultsRederivation,
  ],
})
export class SurveysModule {}
