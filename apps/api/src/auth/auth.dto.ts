import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Trim } from '../common/trim';
import {
  IsEmail,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

export class SignInDto {
  @ApiProperty({ example: 'lead.platform@demo.trellis.test' })
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 1000)
  password!: string;

  @ApiPropertyOptional({
    description: 'Organisation slug; needed only when the email signs in to several.',
  })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'must be an organisation slug' })
  organisation?: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 1000)
  currentPassword!: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  newPassword!: string;
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'Power BI refresh' })
  @Trim()
  @IsString()
  @Length(1, 100)
  name!: string;
}

export class ForgotPasswordDto {
  @ApiProperty({ example: 'lead.platform@demo.trellis.test' })
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email!: string;
}

/** Setting a password from an emailed link: the same password rules as ChangePasswordDto. */
export class SetPasswordWithLinkDto {
  @ApiProperty({ description: 'The token at the end of the emailed link' })
  @IsString()
  @Length(1, 200)
  token!: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  newPassword!: string;
}
