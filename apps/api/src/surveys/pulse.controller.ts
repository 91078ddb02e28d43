import { LinkCredential } from '../access/csrf.guard';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PulseService, type PulseReceipt } from '@trellis/surveys';
import { Public } from '../access/access.decorator';
import { ApiErrors, ApiPublic } from '../common/openapi';
import { PulseFormDto, PulseReceivedDto } from './surveys.response';

/** The anonymous answering API behind a personal link; the token is the only credential. */
@ApiTags('pulse')
@Controller('pulse/:token')
export class PulseController {
  constructor(private readonly pulse: PulseService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'The statements this link asks, with the scale' })
  @ApiPublic()
  @ApiOkResponse({ type: PulseFormDto })
  @ApiErrors(404, 409, 410, 503)
  form(@Param('token') token: string): Promise<PulseFormDto> {
    return this.pulse.form(token);
  }

  @Post()
  @LinkCredential()
  @HttpCode(201)
  @Public()
  @ApiOperation({
    summary:
      'Answer once: { answers: { itemKey: value or null }, comment?, comments?: [{ dimension, text }] }',
    description:
      'Every statement the form asks needs an entry: a whole number on the scale, or null for ' +
      '“Prefer not to answer” (the statement is skipped and stored as absent). A statement left ' +
      'out is a 400 naming it; a submission that skips every statement is a 400 on `answers`. ' +
      'A person counts for a dimension when they answered at least half its statements. ' +
      '`comment` is a general comment; `comments` holds at most one comment per dimension asked. ' +
      'Both are optional and stored sealed, as one author’s.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['answers'],
      properties: {
        answers: {
          type: 'object',
          additionalProperties: { type: 'integer', nullable: true },
          description: 'By item key: a value on the scale, or null to skip the statement',
        },
        comment: { type: 'string', nullable: true, maxLength: 2000 },
        comments: {
          type: 'array',
          description: 'At most one comment per dimension asked',
          items: {
            type: 'object',
            required: ['dimension', 'text'],
            properties: {
              dimension: { type: 'string' },
              text: { type: 'string', maxLength: 2000 },
            },
          },
        },
      },
      example: {
        answers: { ps1: 4, ps2: null, dr1: 2 },
        comment: 'optional',
        comments: [{ dimension: 'psych_safety', text: 'optional, one per theme' }],
      },
    },
  })
  @ApiPublic()
  @ApiCreatedResponse({ type: PulseReceivedDto })
  @ApiErrors(400, 404, 409, 410, 503)
  async submit(@Param('token') token: string, @Body() body: unknown): Promise<PulseReceivedDto> {
    return pulseReceived(await this.pulse.submit(token, body));
  }
}

/** What a client of the JSON API is told of its stored submission (also by the fast path, pulse-intake.ts). */
export function pulseReceived({ teamName }: PulseReceipt): PulseReceivedDto {
  return { status: 'received', teamName };
}
