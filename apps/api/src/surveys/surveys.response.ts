import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CADENCES, type Cadence } from '@trellis/surveys';

export class NextRoundDto {
  @ApiProperty({ format: 'date', description: 'The local day the round opens on' })
  periodStart!: string;
  @ApiProperty({ format: 'date' }) periodEnd!: string;
  @ApiProperty({ type: String, format: 'date-time' }) opensAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) closesAt!: Date;
}

export class CampaignDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ example: 'Engineering pulse' }) name!: string;
  @ApiProperty({ format: 'uuid' }) instrumentId!: string;
  @ApiProperty({ enum: ['short', 'full'] }) form!: 'short' | 'full';
  @ApiProperty({ enum: CADENCES }) cadence!: Cadence;
  @ApiProperty({ nullable: true, type: String, example: '0 9 * * 1' }) cron!: string | null;
  @ApiProperty({ example: 'Europe/Berlin' }) timezone!: string;
  @ApiProperty({ description: 'How long a round stays open, in days', example: 5 })
  openDays!: number;
  @ApiProperty({ type: [Number], description: 'Days after opening when reminders go' })
  reminderDays!: number[];
  @ApiProperty() leaderSelfView!: boolean;
  @ApiProperty({ format: 'date', example: '2026-12-01' }) startsOn!: string;
  @ApiProperty({ description: 'false: paused, no new rounds open' }) active!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'uuid', isArray: true }) teamIds!: string[];
  @ApiProperty({
    type: [NextRoundDto],
    description: 'The next five rounds the schedule opens, in order; empty while paused',
  })
  nextRounds!: NextRoundDto[];
}

export class RoundSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'null for an imported round',
  })
  campaignId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'null for an imported round' })
  campaignName!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Europe/Berlin',
    description: "The campaign's time zone, in which its rounds open and close",
  })
  timezone!: string | null;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: 'open' | 'closed';
  @ApiProperty({
    enum: ['open', 'closing', 'aggregating', 'aggregated', 'recomputing'],
    description:
      'closing: past its closing time or asked to close, the worker has not closed it yet; aggregating: closed, results not computed yet; recomputing: results on an older basis are being computed again',
  })
  state!: 'open' | 'closing' | 'aggregating' | 'aggregated' | 'recomputing';
  @ApiProperty({ enum: ['schedule', 'import'] }) source!: 'schedule' | 'import';
  @ApiProperty({ example: 'short' }) form!: string;
  @ApiProperty({ description: "The round's number within its campaign" }) sequence!: number;
  @ApiProperty({ format: 'date' }) periodStart!: string;
  @ApiProperty({ format: 'date' }) periodEnd!: string;
  @ApiProperty({ type: String, format: 'date-time' }) opensAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) closesAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: Date | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When someone asked to close it early; null when it closed on schedule',
  })
  closeRequestedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) aggregatedAt!: Date | null;
  @ApiProperty({ type: [String], description: 'The items this round asks' }) itemKeys!: string[];
  @ApiProperty({ description: 'Scheduled reminders sent so far' }) remindersSent!: number;
  @ApiProperty({ description: 'Scheduled reminders the campaign plans per round' })
  remindersPlanned!: number;
}

class RoundTeamDto {
  @ApiProperty({ format: 'uuid' }) unitId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() invited!: number;
  @ApiProperty({
    description: 'Members who answered; while the round is open, rounded down to a multiple of k',
  })
  answered!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'answered / invited, 0..1' })
  responseRate!: number | null;
}

/** Participation only: who was invited and how many answered, per team. Never answers. */
class RoundReminderDto {
  @ApiProperty({ type: String, format: 'date-time' }) requestedAt!: Date;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it had gone to everyone who had not answered; null while going out',
  })
  sentAt!: Date | null;
}

class ImportedDto {
  @ApiProperty({ description: "Members' answers a history import put in this round" })
  respondents!: number;
  @ApiProperty({ description: 'The teams they answered for' }) teams!: number;
}

export class RoundDto extends RoundSummaryDto {
  @ApiProperty({ type: [RoundTeamDto] }) teams!: RoundTeamDto[];
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "While open, the organisation's k: answered counts move only in whole steps of it",
  })
  answeredStep!: number | null;
  @ApiProperty({
    type: [RoundReminderDto],
    description: 'Reminders asked for from the console, oldest first (never how many they reached)',
  })
  requestedReminders!: RoundReminderDto[];
  @ApiProperty({ type: ImportedDto, nullable: true, description: 'null unless imported' })
  imported!: ImportedDto | null;
}

export class CloseRequestDto {
  @ApiProperty({ format: 'uuid' }) roundId!: string;
  @ApiProperty({
    description: 'false when closing had already been asked for and is under way (nothing changed)',
  })
  requested!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) closesAt!: Date;
  @ApiProperty() message!: string;
}

export class ReminderRequestDto {
  @ApiProperty({ format: 'uuid' }) roundId!: string;
  @ApiProperty({ format: 'uuid' }) reminderId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) requestedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: Date | null;
  @ApiProperty({
    description:
      'true when a reminder was asked for in the last 10 minutes: that one stands, nobody is mailed twice',
  })
  repeated!: boolean;
  @ApiProperty() message!: string;
}

