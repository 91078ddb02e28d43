export { SurveysModule } from './surveys.module';
export {
  InstrumentsService,
  type InstrumentSummary,
  type InstrumentVersionView,
} from './instruments.service';
export {
  CampaignsService,
  PREVIEW_ROUNDS,
  type CampaignChanges,
  type CampaignDetail,
  type CampaignInput,
  type CampaignView,
  type CampaignScope,
} from './campaigns.service';
export { RoundsService, type RoundView, type RoundTeamView, type DueWork } from './rounds.service';
export type { LiveRoundView, RoundReminderView, RoundScope, RoundState } from './round-views';
export { ResultsRederivation, type StaleRound } from './results-basis';
export { InvitationsService, REMIND_NOW_QUIET_MINUTES } from './invitations.service';
export { ParticipationReader } from './participation-reader';
export { ResponseMixer } from './response-mixer';
export { SealingModule } from './sealing.module';
export { AnswerSealer } from './sealing';
export {
  PulseService,
  type PulseForm,
  type PulsePromises,
  type PulseReceipt,
  CONVERSATION_TOKEN_PREFIX,
  CONVERSATION_TOKEN_SHAPE,
} from './pulse.service';
export { HistoryImportService, type HistoryImportSummary } from './history/history-import.service';
export {
  INVITATION_SENDER,
  type InvitationSender,
  type InvitationMessage,
} from './delivery/invitation-sender';
export { CADENCES, nextPeriods, type Cadence, type Period } from './schedule/cadence';
export {
  AUTONOMY_ALIGNMENT_PULSE,
  DEFAULT_MAX_COMMENT_LENGTH,
  NOTHING_ANSWERED,
  REQUIRED,
  dimensionScale,
  scaleLabels,
  type InstrumentDef,
  type Scale,
} from './instrument';
export { closesText } from './schedule/closes-text';
