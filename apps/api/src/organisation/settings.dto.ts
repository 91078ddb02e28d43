import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SettingsDto } from './organisation.response';
import { SETTINGS_GROUPS } from './settings.service';

class FloorsDto {
  @ApiProperty({ description: 'The lowest k may be set to', example: 3 }) minGroupSize!: number;
  @ApiProperty({ description: 'The lowest the comment minimum may be set to: k', example: 5 })
  minCommentGroup!: number;
}

/** The settings in force with their defaults, what differs, and what the page needs to say. */
export class OrganisationSettingsDto extends SettingsDto {
  @ApiProperty({
    type: SettingsDto,
    description: "The domain model's defaults (the comment minimum's rises with k)",
  })
  defaults!: SettingsDto;
  @ApiProperty({
    type: [String],
    example: ['anonymity.minGroupSize'],
    description: 'Settings whose value differs from the default, as field paths',
  })
  changed!: string[];
  @ApiProperty({ type: FloorsDto }) floors!: FloorsDto;
  @ApiProperty({ description: 'Closed rounds are being re-derived under changed settings' })
  resultsRecomputing!: boolean;
  @ApiProperty({ type: [String], description: 'Who is emailed when notifyHr is on' })
  hrRecipients!: string[];
  @ApiProperty({
    description:
      'Whether the caller may change them (administrators); others see only the webhook origin',
  })
  editable!: boolean;
}

export class WebhookTestResultDto {
  @ApiProperty({ enum: ['answered', 'failed'] }) outcome!: 'answered' | 'failed';
  @ApiProperty({ description: "The webhook address's origin", example: 'https://hooks.slack.com' })
  sentTo!: string;
  @ApiPropertyOptional({ description: "The receiver's HTTP status (answered)" }) status?: number;
  @ApiPropertyOptional({ description: 'Whether the status was 2xx (answered)' })
  accepted?: boolean;
  @ApiPropertyOptional({ description: "The start of the receiver's answer, as text (answered)" })
  answer?: string;
  @ApiPropertyOptional({ description: 'Whether the answer went on beyond what is shown' })
  truncated?: boolean;
  @ApiPropertyOptional({ description: 'Why nothing was answered (failed)' }) error?: string;
  @ApiProperty({ description: 'How long it took' }) milliseconds!: number;
}

export const SETTINGS_GROUP_PARAM = {
  name: 'group',
  enum: SETTINGS_GROUPS,
  description: 'anonymity, flags or notifications',
} as const;
