import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { AccessModule } from '@trellis/access';
import { AuditModule } from '@trellis/audit';
import { AppConfig, ConfigModule, loggingModule } from '@trellis/config';
import { DatabaseModule } from '@trellis/database';
import { ExportsModule } from '@trellis/exports';
import { IdentityModule } from '@trellis/identity';
import { JobsModule } from '@trellis/jobs';
import { NotificationsModule } from '@trellis/notifications';
import { OrganisationModule } from '@trellis/organisation';
import type Redis from 'ioredis';
import { failFast, RedisModule } from '@trellis/redis';
import { ReportingModule } from '@trellis/reporting';
import { SurveysModule } from '@trellis/surveys';
import { SIGN_IN_ATTEMPT } from './access/access.decorator';
import { AccessGuard } from './access/access.guard';
import { AccessRulesCheck } from './access/access-rules.check';
import { ApiTokensController } from './auth/api-tokens.controller';
import { ApiTokensPageController } from './auth/api-tokens-page.controller';
import { AuthController } from './auth/auth.controller';
import { AuditController } from './audit/audit.controller';
import { AuditLogPageController } from './audit/audit-log-page.controller';
import { AuditInterceptor } from './audit/audit.interceptor';
import { DataController } from './exports/data.controller';
import { DirectExportService } from './exports/direct-export.service';
import { ExportsController } from './exports/exports.controller';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { LocalFirstThrottlerStorage } from './common/local-first-throttler.storage';
import { ResilientThrottlerStorage } from './common/resilient-throttler.storage';
import { createValidationPipe } from './common/validation.pipe';
import { HealthController } from './health/health.controller';
import { NotificationsController } from './notifications/notifications.controller';
import { WorkController } from './operations/work.controller';
import { ReportsController } from './reporting/reports.controller';
import { UnitReportPageController } from './reporting/unit-report-page.controller';
import { CommitmentPageController } from './reporting/commitment-page.controller';
import { CommentsController } from './reporting/comments.controller';
import { CommentsPageController } from './reporting/comments-page.controller';
import { ConversationPageController } from './conversations/conversation-page.controller';
import { OrganisationsController } from './organisation/organisations.controller';
import { PeopleController } from './organisation/people.controller';
import { RosterController, RosterImportController } from './organisation/roster-import.controller';
import { RosterImports } from './organisation/roster-imports.service';
import { RosterImportPageController } from './organisation/roster-import-page.controller';
import { SettingsController } from './organisation/settings.controller';
import { SettingsService } from './organisation/settings.service';
import { SettingsPageController } from './organisation/settings-page.controller';
import { UnitsController } from './organisation/units.controller';
import { PulsePageController } from './surveys/pulse-page.controller';
import { AssetsController } from './views/assets.controller';
import { ExportPagesController } from './exports/export-pages.controller';
import { TrendExportsService } from './exports/trend-exports.service';
import { OrganisationOverviewController } from './reporting/organisation-overview.controller';
import { OrganisationOverviewService } from './reporting/organisation-overview.service';
import { SignInPageController } from './auth/sign-in-page.controller';
import { ConsoleNotFoundController, HomeController } from './home/home.controller';
import { CsrfGuard } from './access/csrf.guard';
import { Pages } from './views/pages';
import { CampaignPagesController } from './surveys/campaign-pages.controller';
import { InstrumentPagesController } from './surveys/instrument-pages.controller';
import { CampaignsController } from './surveys/campaigns.controller';
import { LiveRoundsService } from './surveys/live-rounds.service';
import { RoundPagesController } from './surveys/round-pages.controller';
import { HistoryImportController } from './surveys/history-import.controller';
import { InstrumentsController } from './surveys/instruments.controller';
import { PulseController } from './surveys/pulse.controller';
import { PasswordLinksService } from './auth/password-links.service';
import { PasswordPagesController } from './auth/password-pages.controller';
import { OrganisationRolesService } from './people/organisation-roles.service';
import { PeopleAccessController } from './people/people-access.controller';
import { PeopleDirectory } from './people/people-directory.service';
import { PeoplePagesController } from './people/people-pages.controller';
import { PersonActivationService } from './people/person-activation.service';
import { SignInInvitationsService } from './people/sign-in-invitations.service';
import { TeamLeadershipService } from './people/team-leadership.service';

