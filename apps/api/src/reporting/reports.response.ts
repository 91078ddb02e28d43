import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { FLAG_CODES } from '@trellis/scoring';

/**
 * What the reports return, exactly as ReportsService and CommitmentsService build it. Every
 * number here passed the anonymity decision; a hidden group carries its respondent count and a
 * sentence instead (SuppressedTrendDto, SuppressedHeatmapRowDto).
 */

const nullableNumber = (description?: string) =>
  ApiProperty({ type: Number, nullable: true, ...(description ? { description } : {}) });

class ReportRoundDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date' }) periodStart!: string;
  @ApiProperty({ format: 'date' }) periodEnd!: string;
}

class CampaignRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

/** A round the reader may pick: aggregated, with its campaign. */
export class RoundChoiceDto extends ReportRoundDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) aggregatedAt!: string | null;
  @ApiProperty({ enum: ['schedule', 'import'] }) source!: string;
  @ApiProperty({
    type: CampaignRefDto,
    nullable: true,
    description: 'null for imported history',
  })
  campaign!: CampaignRefDto | null;
}

class ThresholdsDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) quadrant!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: true }) micromanagement!: Record<
    string,
    number
  >;
  @ApiProperty({ type: 'object', additionalProperties: true }) abandonment!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: true }) lowSafety!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: true }) splitTeam!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: true }) declining!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: true }) perceptionGap!: Record<
    string,
    number
  >;
  @ApiProperty({ type: 'object', additionalProperties: true }) lowParticipation!: Record<
    string,
    number
  >;
}

/** When a round was aggregated and under which settings its figures were computed and gated. */
export class RoundBasisDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) aggregatedAt!: string | null;
  @ApiProperty({
    description:
      "Whether the results are on the organisation's current tree and settings; false while they are recomputed",
  })
  current!: boolean;
  @ApiProperty({ description: 'k in force' }) minimumGroupSize!: number;
  @ApiProperty({ description: 'A team mean with rwg(j) below this is marked', example: 0.7 })
  agreementCutoff!: number;
  @ApiProperty({ type: ThresholdsDto, description: 'The flag thresholds in force' })
  thresholds!: ThresholdsDto;
}

/** ICC(1), ICC(2) and alpha of one dimension in one round, over every team that took part. */
export class OrganisationStatisticDto {
  @ApiProperty({ example: 'decision_rights' }) dimension!: string;
  @ApiProperty({ description: 'Respondents over all teams' }) n!: number;
  @ApiProperty({ description: 'Teams in the analysis; at least 2' }) teams!: number;
  @nullableNumber('ICC(1): how much of the variance is team climate') icc1!: number | null;
  @nullableNumber('ICC(2): how reliable team means are') icc2!: number | null;
  @nullableNumber("Cronbach's alpha of the dimension's items") alpha!: number | null;
}

class BenchmarkDto {
  @nullableNumber() mean!: number | null;
  @nullableNumber() ciLow!: number | null;
  @nullableNumber() ciHigh!: number | null;
}

