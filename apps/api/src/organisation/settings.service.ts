import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  anonymitySettings,
  DEFAULT_ANONYMITY_SETTINGS,
  MIN_GROUP_SIZE_FLOOR,
  organisationAnonymity,
  type AnonymitySettings,
} from '@trellis/anonymity';
import { AuditService, type AuditActor } from '@trellis/audit';
import { AppConfig } from '@trellis/config';
import type { Sql } from '@trellis/database';
import { invalid, notFound, type FieldProblem } from '@trellis/errors';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  notificationSettings,
  notificationSettingsOrDefault,
  postWebhookForAnswer,
  type NotificationSettings,
} from '@trellis/notifications';
import { DEFAULT_FLAG_THRESHOLDS, flagThresholds, type FlagThresholds } from '@trellis/scoring';
import { ResultsRederivation } from '@trellis/surveys';

export const SETTINGS_GROUPS = ['anonymity', 'flags', 'notifications'] as const;
export type SettingsGroup = (typeof SETTINGS_GROUPS)[number];

export function isSettingsGroup(value: unknown): value is SettingsGroup {
  return typeof value === 'string' && (SETTINGS_GROUPS as readonly string[]).includes(value);
}

/** The settings in force, each group as the pure module that applies it reads it. */
export interface EffectiveSettings {
  anonymity: AnonymitySettings;
  flags: FlagThresholds;
  notifications: NotificationSettings;
}

/** What the settings page and GET /settings show: the values, their defaults, what differs. */
export interface OrganisationSettingsView extends EffectiveSettings {
  /** The defaults of the domain model; the comment minimum's default rises with k. */
  defaults: EffectiveSettings;
  /** Settings whose value is not their default, as field paths ("flags.quadrant.midpoint"). */
  changed: string[];
  /** The lowest each anonymity minimum may be set to now. */
  floors: { minGroupSize: number; minCommentGroup: number };
  /** Whether closed rounds are being re-derived under changed settings (or tree) right now. */
  resultsRecomputing: boolean;
  /** Who is emailed about a new confirmed flag when `notifyHr` is on. */
  hrRecipients: string[];
  /** Whether the viewer may change them (administrators); others see the webhook's host only. */
  editable: boolean;
}

/** What a test message to the webhook came back with. */
export type WebhookTestResult =
  | {
      outcome: 'answered';
      /** Where it went: the address's origin (its path is the secret part). */
      sentTo: string;
      status: number;
      /** Whether the receiver accepted it (2xx). */
      accepted: boolean;
      answer: string;
      truncated: boolean;
      milliseconds: number;
    }
  | { outcome: 'failed'; sentTo: string; error: string; milliseconds: number };

/** The start of the receiver's answer that is kept and shown. */
const ANSWER_BYTES = 1000;

/** How settings are written down in the audit log: a webhook address only as its origin. */
function forAudit(group: SettingsGroup, value: EffectiveSettings[SettingsGroup]): unknown {
  if (group !== 'notifications') return value;
  const n = value as NotificationSettings;
  return { ...n, webhookUrl: n.webhookUrl === null ? null : `${originOf(n.webhookUrl)}/…` };
}

function originOf(url: string): string {
  return URL.parse(url)?.origin ?? 'an address that does not read';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The field paths under `at` where `value` and `fallback` differ (both the same shape). */
function differences(at: string, value: unknown, fallback: unknown): string[] {
  if (isRecord(value) && isRecord(fallback))
    return Object.keys(fallback).flatMap((key) =>
      differences(`${at}.${key}`, value[key], fallback[key]),
    );
  return value === fallback ? [] : [at];
}

/** Only the thresholds that differ from the defaults are stored: the rest follow the model. */
function overridesOf(flags: FlagThresholds): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const defaults = DEFAULT_FLAG_THRESHOLDS as unknown as Record<string, Record<string, number>>;
  for (const [group, values] of Object.entries(
    flags as unknown as Record<string, Record<string, number>>,
  )) {
    for (const [key, value] of Object.entries(values)) {
      if (value === defaults[group][key]) continue;
      out[group] = { ...out[group], [key]: value };
    }
  }
  return out;
}

/** The settings as every reader applies them: through each group's one reader. */
export function effectiveSettings(stored: Record<string, unknown>): EffectiveSettings {
  const flags = flagThresholds(stored.flags);
  return {
    anonymity: organisationAnonymity(stored),
    flags: flags.ok ? flags.value : structuredClone(DEFAULT_FLAG_THRESHOLDS),
    notifications: notificationSettingsOrDefault(stored.notifications),
  };
}

/**
 * An organisation's settings, one use case for the JSON API and the settings page: read with
 * their defaults, change one or more groups (validated by the pure modules that apply them; a
 * refusal names each field and writes nothing), reset a group to the model's defaults, and send
 * a test message to the webhook. Every change is written to the audit log in the same
 * transaction, with the groups' values before and after. A change of anonymity or flag settings
 * makes every closed round's results stale (a database trigger moves the organisation's results
 * epoch), and re-deriving them starts once the change is committed.
 */
