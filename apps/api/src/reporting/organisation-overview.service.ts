import { Injectable } from '@nestjs/common';
import { NotificationsService, type NotificationView } from '@trellis/notifications';
import { UnitsService } from '@trellis/organisation';
import { ReportsService, type RoundChoice } from '@trellis/reporting';
import { treeOrder, type TreeUnit } from './report-format';

export type Heatmap = Awaited<ReturnType<ReportsService['heatmap']>>;
export type ParticipationRound = Awaited<ReturnType<ReportsService['participation']>>[number];

/** How many of the latest flag notifications the overview lists. */
export const OVERVIEW_NOTIFICATIONS = 10;

/** Everything the organisation overview shows, decided by the services the JSON API uses. */
export interface OrganisationOverview {
  organisation: { id: string; name: string };
  /** The same answer as GET /organisations/:orgId/heatmap?round= (the latest aggregated round by default). */
  heatmap: Heatmap;
  /** Every aggregated round, oldest first: the round picker's choices. */
  rounds: RoundChoice[];
  /** The same answer as GET /organisations/:orgId/participation. */
  participation: ParticipationRound[];
  /** Every unit in tree order with its depth: the heatmap's row order and the export's choices. */
  units: { unit: TreeUnit; depth: number }[];
  /** The latest flag notifications, as GET /organisations/:orgId/notifications lists them. */
  notifications: NotificationView[];
}

/**
 * The organisation overview as one use case: the heatmap and participation of ReportsService
 * (and so the same anonymity decisions as their JSON routes), the unit tree, and the latest flag
 * notifications. Access and the audit entry are the caller's (the page controller's rules are
 * those of the heatmap route).
 */
@Injectable()
export class OrganisationOverviewService {
  constructor(
    private readonly reports: ReportsService,
    private readonly units: UnitsService,
    private readonly notifications: NotificationsService,
  ) {}

  async overview(organisationId: string, roundId?: string): Promise<OrganisationOverview> {
    const [heatmap, rounds, participation, tree, notifications] = await Promise.all([
      this.reports.heatmap(organisationId, roundId),
      this.reports.rounds(organisationId),
      this.reports.participation(organisationId),
      this.units.list(organisationId, { kind: 'organisation' }),
      this.notifications.list(organisationId, { limit: OVERVIEW_NOTIFICATIONS }),
    ]);
    const root = tree.find((u) => u.kind === 'organisation');
    return {
      organisation: { id: organisationId, name: root?.name ?? 'Organisation' },
      heatmap,
      rounds,
      participation,
      units: treeOrder(tree.map(({ id, parentId, name, kind }) => ({ id, parentId, name, kind }))),
      notifications,
    };
  }
}
