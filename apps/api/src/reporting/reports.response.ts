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
  @nullableNumber('Standard error of the mean') se!: number | null;
  @nullableNumber('90 % interval, low end') ciLow!: number | null;
  @nullableNumber('90 % interval, high end') ciHigh!: number | null;
  @nullableNumber('0..100') score!: number | null;
  @nullableNumber('Share of favourable answers, 0..1') favourable!: number | null;
  @nullableNumber('Share of unfavourable answers, 0..1') unfavourable!: number | null;
  @nullableNumber('Within-group agreement rwg(j), 0..1') rwgJ!: number | null;
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
  @ApiProperty() respondents!: number;
  @nullableNumber('0..1') responseRate!: number | null;
  @ApiProperty({ enum: [false] }) shown!: false;
  @ApiProperty({ example: 'not enough responses to show (fewer than 5)' }) message!: string;
}

export class ShownTrendDto {
  @ApiProperty({ type: ReportRoundDto }) round!: ReportRoundDto;
  @ApiProperty() respondents!: number;
  @nullableNumber('0..1') responseRate!: number | null;
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
  @ApiProperty({
    type: [Number],
    description: 'How many chose each point of the scale, lowest first',
  })
  distribution!: number[];
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
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
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
    description: 'The latest round; null before any',
  })
  latest!: ShownTrendDto | SuppressedTrendDto | null;
  @ApiProperty({
    type: [FlagDto],
    description: "The latest round's flags, when its own group may be shown",
  })
  flags!: FlagDto[];
  @ApiProperty({ type: [ItemFigureDto] }) items!: ItemFigureDto[];
  @ApiProperty({ type: 'array', items: TREND, description: 'Every round, oldest first' })
  trends!: (ShownTrendDto | SuppressedTrendDto)[];
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
    type: ReportRoundDto,
    nullable: true,
    description: 'null before any aggregated round',
  })
  round!: ReportRoundDto | null;
  @ApiProperty({ type: Number, nullable: true }) minimumGroupSize!: number | null;
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
  @ApiProperty() respondents!: number;
  @ApiProperty({ type: Number, nullable: true }) invited!: number | null;
  @nullableNumber('0..1') responseRate!: number | null;
}
