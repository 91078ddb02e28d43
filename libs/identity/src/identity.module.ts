import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@trellis/audit';
import { AppConfig } from '@trellis/config';
import { JobsModule } from '@trellis/jobs';
import { secretMailSender } from '@trellis/notifications';
import { ApiToken } from './api-token.entity';
import { ApiTokensService } from './api-tokens.service';
import { AuthService } from './auth.service';
import { SessionStore } from './session.store';
import { SIGN_IN_MAIL, SignInLinksService } from './sign-in-links.service';

@Module({
  imports: [TypeOrmModule.forFeature([ApiToken]), AuditModule, JobsModule],
  providers: [
    AuthService,
    ApiTokensService,
    SessionStore,
    SignInLinksService,
    {
      provide: SIGN_IN_MAIL,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => secretMailSender(config.env),
    },
  ],
  exports: [AuthService, ApiTokensService, SessionStore, SignInLinksService],
})
export class IdentityModule {}
