import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { actorOf, AuditService } from '@trellis/audit';
import type { Principal } from '@trellis/identity';
import { JobQueue, QueueUnavailableError, type JobData, type JobName } from '@trellis/jobs';
import { RoundsService } from '@trellis/surveys';

export interface CloseRequestView {
  roundId: string;
  /** false when a close had already been asked for and is still under way. */
  requested: boolean;
  closesAt: Date;
  message: string;
}

export interface ReminderRequestView {
  roundId: string;
  reminderId: string;
  requestedAt: Date;
  sentAt: Date | null;
  /** true when this was a repeat within the quiet time: the earlier request stands, nobody is mailed again. */
  repeated: boolean;
  message: string;
}

/**
 * "Close now" and "send a reminder now", for the JSON API and the pages alike. PostgreSQL records
 * the request and its audit entry in one transaction; the worker does the work. With Redis away the
 * request still stands, and the reconciler queues it once Redis is back.
 */
@Injectable()
export class LiveRoundsService {
  private readonly logger = new Logger(LiveRoundsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly rounds: RoundsService,
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
  ) {}

  async closeNow(viewer: Principal, roundId: string): Promise<CloseRequestView> {
    const outcome = await this.db.transaction(async (tx) => {
      const result = await this.rounds.requestClose(tx, roundId);
      await this.audit.record(
        actorOf(viewer),
        {
          action: 'round.close_requested',
          targetKind: 'round',
          targetId: roundId,
          detail: { repeated: !result.requested },
        },
        tx,
      );
      return result;
    });
    await this.queue('round.close', { roundId });
    return {
      roundId,
      requested: outcome.requested,
      closesAt: outcome.closesAt,
      message: outcome.requested
        ? 'The round is closing now: links stop working, and its results are computed in a moment.'
        : 'This round is already closing (asked for earlier, or past its closing time); nothing else was changed.',
    };
  }

  async remindNow(viewer: Principal, roundId: string): Promise<ReminderRequestView> {
    const outcome = await this.db.transaction(async (tx) => {
      const result = await this.rounds.requestReminder(tx, roundId, viewer.personId);
      await this.audit.record(
        actorOf(viewer),
        {
          action: 'round.reminder_requested',
          targetKind: 'round',
          targetId: roundId,
          detail: { reminderId: result.reminderId, repeated: result.repeated },
        },
        tx,
      );
      return result;
    });
    if (!outcome.sentAt) await this.queue('round.remind-now', { reminderId: outcome.reminderId });
    return {
      roundId,
      ...outcome,
      message: outcome.repeated
        ? 'A reminder was already asked for a few minutes ago; nobody is mailed twice.'
        : 'A reminder is going out to everyone who has not answered yet.',
    };
  }

  private async queue<N extends JobName>(name: N, data: JobData<N>): Promise<void> {
    try {
      await this.jobs.add(name, data);
    } catch (error) {
      if (!(error instanceof QueueUnavailableError)) throw error;
      this.logger.warn({ job: name, data }, 'queue unavailable; the reconciler queues this later');
    }
  }
}