export class DimensionFigureDto {
  @ApiProperty({ example: 'autonomy' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Respondents behind this figure; at least k' }) n!: number;
  @nullableNumber('Mean on the instrument scale') mean!: number | null;
  @nullableNumber('Sample standard deviation of person scores') sd!: number | null;
  @nullableNumber('Standard error of the mean') se!: number | null;
  @nullableNumber('90 % interval, low end') ciLow!: number | null;
  @nullableNumber('90 % interval, high end') ciHigh!: number | null;
  @nullableNumber('0..100') score!: number | null;
  @nullableNumber(
    'Share of people on the healthy side, 0..1: a score of at least max − 1, or at most min + 1 where higher is worse (over-control)',
  )
  favourable!: number | null;
  @nullableNumber('Share of people on the unhealthy side, 0..1') unfavourable!: number | null;
  @nullableNumber('Within-group agreement rwg(j), 0..1') rwgJ!: number | null;
  @ApiProperty({
    description: 'rwg(j) below the agreement cut-off: the mean describes the team poorly',
  })
  belowAgreement!: boolean;
  @nullableNumber('Percentile among the units of the organisation') percentile!: number | null;
  @ApiProperty({
    type: BenchmarkDto,
    nullable: true,
    description: "The organisation's figure, when it may be shown",
  })
  benchmark!: BenchmarkDto | null;
}

export class SuppressedTrendDto {
  @ApiProperty({ type: ReportRoundDto }) round!: ReportRoundDto;
  @ApiProperty({
    description:
      'Answers from the unit and the units below it (a person in two teams answers for each)',
  })
  respondents!: number;
  @nullableNumber('respondents / invited, 0..1') responseRate!: number | null;
  @ApiProperty({ enum: [false] }) shown!: false;
  @ApiProperty({ example: 'not enough responses to show (fewer than 5)' }) message!: string;
}

export class ShownTrendDto {
  @ApiProperty({ type: ReportRoundDto }) round!: ReportRoundDto;
  @ApiProperty({
    description:
      'Answers from the unit and the units below it (a person in two teams answers for each)',
  })
  respondents!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Invitations on the same basis as respondents (summed over the teams below); null when unknown',
  })
  invited!: number | null;
  @nullableNumber('respondents / invited, 0..1') responseRate!: number | null;
  @ApiProperty({ enum: [true] }) shown!: true;
  @ApiProperty({
    description:
      "Whether the unit's own respondents (without units below it) may be shown: quadrant, flags and items need it",
  })
  ownShown!: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'aligned_autonomy' }) quadrant!:
    string | null;
  @nullableNumber() autonomy!: number | null;
  @nullableNumber() alignment!: number | null;
  @ApiProperty({ type: [DimensionFigureDto] }) dimensions!: DimensionFigureDto[];
}

const TREND = {
  oneOf: [{ $ref: getSchemaPath(ShownTrendDto) }, { $ref: getSchemaPath(SuppressedTrendDto) }],
};

export class FlagDto {
  @ApiProperty({ enum: FLAG_CODES }) code!: string;
  @ApiProperty({ enum: ['watch', 'confirmed'] }) level!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The figures that raised the flag',
  })
  evidence!: Record<string, unknown>;
  @ApiProperty() explanation!: string;
  @ApiProperty({ type: [String], description: 'What a leader can try' }) actions!: string[];
}

export class ItemFigureDto {
  @ApiProperty() key!: string;
  @ApiProperty() dimension!: string;
  @ApiProperty() text!: string;
  @ApiProperty() reverse!: boolean;
  @ApiProperty() itemKey!: string;
  @ApiProperty() n!: number;
  @nullableNumber() mean!: number | null;
  @nullableNumber('Single-item agreement rwg, floored at 0') rwg!: number | null;
  @ApiProperty({
    type: [Number],
    description: 'How many chose each point of the scale, lowest first',
  })
  distribution!: number[];
  @ApiProperty({
    type: [String],
    enum: ['favourable', 'neutral', 'unfavourable'],
    description:
      'How each point of the scale reads after reverse keying and the dimension direction, lowest first',
  })
  tones!: string[];
}

class TeamFlagDto {
  @ApiProperty({ enum: FLAG_CODES }) code!: string;
  @ApiProperty({ enum: ['watch', 'confirmed'] }) level!: string;
}

class TeamLineDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['organisation', 'department', 'team'] }) kind!: string;
  @ApiProperty({ description: "Answers from the team's own members" }) respondents!: number;
  @ApiProperty({ type: Number, nullable: true }) invited!: number | null;
  @ApiProperty({ description: "Whether the team's own results may be shown" }) shown!: boolean;
  @ApiProperty({
    type: [TeamFlagDto],
    description: 'Its flags; always empty when the team is not shown (nothing is said about it)',
  })
  flags!: TeamFlagDto[];
}

class TeamsSummaryDto {
  @ApiProperty({ format: 'uuid', description: 'The latest round, which the summary is of' })
  roundId!: string;
  @ApiProperty({ type: [TeamLineDto] }) teams!: TeamLineDto[];
  @ApiProperty({ description: 'Shown teams with at least one flag' }) flagged!: number;
  @ApiProperty({ description: 'Teams whose results may be shown' }) shownTeams!: number;
}

class ReportUnitDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['organisation', 'department', 'team'] }) kind!: string;
}

class ReportScaleDto {
  @ApiProperty() min!: number;
  @ApiProperty() max!: number;
  @ApiPropertyOptional({ type: [String] }) labels?: string[];
}