@Injectable()
export class SettingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly rederivation: ResultsRederivation,
    private readonly config: AppConfig,
  ) {}

  async get(
    organisationId: string,
    viewer: { roles: readonly string[] },
  ): Promise<OrganisationSettingsView> {
    const stored = await this.stored(this.db, organisationId);
    return this.view(organisationId, effectiveSettings(stored), viewer.roles.includes('admin'));
  }

  /**
   * Changes the groups `input` names; groups it leaves out keep their values, so changing who is
   * notified can never quietly lower k. Within a group, a setting left out takes its default.
   */
  async update(
    organisationId: string,
    actor: AuditActor,
    input: unknown,
  ): Promise<OrganisationSettingsView> {
    const next = this.read(input);
    return this.change(organisationId, actor, 'settings.change', (stored) => {
      const out = { ...stored };
      if (next.anonymity) out.anonymity = next.anonymity;
      if (next.flags) out.flags = overridesOf(next.flags);
      if (next.notifications) out.notifications = next.notifications;
      return out;
    });
  }

  /** Puts one group back to the model's defaults (and follows them if they change). */
  async reset(
    organisationId: string,
    actor: AuditActor,
    group: SettingsGroup,
  ): Promise<OrganisationSettingsView> {
    return this.change(organisationId, actor, 'settings.reset', (stored) => {
      const out = { ...stored };
      delete out[group];
      return out;
    });
  }

  /**
   * Posts a test message to the saved webhook through the same guarded sender as deliveries
   * (private addresses refused unless WEBHOOK_ALLOW_PRIVATE, DNS answers pinned, no redirects,
   * the same timeout), and reports what the receiver answered. Unlike a delivery's row, the
   * answer is shown: the admin asked for it, and the guard keeps the request off the private
   * network, so it tells them nothing about hosts behind the server.
   */
  async testWebhook(organisationId: string, actor: AuditActor): Promise<WebhookTestResult> {
    const [org] = await this.db.query<{ name: string; settings: Record<string, unknown> }[]>(
      `select name, settings from organisation where id = $1`,
      [organisationId],
    );
    if (!org) throw notFound('organisation');
    const url = effectiveSettings(org.settings).notifications.webhookUrl;
    if (url === null)
      throw invalid({
        field: 'notifications.webhookUrl',
        message: 'is not set: save a webhook address first',
      });
    const sentTo = originOf(url);
    const started = Date.now();
    let result: WebhookTestResult;
    try {
      const answer = await postWebhookForAnswer(
        {
          url,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Trellis notifications',
            'x-trellis-test': 'true',
          },
          body: JSON.stringify({
            text: `Test message from Trellis for ${org.name}: new confirmed flags will be posted here.`,
          }),
          timeoutMs: this.config.env.WEBHOOK_TIMEOUT_MS,
          allowPrivate: this.config.env.WEBHOOK_ALLOW_PRIVATE,
        },
        ANSWER_BYTES,
      );
      result = {
        outcome: 'answered',
        sentTo,
        status: answer.status,
        accepted: answer.status >= 200 && answer.status < 300,
        answer: answer.answer,
        truncated: answer.truncated,
        milliseconds: Date.now() - started,
      };
    } catch (error) {
      result = {
        outcome: 'failed',
        sentTo,
        error: this.failureText(error),
        milliseconds: Date.now() - started,
      };
    }
    await this.audit.record(actor, {
      action: 'settings.webhook_test',
      targetKind: 'organisation',
      targetId: organisationId,
      detail: {
        sentTo,
        ...(result.outcome === 'answered' ? { status: result.status } : { error: result.error }),
      },
    });
    return result;
  }

  private failureText(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
      return `no answer within ${this.config.env.WEBHOOK_TIMEOUT_MS / 1000} seconds`;
    if (/aborted|timeout/i.test(message))
      return `no answer within ${this.config.env.WEBHOOK_TIMEOUT_MS / 1000} seconds`;
    if (code === 'ENOTFOUND' || /ENOTFOUND|EAI_AGAIN/.test(message))
      return 'the host name does not resolve';
    if (/ECONNREFUSED/.test(message)) return 'the receiver refused the connection';
    if (/ECONNRESET|socket hang up/.test(message))
      return 'the receiver closed the connection without answering';
    if (/certificate|self.signed|SSL|TLS/i.test(message))
      return `the receiver's TLS certificate was not accepted (${message})`;
    return message;
  }

  /** Reads the groups a caller sent; every problem of every group at once, or nothing. */
  private read(input: unknown): Partial<EffectiveSettings> {
    if (!isRecord(input)) throw invalid({ field: 'body', message: 'must be an object' });
    const problems: FieldProblem[] = [];
    for (const key of Object.keys(input))
      if (!isSettingsGroup(key))
        problems.push({
          field: key,
          message: `is not a setting (known: ${SETTINGS_GROUPS.join(', ')})`,
        });
    const out: Partial<EffectiveSettings> = {};
    if (input.anonymity !== undefined) {
      const anonymity = anonymitySettings(input.anonymity);
      if (anonymity.ok) out.anonymity = anonymity.value;
      else
        problems.push(
          ...anonymity.problems.map((p) => ({
            field: p.field === 'settings' ? 'anonymity' : `anonymity.${p.field}`,
            message: p.message,
          })),
        );
    }
    if (input.flags !== undefined) {
      const flags = flagThresholds(input.flags);
      if (flags.ok) out.flags = flags.value;
      else problems.push(...flags.problems);
    }
    if (input.notifications !== undefined) {
      const notifications = notificationSettings(input.notifications ?? {}, {
        allowPrivate: this.config.env.WEBHOOK_ALLOW_PRIVATE,
      });
      if (notifications.ok) out.notifications = notifications.value;
      else problems.push(...notifications.problems);
    }
    if (problems.length) throw invalid(problems);
    return out;
  }

  private async change(
    organisationId: string,
    actor: AuditActor,
    action: 'settings.change' | 'settings.reset',
    edit: (stored: Record<string, unknown>) => Record<string, unknown>,
  ): Promise<OrganisationSettingsView> {
    const { after, resultsChanged } = await this.db.transaction(async (tx) => {
      // Locked, so two admins saving at once each see the other's change as their "before".
      const stored = await this.stored(tx, organisationId, true);
      const next = edit(stored);
      const before = effectiveSettings(stored);
      const after = effectiveSettings(next);
      const groups = SETTINGS_GROUPS.filter(
        (g) => JSON.stringify(before[g]) !== JSON.stringify(after[g]),
      );
      const storedChanged = JSON.stringify(stored) !== JSON.stringify(next);
      if (storedChanged)
        await tx.query(`update organisation set settings = $2, updated_at = now() where id = $1`, [
          organisationId,
          JSON.stringify(next),
        ]);
      // A save that changes nothing in force is not a change worth an entry.
      if (groups.length)
        await this.audit.record(
          actor,
          {
            action,
            targetKind: 'organisation',
            targetId: organisationId,
            detail: {
              groups,
              before: Object.fromEntries(groups.map((g) => [g, forAudit(g, before[g])])),
              after: Object.fromEntries(groups.map((g) => [g, forAudit(g, after[g])])),
            },
          },
          tx,
        );
      return {
        after,
        resultsChanged: groups.some((g) => g !== 'notifications'),
      };
    });
    // Committed: re-deriving under the new basis can start now rather than at the next tick.
    if (resultsChanged) await this.rederivation.start(organisationId);
    return this.view(organisationId, after, true);
  }

  private async stored(sql: Sql, organisationId: string, lock = false) {
    const [row] = await sql.query<{ settings: unknown }[]>(
      `select settings from organisation where id = $1${lock ? ' for update' : ''}`,
      [organisationId],
    );
    if (!row) throw notFound('organisation');
    return isRecord(row.settings) ? row.settings : {};
  }

  private async view(
    organisationId: string,
    current: EffectiveSettings,
    editable: boolean,
  ): Promise<OrganisationSettingsView> {
    const k = current.anonymity.minGroupSize;
    const defaults: EffectiveSettings = {
      anonymity: {
        minGroupSize: DEFAULT_ANONYMITY_SETTINGS.minGroupSize,
        minCommentGroup: Math.max(DEFAULT_ANONYMITY_SETTINGS.minCommentGroup, k),
      },
      flags: structuredClone(DEFAULT_FLAG_THRESHOLDS),
      notifications: { ...DEFAULT_NOTIFICATION_SETTINGS },
    };
    const [state] = await this.db.query<{ recomputing: boolean; hr: string[] | null }[]>(
      `select exists (select 1 from round r join organisation o on o.id = r.organisation_id
                       where r.organisation_id = $1 and r.status = 'closed'
                         and (r.aggregated_at is null or r.results_epoch is distinct from o.results_epoch))
                as recomputing,
              (select array_agg(p.email order by p.email) from organisation_role r
                 join person p on p.id = r.person_id
                where r.organisation_id = $1 and r.role = 'hr') as hr`,
      [organisationId],
    );
    const webhookUrl = current.notifications.webhookUrl;
    return {
      ...current,
      notifications: {
        ...current.notifications,
        webhookUrl: editable || webhookUrl === null ? webhookUrl : `${originOf(webhookUrl)}/…`,
      },
      defaults,
      changed: SETTINGS_GROUPS.flatMap((g) => differences(g, current[g], defaults[g])),
      floors: { minGroupSize: MIN_GROUP_SIZE_FLOOR, minCommentGroup: k },
      resultsRecomputing: state?.recomputing ?? false,
      hrRecipients: state?.hr ?? [],
      editable,
    };
  }
}
