import { JsonOnly } from '../access/csrf.guard';
import { Body, Controller, Get, HttpCode, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '@trellis/config';
import { AuthService, type Principal } from '@trellis/identity';
import { Public, SignedIn, SignInAttempt } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { clearSessionCookie, setSessionCookie } from '../access/session-cookie';
import {
  ChangePasswordDto,
  ForgotPasswordDto,
  SetPasswordWithLinkDto,
  SignInDto,
} from './auth.dto';
import { PasswordLinksService } from './password-links.service';

function me(p: Principal) {
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
  @ApiOperation({
    summary: 'Sign in; sets the session cookie and returns the same token for bearer use',
  })
  async signIn(@Body() body: SignInDto, @Res({ passthrough: true }) res: Response) {
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
  @ApiBearerAuth()
  @ApiCookieAuth()
  async signOut(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.auth.signOut(principal);
    clearSessionCookie(res, this.config.env.COOKIE_SECURE);
  }

  @Get('me')
  @SignedIn()
  @ApiBearerAuth()
  @ApiCookieAuth()
  whoAmI(@CurrentPrincipal() principal: Principal) {
    return me(principal);
  }

  @Put('password')
  @HttpCode(204)
  @SignedIn()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change your own password; ends your other sessions' })
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
  @ApiOperation({
    summary:
      'Email a password reset link (1 hour, single use); the same answer whether the email is known or not',
  })
  async forgotPassword(@Body() body: ForgotPasswordDto): Promise<{ message: string }> {
    await this.passwordLinks.forgot(body.email);
    return { message: 'if this email belongs to an account, a link to reset it is on its way' };
  }

  @Post('set-password')
  @HttpCode(204)
  @JsonOnly()
  @Public()
  @SignInAttempt()
  @ApiOperation({
    summary:
      'Set a password with the token of an emailed link; uses the link up and ends every session of the person',
  })
  async setPassword(@Body() body: SetPasswordWithLinkDto): Promise<void> {
    await this.passwordLinks.setPassword(body.token, body.newPassword);
  }
}