class DimensionScaleDto {
  @ApiProperty({ example: 'hostility' }) dimension!: string;
  @ApiProperty({ type: ReportScaleDto }) scale!: ReportScaleDto;
}

class ChangeDto {
  @ApiProperty({ description: 'later − earlier, on the instrument scale' }) delta!: number;
  @ApiProperty() ciLow!: number;
  @ApiProperty() ciHigh!: number;
  @ApiProperty({ enum: ['improved', 'worsened', 'no_clear_change'] }) verdict!:
    'improved' | 'worsened' | 'no_clear_change';
}

class DimensionChangeDto {
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
  @nullableNumber('Mean in the earlier round') earlier!: number | null;
  @nullableNumber('Mean in the chosen round') later!: number | null;
  @ApiProperty({ type: ChangeDto, nullable: true }) change!: ChangeDto | null;
}

class ComparisonDto {
  @ApiProperty({ type: ReportRoundDto, description: 'The earlier round' }) round!: ReportRoundDto;
  @ApiProperty({ description: "Whether the earlier round's results of this unit may be shown" })
  shown!: boolean;
  @ApiProperty({ type: [DimensionChangeDto] }) changes!: DimensionChangeDto[];
}

class ProgressDto {
  @ApiProperty({ format: 'date', description: 'Period start of the baseline round' })
  since!: string;
  @ApiProperty({ format: 'date', description: 'Period start of the latest shown round' })
  latest!: string;
  @ApiProperty({ type: ChangeDto }) change!: ChangeDto;
}

export class CommitmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) unitId!: string;
  @ApiProperty({ format: 'uuid', type: String, nullable: true, description: 'Baseline round' })
  roundId!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: FLAG_CODES }) flagCode!: string | null;
  @ApiProperty({ example: 'leader_support' }) dimension!: string;
  @ApiProperty() action!: string;
  @ApiProperty() owner!: string;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty({ enum: ['open', 'done', 'dropped'] }) status!: 'open' | 'done' | 'dropped';
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why it was marked done or dropped, or anything the leader noted',
  })
  note!: string | null;
  @ApiProperty({
    description:
      'Still open and its due date has passed everywhere (a date is past once it is past in UTC−12)',
  })
  overdue!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
  @ApiProperty({
    type: ProgressDto,
    nullable: true,
    description: 'How the dimension moved since the baseline; null until a later round is shown',
  })
  progress!: ProgressDto | null;
}

@ApiExtraModels(ShownTrendDto, SuppressedTrendDto)
export class UnitReportDto {
  @ApiProperty({ type: ReportUnitDto }) unit!: ReportUnitDto;
  @ApiProperty({ description: 'k: the fewest respondents a shown figure holds' })
  minimumGroupSize!: number;
  @ApiProperty({ type: ReportScaleDto, nullable: true }) scale!: ReportScaleDto | null;
  @ApiProperty({
    type: [DimensionScaleDto],
    description:
      "Each dimension's scale (its own, else the instrument's); its figures are on it. Empty before any round.",
  })
  dimensionScales!: DimensionScaleDto[];
  @ApiProperty({
    // OpenAPI 3.0 has no null type: null is the third choice, an object schema that allows only null.
    oneOf: [...TREND.oneOf, { type: 'object', nullable: true, enum: [null] }],
    description: 'The chosen round (?round=, the latest by default); null before any',
  })
  latest!: ShownTrendDto | SuppressedTrendDto | null;
  @ApiProperty({
    type: [RoundChoiceDto],
    description: 'Every aggregated round this unit took part in, oldest first',
  })
  rounds!: RoundChoiceDto[];
  @ApiProperty({ type: RoundBasisDto, nullable: true }) basis!: RoundBasisDto | null;
  @ApiProperty({
    type: [OrganisationStatisticDto],
    description:
      'The organisation-wide ICC(1), ICC(2) and alpha of the chosen round; empty where they may not be shown',
  })
  statistics!: OrganisationStatisticDto[];
  @ApiProperty({
    type: ComparisonDto,
    nullable: true,
    description: 'The chosen round against ?compare=',
  })
  comparison!: ComparisonDto | null;
  @ApiProperty({
    type: [FlagDto],
    description: "The latest round's flags, when its own group may be shown",
  })
  flags!: FlagDto[];
  @ApiProperty({ type: [ItemFigureDto] }) items!: ItemFigureDto[];
  @ApiProperty({ type: 'array', items: TREND, description: 'Every round, oldest first' })
  trends!: (ShownTrendDto | SuppressedTrendDto)[];
  @ApiProperty({
    type: TeamsSummaryDto,
    nullable: true,
    description: 'For a unit with units below it: its teams in the latest round; null for a team',
  })
  teams!: TeamsSummaryDto | null;
  @ApiProperty({ type: [CommitmentDto] }) commitments!: CommitmentDto[];
}

class HeatmapUnitDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', type: String, nullable: true }) parentId!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['organisation', 'department', 'team'] }) kind!: string;
}

class HeatmapDimensionDto {
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
}

class HeatmapCellDto {
  @nullableNumber() mean!: number | null;
  @nullableNumber() score!: number | null;
  @nullableNumber() ciLow!: number | null;
  @nullableNumber() ciHigh!: number | null;
  @nullableNumber('Sample standard deviation') sd!: number | null;
  @nullableNumber('rwg(j); null for a rollup over several teams') rwgJ!: number | null;
  @ApiProperty({ description: 'rwg(j) below the agreement cut-off' }) belowAgreement!: boolean;
}

export class ShownHeatmapRowDto {
  @ApiProperty({ type: HeatmapUnitDto }) unit!: HeatmapUnitDto;
  @ApiProperty({ enum: [true] }) shown!: true;
  @ApiProperty() respondents!: number;
  @ApiProperty({
    type: 'object',
    description: 'By dimension key; null where the figure may not be shown',
    additionalProperties: {
      type: 'object',
      nullable: true,
      allOf: [{ $ref: getSchemaPath(HeatmapCellDto) }],
    },
  })
  cells!: Record<string, HeatmapCellDto | null>;
}

export class SuppressedHeatmapRowDto {
  @ApiProperty({ type: HeatmapUnitDto }) unit!: HeatmapUnitDto;
  @ApiProperty({ enum: [false] }) shown!: false;
  @ApiProperty() respondents!: number;
  @ApiProperty() message!: string;
}

@ApiExtraModels(ShownHeatmapRowDto, SuppressedHeatmapRowDto, HeatmapCellDto)
export class HeatmapDto {
  @ApiProperty({
    type: RoundChoiceDto,
    nullable: true,
    description: 'null before any aggregated round',
  })
  round!: RoundChoiceDto | null;
  @ApiProperty({ type: Number, nullable: true }) minimumGroupSize!: number | null;
  @ApiProperty({ type: RoundBasisDto, nullable: true }) basis!: RoundBasisDto | null;
  @ApiProperty({
    type: [HeatmapUnitDto],
    description: 'Units with no respondents in this round: they did not take part',
  })
  notTakingPart!: HeatmapUnitDto[];
  @ApiProperty({
    type: [OrganisationStatisticDto],
    description: 'ICC(1), ICC(2) and alpha per dimension; empty where they may not be shown',
  })
  statistics!: OrganisationStatisticDto[];
  @ApiProperty({ type: [HeatmapDimensionDto] }) dimensions!: HeatmapDimensionDto[];
  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [
        { $ref: getSchemaPath(ShownHeatmapRowDto) },
        { $ref: getSchemaPath(SuppressedHeatmapRowDto) },
      ],
    },
  })
  rows!: (ShownHeatmapRowDto | SuppressedHeatmapRowDto)[];
}

export class ParticipationRoundDto {
  @ApiProperty({ format: 'uuid' }) roundId!: string;
  @ApiProperty({ format: 'date' }) periodStart!: string;
  @ApiProperty({ enum: ['schedule', 'import'] }) source!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) campaignId!: string | null;
  @ApiProperty({ type: String, nullable: true }) campaignName!: string | null;
  @ApiProperty({ description: 'Teams with at least one respondent' }) teams!: number;
  @ApiProperty() respondents!: number;
  @ApiProperty({ type: Number, nullable: true }) invited!: number | null;
  @nullableNumber('0..1') responseRate!: number | null;
}
