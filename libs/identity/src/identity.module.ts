import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@trellis/audit';
import { ApiToken } from './api-token.entity';
import { ApiTokensService } from './api-tokens.service';
import { AuthService } from './auth.service';
import { SessionStore } from './session.store';

@Module({
  imports: [TypeOrmModule.forFeature([ApiToken]), AuditModule],
  providers: [AuthService, ApiTokensService, SessionStore],
  exports: [AuthService, ApiTokensService, SessionStore],
})
export class IdentityModule {}