export class OpenRoundDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) campaignId!: string | null;
  @ApiProperty({ type: String, nullable: true }) campaignName!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Europe/Berlin' }) timezone!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) opensAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) closesAt!: Date;
  @ApiProperty({ enum: ['open', 'closing'] }) state!: string;
  @ApiProperty() invited!: number;
  @ApiProperty({ description: 'Summed over teams, each rounded down to a multiple of k' })
  answered!: number;
  @ApiProperty({ nullable: true, type: Number }) responseRate!: number | null;
  @ApiProperty({
    description:
      'Whether the caller may open, close or remind the round (HR, admins, a leader of every team in it)',
  })
  manageable!: boolean;
  @ApiProperty({
    type: [String],
    description: 'For a leader, the teams of theirs the counts cover; empty for HR and admins',
  })
  teamNames!: string[];
}

class ScaleDto {
  @ApiProperty({ example: 1 }) min!: number;
  @ApiProperty({ example: 5 }) max!: number;
  @ApiPropertyOptional({ type: [String], description: 'max - min + 1 labels, lowest first' })
  labels?: string[];
}

class DimensionDefDto {
  @ApiProperty({ example: 'autonomy' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiPropertyOptional({
    description:
      'A higher score is the unhealthy side (as for over-control): favourable shares and answer colours turn round. Absent means false, except that over_control is always true.',
  })
  higherIsWorse?: boolean;
  @ApiPropertyOptional({
    type: ScaleDto,
    description: "This dimension's own answer scale, overriding the instrument's",
  })
  scale?: ScaleDto;
}

class ItemDefDto {
  @ApiProperty({ example: 'au1' }) key!: string;
  @ApiProperty({ example: 'autonomy' }) dimension!: string;
  @ApiProperty() text!: string;
  @ApiPropertyOptional({ description: "The statement from the leader's side, for the self-view" })
  selfText?: string;
  @ApiProperty({ description: 'Agreeing indicates less of the dimension' }) reverse!: boolean;
  @ApiPropertyOptional({ description: 'Where the statement comes from' }) source?: string;
}

class InstrumentDefinitionDto {
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: ScaleDto }) scale!: ScaleDto;
  @ApiProperty({ type: [DimensionDefDto] }) dimensions!: DimensionDefDto[];
  @ApiProperty({ type: [ItemDefDto] }) items!: ItemDefDto[];
}

export class InstrumentSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'aap' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The built-in instrument every organisation shares' })
  builtIn!: boolean;
  @ApiProperty() latestVersion!: number;
}

class InstrumentVersionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) instrumentId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'A round has used it, so it is frozen' }) inUse!: boolean;
  @ApiProperty({ type: InstrumentDefinitionDto }) definition!: InstrumentDefinitionDto;
}

export class InstrumentDto extends InstrumentSummaryDto {
  @ApiProperty({ type: [InstrumentVersionDto], description: 'Newest first' })
  versions!: InstrumentVersionDto[];
}

class PulseItemDto {
  @ApiProperty({ example: 'ps1' }) key!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ example: 'psych_safety' }) dimension!: string;
  @ApiProperty({ type: ScaleDto, description: "The scale it is answered on (its dimension's)" })
  scale!: ScaleDto;
}

class PulseDimensionDto {
  @ApiProperty({ example: 'autonomy' }) key!: string;
  @ApiProperty() name!: string;
}

export class PulseFormDto {
  @ApiProperty({ enum: ['member', 'leader_self'] }) audience!: 'member' | 'leader_self';
  @ApiProperty() teamName!: string;
  @ApiProperty() organisationName!: string;
  @ApiProperty() instrumentName!: string;
  @ApiProperty({ type: String, format: 'date-time' }) closesAt!: Date;
  @ApiProperty({
    example: 'Europe/Berlin',
    description: "The campaign's time zone (IANA), in which the answering page states closesAt",
  })
  timeZone!: string;
  @ApiProperty({ type: ScaleDto, description: "The instrument's scale; an item may have its own" })
  scale!: ScaleDto;
  @ApiProperty({ type: [PulseItemDto] }) items!: PulseItemDto[];
  @ApiProperty({
    type: [PulseDimensionDto],
    description: 'The themes asked; a comment may be on each (`comments: [{ dimension, text }]`)',
  })
  dimensions!: PulseDimensionDto[];
  @ApiProperty({ description: "Comments are for team members; a leader's self-view has none" })
  allowsComment!: boolean;
  @ApiProperty({ description: 'Results need this many people' }) minGroupSize!: number;
  @ApiProperty({ description: 'Comments are shown only with this many' }) minCommentGroup!: number;
}

export class PulseReceivedDto {
  @ApiProperty({ enum: ['received'] }) status!: 'received';
  @ApiProperty() teamName!: string;
}

class HistoryTeamDto {
  @ApiProperty() teamKey!: string;
  @ApiProperty() respondents!: number;
}

export class HistoryImportSummaryDto {
  @ApiProperty({ format: 'uuid', description: 'The closed round the answers went into' })
  roundId!: string;
  @ApiProperty() respondents!: number;
  @ApiProperty({ type: [HistoryTeamDto] }) teams!: HistoryTeamDto[];
}
