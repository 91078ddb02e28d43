import { Injectable } from '@nestjs/common';
import { AggregationService } from '@trellis/aggregation';
import { OrganisationsService, RosterImportService } from '@trellis/organisation';
import { HistoryImportService } from '@trellis/surveys';
import { generateOrganisation, historyCsv } from '@trellis/synthetic';

export interface SyntheticLoadSummary {
  organisationId: string;
  teams: number;
  rounds: number;
  respondents: number;
  archetypes: Record<string, number>;
}

/**
 * Loads a generated organisation through the same doors a customer's data uses: the roster
 * import, the history import, then the aggregation job, round after round.
 */
@Injectable()
export class SyntheticLoader {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly roster: RosterImportService,
    private readonly history: HistoryImportService,
    private readonly aggregation: AggregationService,
  ) {}

  async load(
    slug: string,
    options: { seed: number; teams: number; rounds: number },
  ): Promise<SyntheticLoadSummary> {
    const synthetic = generateOrganisation(options);
    const org = await this.organisations.create({
      slug,
      name: `Synthetic ${slug} (seed ${options.seed})`,
    });
    await this.roster.import(org.id, synthetic.rosterCsv);
    let respondents = 0;
    for (const round of synthetic.rounds) {
      const imported = await this.history.import(org.id, historyCsv(round), {
        periodStart: round.periodStart,
        periodEnd: round.periodEnd,
      });
      respondents += imported.respondents;
      await this.aggregation.aggregate(imported.roundId);
    }
    const archetypes: Record<string, number> = {};
    for (const team of synthetic.teams)
      archetypes[team.archetype] = (archetypes[team.archetype] ?? 0) + 1;
    return {
      organisationId: org.id,
      teams: synthetic.teams.length,
      rounds: synthetic.rounds.length,
      respondents,
      archetypes,
    };
  }
}
