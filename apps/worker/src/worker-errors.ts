import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';

/**
 * A BullMQ worker nobody listens to prints its errors (mostly a lost Redis connection, several a
 * second during an outage) as bare multi-line stack traces on stderr. Every processor's worker
 * gets a listener here instead: one structured warning per queue and minute, through the same
 * logger (and the same redaction) as everything else.
 */
@Injectable()
export class WorkerErrors implements OnApplicationBootstrap {
  private readonly logger = new Logger('jobs');

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    for (const { instance } of this.discovery.getProviders()) {
      if (!(instance instanceof WorkerHost)) continue;
      const worker = (instance as WorkerHost).worker;
      let lastWarning = 0;
      worker.on('error', (error) => {
        if (Date.now() - lastWarning < 60_000) return;
        lastWarning = Date.now();
        this.logger.warn(
          { err: error, queue: worker.name },
          'queue worker error (Redis unreachable?); it keeps retrying on its own',
        );
      });
    }
  }
}
