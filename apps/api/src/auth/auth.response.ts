import { ApiProperty } from '@nestjs/swagger';
import { ORGANISATION_ROLES, type OrganisationRoleName } from '@trellis/organisation';

/** Who is calling: the signed-in person, or the person who created the API token in use. */
export class MeDto {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ example: 'Ana Lima' }) name!: string;
  @ApiProperty({ example: 'ana@example.com' }) email!: string;
  @ApiProperty({ enum: ORGANISATION_ROLES, isArray: true }) roles!: OrganisationRoleName[];
  @ApiProperty({ enum: ['session', 'api_token'] }) via!: 'session' | 'api_token';
}

export class SignedInDto {
  @ApiProperty({ description: 'The session token, also set as the trellis_session cookie' })
  token!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: Date;
  @ApiProperty({ type: MeDto }) person!: MeDto;
}

class TokenCreatorDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class ApiTokenDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Power BI refresh' }) name!: string;
  @ApiProperty({ description: 'The last characters of the secret, to tell tokens apart' })
  tokenHint!: string;
  @ApiProperty({ type: TokenCreatorDto }) createdBy!: TokenCreatorDto;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt!: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: Date | null;
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ description: 'The secret; shown only in this response' }) token!: string;
}

/** An answer that only says what happens next. */
export class MessageDto {
  @ApiProperty({
    example: 'if this email belongs to an account, a link to reset it is on its way',
  })
  message!: string;
}
