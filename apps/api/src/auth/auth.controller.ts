import { JsonOnly } from '../access/csrf.guard';
import { Body, Controller, Get, HttpCode, Post, Put, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '@trellis/config';
import { AuthService, type Principal } from '@trellis/identity';
import { Public, SignedIn, SignInAttempt } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { clearSessionCookie, setSessionCookie } from '../access/session-cookie';
import { ApiErrors, ApiPublic, ApiSignedIn } from '../common/openapi';
import {
  ChangePasswordDto,
  ForgotPasswordDto,
  SetPasswordWithLinkDto,
  SignInDto,
} from './auth.dto';
import { MeDto, MessageDto, SignedInDto } from './auth.response';
import { PasswordLinksService } from './password-links.service';

function me(p: Principal): MeDto {
  return {
    personId: p.personId,
    organisationId: p.organisationId,
    name: p.name,
    email: p.email,
    roles: p.roles,
    via: p.via,
  };
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
    private readonly passwordLinks: PasswordLinksService,
  ) {}

  @Post('sign-in')
  @HttpCode(200)
  @JsonOnly()
  @Public()
  @SignInAttempt()
  @ApiPublic()
  @ApiOperation({
    summary: 'Sign in; sets the session cookie and returns the same token for bearer use',
  })
  @ApiOkResponse({ type: SignedInDto })
  @ApiErrors(400, 401, 503)
  async signIn(
    @Body() body: SignInDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SignedInDto> {
    const { token, expiresAt, principal } = await this.auth.signIn(
      body.email,
      body.password,
      body.organisation,
    );
    setSessionCookie(res, token, expiresAt, this.config.env.COOKIE_SECURE);
    return { token, expiresAt, person: me(principal) };
  }

  @Post('sign-out')
  @HttpCode(204)
  @SignedIn()
  @ApiSignedIn({ self: true })
  @ApiOperation({ summary: 'Sign out: ends this session and clears the cookie' })
  @ApiNoContentResponse({ description: 'Signed out' })
  async signOut(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.auth.signOut(principal);
    clearSessionCookie(res, this.config.env.COOKIE_SECURE);
  }

  @Get('me')
  @SignedIn()
  @ApiSignedIn({ self: true })
  @ApiOperation({ summary: 'Who is calling: the signed-in person or the creator of the API token' })
  @ApiOkResponse({ type: MeDto })
  whoAmI(@CurrentPrincipal() principal: Principal): MeDto {
    return me(principal);
  }

  @Put('password')
  @HttpCode(204)
  @SignedIn()
  @ApiSignedIn({ self: true })
  @ApiOperation({ summary: 'Change your own password; ends your other sessions' })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiErrors(400)
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    await this.auth.changePassword(principal, body.currentPassword, body.newPassword);
  }

  @Post('forgot-password')
  @HttpCode(202)
  @JsonOnly()
  @Public()
  @SignInAttempt()
  @ApiPublic()
  @ApiOperation({
    summary:
      'Email a password reset link (1 hour, single use); the same answer whether the email is known or not',
  })
  @ApiAcceptedResponse({
    type: MessageDto,
    description: 'A link is on its way, if the email is known',
  })
  @ApiErrors(400, 503)
  async forgotPassword(@Body() body: ForgotPasswordDto): Promise<MessageDto> {
    await this.passwordLinks.forgot(body.email);
    return { message: 'if this email belongs to an account, a link to reset it is on its way' };
  }

  @Post('set-password')
  @HttpCode(204)
  @JsonOnly()
  @Public()
  @SignInAttempt()
  @ApiPublic()
  @ApiOperation({
    summary:
      'Set a password with the token of an emailed link; uses the link up and ends every session of the person',
  })
  @ApiNoContentResponse({ description: 'Set; sign in with the new password' })
  @ApiErrors(400, 410, 503)
  async setPassword(@Body() body: SetPasswordWithLinkDto): Promise<void> {
    await this.passwordLinks.setPassword(body.token, body.newPassword);
  }
}
