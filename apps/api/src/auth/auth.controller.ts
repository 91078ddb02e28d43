import { JsonOnly } from '../access/csrf.guard';
import { Body, Controller, Get, HttpCode, Post, Put, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '@trellis/config';
import { AuthService, type Principal } from '@trellis/identity';
import { Public, SignedIn, SignInAttempt } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { clearSessionCookie, setSessionCookie } from '../access/session-cookie';
import { ApiErrors, ApiPublic, ApiSignedIn } from '../common/openapi';
import { ChangePasswordDto, SignInDto } from './auth.dto';
import { MeDto, SignedInDto } from './auth.response';

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
}
