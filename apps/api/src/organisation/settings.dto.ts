import { ApiProperty } from '@nestjs/swagger';
import { SETTINGS_GROUPS } from './settings.service';

class AnonymitySettingsDto {
  @ApiProperty({ description: 'k: the fewest respondents a shown result may hold (at least 3)' })
  minGroupSize!: number;
  @ApiProperty({ description: 'The fewest comments shown together (at least k)' })
  minCommentGroup!: number;
}

class NotificationSettingsDto {
  @ApiProperty({ description: 'Email HR about new confirmed flags too' }) notifyHr!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Slack-compatible incoming webhook; shown in full to administrators only',
  })
  webhookUrl!: string | null;
}

class EffectiveSettingsDto {
  @ApiProperty({ type: AnonymitySettingsDto }) anonymity!: AnonymitySettingsDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'number' } },
    description: 'Every flag threshold (domain model section 3), defaults included',
  })
  flags!: Record<string, Record<string, number>>;
  @ApiProperty({ type: NotificationSettingsDto }) notifications!: NotificationSettingsDto;
}

class FloorsDto {
  @ApiProperty() minGroupSize!: number;
  @ApiProperty() minCommentGroup!: number;
}

export class OrganisationSettingsDto extends EffectiveSettingsDto {
  @ApiProperty({ type: EffectiveSettingsDto }) defaults!: EffectiveSettingsDto;
  @ApiProperty({
    type: [String],
    example: ['anonymity.minGroupSize'],
    description: 'Settings whose value differs from the default',
  })
  changed!: string[];
  @ApiProperty({ type: FloorsDto }) floors!: FloorsDto;
  @ApiProperty({ description: 'Closed rounds are being re-derived under changed settings' })
  resultsRecomputing!: boolean;
  @ApiProperty({ type: [String], description: 'Who is emailed when notifyHr is on' })
  hrRecipients!: string[];
  @ApiProperty({ description: 'Whether the caller may change them' }) editable!: boolean;
}

export class WebhookTestResultDto {
  @ApiProperty({ enum: ['answered', 'failed'] }) outcome!: 'answered' | 'failed';
  @ApiProperty({ description: "The webhook address's origin" }) sentTo!: string;
  @ApiProperty({ required: false, description: "The receiver's HTTP status" }) status?: number;
  @ApiProperty({ required: false }) accepted?: boolean;
  @ApiProperty({ required: false, description: "The start of the receiver's answer" })
  answer?: string;
  @ApiProperty({ required: false }) truncated?: boolean;
  @ApiProperty({ required: false, description: 'Why nothing was answered' }) error?: string;
  @ApiProperty() milliseconds!: number;
}

export const SETTINGS_GROUP_PARAM = {
  name: 'group',
  enum: SETTINGS_GROUPS,
} as const;
