import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { actorOf, AuditService } from '@trellis/audit';
import { AppConfig } from '@trellis/config';
import { conflict, gone, invalid, unavailable } from '@trellis/errors';
import type { Principal } from '@trellis/identity';
import {
  fileDigest,
  hasChanges,
  planDigest,
  RosterImportService,
  type RosterImportSummary,
  type RosterPlan,
} from '@trellis/organisation';
import { REDIS } from '@trellis/redis';
import { ResultsRederivation } from '@trellis/surveys';

/** What the dry run of a file shows, and the hash that confirms exactly it. */
export interface RosterPreview {
  /**
   * `<sha256 of the file>.<sha256 of the plan>`: confirming with it applies this file, and only
   * while importing it would still make exactly these changes.
   */
  previewHash: string;
  plan: RosterPlan;
  /** False when the file has problems (nothing can be imported) or changes nothing. */
  canConfirm: boolean;
}

export interface RosterImportResult {
  previewHash: string;
  importedAt: string;
  plan: RosterPlan;
}

const PREVIEW_HASH = /^([0-9a-f]{64})\.([0-9a-f]{64})$/;
/** How long the page keeps an uploaded file for its confirm button. */
export const KEPT_UPLOAD_SECONDS = 30 * 60;

/** The counts of a plan, as kept in the audit log: numbers only, no names or emails. */
function countsOf(plan: RosterPlan) {
  return {
    rows: plan.rows,
    people: {
      added: plan.people.added.length,
      renamed: plan.people.renamed.length,
      leavingAllTeams: plan.people.leavingAllTeams.length,
    },
    units: { added: plan.units.added.length, changed: plan.units.changed.length },
    memberships: {
      started: plan.memberships.started.length,
      roleChanged: plan.memberships.roleChanged.length,
      ended: plan.memberships.ended.length,
    },
  };
}

/**
 * Roster import as one use case: a dry run first (a plan computed from read-only queries, with
 * every problem by line and column), then the confirmation that applies exactly the previewed
 * file to the roster the preview was computed on. The JSON API and the page both use it.
 *
 * The page cannot send a file twice without JavaScript, so a preview made for the page keeps
 * the file in Redis (one per person and organisation, for KEPT_UPLOAD_SECONDS); the JSON API
 * sends the file again with the hash instead.
 */
@Injectable()
export class RosterImports {
  constructor(
    private readonly roster: RosterImportService,
    private readonly rederivation: ResultsRederivation,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async preview(
    organisationId: string,
    actor: Principal,
    csv: string,
    options: { keep?: boolean } = {},
  ): Promise<RosterPreview> {
    const plan = await this.roster.plan(organisationId, csv);
    const previewHash = `${fileDigest(csv)}.${planDigest(plan)}`;
    const canConfirm = plan.problems.length === 0 && hasChanges(plan);
    if (options.keep && canConfirm) await this.keep(organisationId, actor, previewHash, csv);
    return { previewHash, plan, canConfirm };
  }

  /**
   * Applies the file whose preview had `previewHash`: the file the page kept, or `csv` sent
   * again. 409 when the file is another one, or when the roster changed so that importing it
   * would now do something else than the preview showed; nothing is written then.
   */
  async confirm(
    organisationId: string,
    actor: Principal,
    previewHash: unknown,
    csv?: string,
  ): Promise<RosterImportResult> {
    const match = typeof previewHash === 'string' ? PREVIEW_HASH.exec(previewHash) : null;
    if (!match)
      throw invalid({ field: 'preview', message: 'must be the previewHash of a preview' });
    const [, fileHash, planHash] = match;
    const file = csv ?? (await this.kept(organisationId, actor, previewHash as string));
    if (fileDigest(file) !== fileHash) {
      throw conflict(
        'file',
        'is not the file that was previewed; preview this file first, then confirm it',
      );
    }
    const { plan } = await this.roster.apply(organisationId, file, (now) => {
      if (planDigest(now) !== planHash) {
        throw conflict(
          'preview',
          'the roster changed since the preview, so this file would now do something else; preview it again',
        );
      }
    });
    if (csv === undefined) await this.forget(organisationId, actor);
    // A file that moved people between teams made results stale; re-deriving them starts now.
    await this.rederivation.start(organisationId);
    await this.audit.record(actorOf(actor), {
      action: 'roster.import',
      targetKind: 'organisation',
      targetId: organisationId,
      detail: { file: fileHash, ...countsOf(plan) },
    });
    return { previewHash: previewHash as string, importedAt: new Date().toISOString(), plan };
  }

  /** The first import route (apply at once, or dryRun): kept for API clients that use it. */
  async importDirect(
    organisationId: string,
    actor: Principal,
    csv: string,
    dryRun: boolean,
  ): Promise<RosterImportSummary> {
    if (dryRun) return this.roster.import(organisationId, csv, { dryRun: true });
    const { plan, summary } = await this.roster.apply(organisationId, csv);
    await this.rederivation.start(organisationId);
    await this.audit.record(actorOf(actor), {
      action: 'roster.import',
      targetKind: 'organisation',
      targetId: organisationId,
      detail: { file: fileDigest(csv), withoutPreview: true, ...countsOf(plan) },
    });
    return summary;
  }

  /** The plan of the file the page kept for this person, if it is still kept. */
  async keptPreview(organisationId: string, actor: Principal): Promise<RosterPreview | null> {
    const raw = await this.redis.get(this.keyOf(organisationId, actor)).catch(() => null);
    if (!raw) return null;
    const { csv } = JSON.parse(raw) as { csv: string };
    return this.preview(organisationId, actor, csv, { keep: true });
  }

  private keyOf(organisationId: string, actor: Principal): string {
    return this.config.redisKey('roster-upload', organisationId, actor.personId);
  }

  private async keep(
    organisationId: string,
    actor: Principal,
    previewHash: string,
    csv: string,
  ): Promise<void> {
    try {
      await this.redis.set(
        this.keyOf(organisationId, actor),
        JSON.stringify({ previewHash, csv }),
        'EX',
        KEPT_UPLOAD_SECONDS,
      );
    } catch {
      throw unavailable('the file could not be kept for the confirmation; try again in a minute');
    }
  }

  private async kept(
    organisationId: string,
    actor: Principal,
    previewHash: string,
  ): Promise<string> {
    let raw: string | null;
    try {
      raw = await this.redis.get(this.keyOf(organisationId, actor));
    } catch {
      throw unavailable('the previewed file cannot be read just now; try again in a minute');
    }
    if (!raw) {
      throw gone(
        'this preview is no longer kept (it was imported, or it is older than 30 minutes); upload the file again',
      );
    }
    const stored = JSON.parse(raw) as { previewHash: string; csv: string };
    if (stored.previewHash.split('.')[0] !== previewHash.split('.')[0]) {
      throw conflict(
        'file',
        'another file was previewed since this one; confirm the newest preview, or upload this file again',
      );
    }
    return stored.csv;
  }

  private async forget(organisationId: string, actor: Principal): Promise<void> {
    await this.redis.del(this.keyOf(organisationId, actor)).catch(() => undefined);
  }
}
