import { SetMetadata } from '@nestjs/common';

export const AUDITED = 'trellis:audited';

export interface AuditRule {
  action: string;
  /** The route parameter naming what was looked at, and what kind of thing it is. */
  target?: { kind: string; param: string };
  /**
   * Record before the handler runs: for pages that write their own response, once access is
   * granted, since the answer leaves inside the handler.
   */
  before?: boolean;
}

/** Records who called this handler, on what, when it succeeds; the response waits for the entry. */
export const Audited = (
  action: string,
  target?: AuditRule['target'],
  options: { before?: boolean } = {},
) => SetMetadata(AUDITED, { action, target, ...options } satisfies AuditRule);