/** Sign-in attempts are counted per address and per account, so one user's typos do not lock out an office. */
function signInTracker(req: Record<string, unknown>): string {
  const body = req.body as { email?: unknown } | undefined;
  const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
  return `${String(req.ip)}|${email}`;
}

/** Rate-limit counters in Redis; while Redis is away a count fails at once and the request passes. */
function throttlerRedis(config: AppConfig): ThrottlerStorageRedisService {
  const storage = new ThrottlerStorageRedisService(config.redisUrl, {
    keyPrefix: config.redisKey('throttle', ''),
    maxRetriesPerRequest: 1,
  });
  failFast(storage.redis as Redis, config.env.REDIS_COMMAND_TIMEOUT_MS);
  return storage;
}

/** The per-address limit counted in process and shared in batches; the sign-in limits exact in Redis. */
function localFirst(redis: ThrottlerStorageRedisService): LocalFirstThrottlerStorage {
  return new LocalFirstThrottlerStorage(new ResilientThrottlerStorage(redis), redis.redis as Redis);
}

@Module({
  imports: [
    ConfigModule,
    loggingModule('api'),
    DatabaseModule,
    RedisModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        storage: localFirst(throttlerRedis(config)),
        throttlers: [
          { name: 'default', ttl: 60_000, limit: config.env.REQUEST_LIMIT_PER_MINUTE },
          {
            name: 'sign-in',
            ttl: config.env.SIGN_IN_WINDOW_SECONDS * 1000,
            limit: config.env.SIGN_IN_LIMIT,
            getTracker: signInTracker,
            // One counter per account and address across every sign-in route (API and form).
            generateKey: (_ctx, tracker, name) => `${name}:${tracker}`,
            skipIf: (ctx) => Reflect.getMetadata(SIGN_IN_ATTEMPT, ctx.getHandler()) !== true,
          },
          {
            // Per address whatever the email, so guessing across accounts is limited too.
            name: 'sign-in-address',
            ttl: config.env.SIGN_IN_WINDOW_SECONDS * 1000,
            limit: config.env.SIGN_IN_ADDRESS_LIMIT,
            getTracker: (req: Record<string, unknown>) => String(req.ip),
            generateKey: (_ctx, tracker, name) => `${name}:${tracker}`,
            skipIf: (ctx) => Reflect.getMetadata(SIGN_IN_ATTEMPT, ctx.getHandler()) !== true,
          },
        ],
        errorMessage: 'too many requests; wait a little and try again',
      }),
    }),
    TerminusModule,
    DiscoveryModule,
    AccessModule,
    IdentityModule,
    OrganisationModule,
    SurveysModule,
    ReportingModule,
    AuditModule,
    ExportsModule,
    NotificationsModule,
    JobsModule,
  ],
  controllers: [
    HealthController,
    AuthController,
    ApiTokensController,
    OrganisationsController,
    UnitsController,
    PeopleController,
    RosterImportController,
    RosterController,
    SettingsController,
    SignInPageController,
    HomeController,
    RosterImportPageController,
    AuditLogPageController,
    InstrumentsController,
    CampaignsController,
    CampaignPagesController,
    InstrumentPagesController,
    HistoryImportController,
    PulseController,
    ReportsController,
    PulsePageController,
    OrganisationOverviewController,
    UnitReportPageController,
    CommitmentPageController,
    CommentsController,
    CommentsPageController,
    ConversationPageController,
    ExportPagesController,
    AssetsController,
    ExportsController,
    DataController,
    AuditController,
    NotificationsController,
    WorkController,
    SettingsPageController,
    ApiTokensPageController,
    PeopleAccessController,
    PeoplePagesController,
    PasswordPagesController,
    RoundPagesController,
    // Last: it answers every /app path no page above claimed.
    ConsoleNotFoundController,
  ],
  providers: [
    AccessRulesCheck,
    DirectExportService,
    TrendExportsService,
    OrganisationOverviewService,
    RosterImports,
    SettingsService,
    PeopleDirectory,
    OrganisationRolesService,
    TeamLeadershipService,
    PersonActivationService,
    SignInInvitationsService,
    PasswordLinksService,
    LiveRoundsService,
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: CsrfGuard },
    Pages,
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
})
export class AppModule implements OnApplicationShutdown {
  onApplicationShutdown(signal?: string): void {
    if (signal) process.stdout.write(`trellis api: stopped on ${signal}\n`);
  }
}
