import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { HttpException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, checkPostgres, loadEnvOrExit, parseEnv } from '@trellis/config';
import { ensureDatabase, runMigrations } from '@trellis/database';
import { DEMO_PASSWORD, DemoService, SyntheticLoader } from '@trellis/demo';
import { AuthService } from '@trellis/identity';
import { OrganisationsService, PeopleService, RosterImportService } from '@trellis/organisation';
import { CliModule } from './cli.module';

const USAGE = `usage: trellis <command> [options]
  migrate                      create the database if missing and apply pending migrations
  seed-demo                    create or refresh the demo organisation (idempotent)
  create-org --slug S --name N --admin-email E --admin-password P
                               create an organisation and its first admin
  import-roster --org SLUG --file roster.csv [--dry-run]
                               import people, teams and memberships from an HR export
  synthetic --slug S [--teams 40] [--rounds 8] [--seed 1]
                               generate an organisation with planted archetypes (aligned,
                               micromanaged, abandoned, adrift, split) and load it through the
                               roster import, the history import and the aggregation job`;

function fail(message: string): never {
  process.stderr.write(`trellis: ${message}\n`);
  process.exit(1);
}

async function migrate(): Promise<void> {
  const env = parseEnv();
  try {
    const created = await ensureDatabase(env.DATABASE_URL);
    if (created) process.stdout.write('trellis: created the database\n');
  } catch {
    // Reachability is the likely cause; checkPostgres says which address and how to fix it.
    fail((await checkPostgres(env.DATABASE_URL)) ?? 'could not create the database');
  }
  const applied = await runMigrations(env.DATABASE_URL);
  process.stdout.write(
    applied.length
      ? `trellis: applied ${applied.join(', ')}\n`
      : 'trellis: database is up to date\n',
  );
}

async function withApp<T>(
  run: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<T>,
): Promise<T> {
  await loadEnvOrExit('cli');
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  try {
    return await run(app);
  } catch (error) {
    if (error instanceof HttpException) fail(JSON.stringify(error.getResponse(), null, 2));
    throw error;
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'migrate':
      return migrate();
    case 'seed-demo':
      return withApp(async (app) => {
        const demo = app.get(DemoService);
        const { organisationId, logins, conversation } = await demo.seed();
        const url = app.get(AppConfig).env.PUBLIC_URL.replace(/\/$/, '');
        process.stdout.write(
          `trellis: demo organisation ready at ${url}; sign in with password "${DEMO_PASSWORD}" as\n`,
        );
        for (const l of logins) process.stdout.write(`  ${l.email.padEnd(40)} ${l.role}\n`);
        // Like the answer links below: printed for the person starting the demo, never logged.
        if (conversation)
          process.stdout.write(
            `trellis: a Sales EMEA member and their leader talk about a comment; read and answer as its author at\n  ${url}/c/${conversation}\n`,
          );
        const round = await demo.openRound(organisationId);
        if (!round?.links.length) {
          process.stdout.write('trellis: no demo round has answer links to give right now.\n');
          return;
        }
        const closes = new Intl.DateTimeFormat('en-GB', {
          timeZone: round.timezone,
          dateStyle: 'full',
          timeStyle: 'short',
        }).format(round.closesAt);
        // Printed for the person starting the demo, never logged: a link is its reader's password.
        process.stdout.write(
          `trellis: "${round.campaignName}" is open until ${closes} (${round.timezone}); answer it as\n`,
        );
        for (const l of round.links)
          process.stdout.write(`  ${l.url}  (${l.name}, ${l.teamName})\n`);
      });
    case 'create-org': {
      const { values } = parseArgs({
        args: rest,
        options: {
          slug: { type: 'string' },
          name: { type: 'string' },
          'admin-email': { type: 'string' },
          'admin-password': { type: 'string' },
        },
      });
      if (!values.slug || !values.name || !values['admin-email'] || !values['admin-password'])
        fail(USAGE);
      return withApp(async (app) => {
        const org = await app
          .get(OrganisationsService)
          .create({ slug: values.slug!, name: values.name! });
        const admin = await app
          .get(PeopleService)
          .create(org.id, { email: values['admin-email']!, name: 'Administrator' });
        await app.get(AuthService).setPassword(admin.id, values['admin-password']!);
        await app.get(PeopleService).setRoles(admin.id, ['admin']);
        process.stdout.write(
          `trellis: created ${org.slug} (${org.id}) with admin ${admin.email}\n`,
        );
      });
    }
    case 'import-roster': {
      const { values } = parseArgs({
        args: rest,
        options: {
          org: { type: 'string' },
          file: { type: 'string' },
          'dry-run': { type: 'boolean' },
        },
      });
      if (!values.org || !values.file) fail(USAGE);
      return withApp(async (app) => {
        const org = await app.get(OrganisationsService).findBySlug(values.org!);
        if (!org) fail(`no organisation with slug "${values.org}"`);
        const summary = await app
          .get(RosterImportService)
          .import(org.id, readFileSync(values.file!, 'utf8'), {
            dryRun: values['dry-run'] ?? false,
          });
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      });
    }
    case 'synthetic': {
      const { values } = parseArgs({
        args: rest,
        options: {
          slug: { type: 'string' },
          teams: { type: 'string' },
          rounds: { type: 'string' },
          seed: { type: 'string' },
        },
      });
      if (!values.slug) fail(USAGE);
      const count = (raw: string | undefined, fallback: number, max: number) => {
        const n = raw === undefined ? fallback : Number(raw);
        if (!Number.isInteger(n) || n < 1 || n > max)
          fail(`expected a whole number from 1 to ${max}, got "${raw}"`);
        return n;
      };
      const options = {
        seed: count(values.seed, 1, 2 ** 31),
        teams: count(values.teams, 40, 5000),
        rounds: count(values.rounds, 8, 104),
      };
      return withApp(async (app) => {
        const summary = await app.get(SyntheticLoader).load(values.slug!, options);
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      });
    }
    default:
      fail(USAGE);
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
