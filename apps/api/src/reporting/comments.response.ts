import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow as Accepted } from 'class-validator';
import { COMMENT_MARKS, COMMENT_QUERY_MAX, HIDE_REASON_MAX, REPLY_MAX } from '@trellis/reporting';

/**
 * What the comment routes return, exactly as CommentsService builds it. No comment carries a
 * row id, a date or a score: its id is keyed and says nothing of its author's other comments.
 */

const STATUSES = ['shown', 'none', 'open', 'no_round'];

export class CommentRoundDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Campaign and period, in days' }) label!: string;
  @ApiProperty() closed!: boolean;
}

class CommentMarkDto {
  @ApiProperty({ enum: COMMENT_MARKS }) status!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) commitmentId!: string | null;
}

class CommentHiddenDto {
  @ApiProperty({ description: 'Why HR withheld the text' }) reason!: string;
}

class CommentReplyDto {
  @ApiProperty({ enum: ['leader', 'hr', 'author'] }) by!: string;
  @ApiProperty({ description: 'A role, never a name: "A leader of <unit>", "HR", "The author"' })
  label!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ format: 'date', description: 'The day only' }) day!: string;
}

export class ShownCommentDto {
  @ApiProperty({ description: 'Keyed id, for marking' }) id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Dimension key; null is general' })
  dimension!: string | null;
  @ApiProperty() theme!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: CommentMarkDto, nullable: true }) mark!: CommentMarkDto | null;
  @ApiProperty({
    type: CommentHiddenDto,
    nullable: true,
    description: 'Withheld by HR: text is empty; the comment still counts',
  })
  hidden!: CommentHiddenDto | null;
  @ApiProperty({ type: [CommentReplyDto], description: 'The conversation with the author' })
  replies!: CommentReplyDto[];
}

class CommentThemeDto {
  @ApiProperty({ description: 'Dimension key, or general' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty() count!: number;
}

class CommentUnitDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
}

class CommentFilterDto {
  @ApiProperty({ type: String, nullable: true }) dimension!: string | null;
  @ApiProperty({ type: String, nullable: true }) q!: string | null;
}

class PoolBelowDto {
  @ApiProperty({ format: 'uuid' }) unitId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'People who commented' }) authors!: number;
}

class CommitmentRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() action!: string;
}

export class UnitCommentsDto {
  @ApiProperty({ type: CommentUnitDto }) unit!: CommentUnitDto;
  @ApiProperty({ type: [CommentRoundDto] }) rounds!: CommentRoundDto[];
  @ApiProperty({ type: CommentRoundDto, nullable: true }) round!: CommentRoundDto | null;
  @ApiProperty({
    enum: STATUSES,
    description:
      'shown: this unit has a comment pool; none: too few commented here, or they rose to a unit above; open: the round is open',
  })
  status!: string;
  @ApiProperty({ description: 'People who must have commented for a pool to be shown' })
  minCommentGroup!: number;
  @ApiProperty({ description: 'People whose comments are in this pool' }) authors!: number;
  @ApiProperty({ description: 'Comments in the pool before filters' }) total!: number;
  @ApiProperty({ type: [CommentThemeDto] }) themes!: CommentThemeDto[];
  @ApiProperty({ type: CommentFilterDto }) filter!: CommentFilterDto;
  @ApiProperty({ type: [ShownCommentDto], description: 'Ordered by text alone' })
  comments!: ShownCommentDto[];
  @ApiProperty({ type: [PoolBelowDto] }) below!: PoolBelowDto[];
  @ApiProperty({ type: [CommitmentRefDto] }) commitments!: CommitmentRefDto[];
}

class OrganisationPoolDto {
  @ApiProperty({ format: 'uuid' }) unitId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() authors!: number;
  @ApiProperty() comments!: number;
}

export class OrganisationCommentsDto {
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ type: [CommentRoundDto] }) rounds!: CommentRoundDto[];
  @ApiProperty({ type: CommentRoundDto, nullable: true }) round!: CommentRoundDto | null;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty() minCommentGroup!: number;
  @ApiProperty({ type: [OrganisationPoolDto] }) pools!: OrganisationPoolDto[];
}

/** Query values go to the service as sent; it names what it refuses. */
export class CommentsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the latest closed round' })
  @Accepted()
  round?: string;
  @ApiPropertyOptional({ description: 'A dimension key, or general' })
  @Accepted()
  dimension?: string;
  @ApiPropertyOptional({ maxLength: COMMENT_QUERY_MAX, description: 'Words, case-insensitive' })
  @Accepted()
  q?: string;
}

export class CommentsRoundQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the latest closed round' })
  @Accepted()
  round?: string;
}

export class MarkCommentDto {
  @ApiProperty({ format: 'uuid', description: 'The round the comment is in' })
  @Accepted()
  round!: unknown;
  @ApiProperty({ enum: [...COMMENT_MARKS, 'none'], description: 'none removes the mark' })
  @Accepted()
  status!: unknown;
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: "One of the unit's commitments",
  })
  @Accepted()
  commitmentId?: unknown;
}

export class ReplyCommentDto {
  @ApiProperty({ format: 'uuid', description: 'The round the comment is in' })
  @Accepted()
  round!: unknown;
  @ApiProperty({
    maxLength: REPLY_MAX,
    description: 'What the author will read, signed by your role',
  })
  @Accepted()
  text!: unknown;
}

export class ModerateCommentDto {
  @ApiProperty({ format: 'uuid', description: 'The round the comment is in' })
  @Accepted()
  round!: unknown;
  @ApiPropertyOptional({ description: 'false shows the comment again; default true' })
  @Accepted()
  hidden?: unknown;
  @ApiPropertyOptional({
    maxLength: HIDE_REASON_MAX,
    description: 'Why (required to hide): readers and the author are shown it',
  })
  @Accepted()
  reason?: unknown;
}
