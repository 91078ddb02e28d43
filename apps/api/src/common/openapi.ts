import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';

/** One field at fault in a request: where (body fields dotted, or a query/route parameter) and what is wrong. */
export class FieldProblemDto {
  @ApiProperty({ example: 'email' }) field!: string;
  @ApiProperty({ example: 'must be an email address' }) message!: string;
}

/** One problem in an uploaded file, by line and column. */
export class LineProblemDto {
  @ApiProperty({ description: 'Line in the file, the header being line 1', example: 3 })
  line!: number;
  @ApiProperty({ example: 'email' }) column!: string;
  @ApiProperty({ example: 'must be an email address' }) message!: string;
}

/** The body of every error answer (see AllExceptionsFilter). */
export class ErrorDto {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({
    description: 'What went wrong, for a person to read',
    example: 'unit not found',
  })
  message!: string;
  @ApiPropertyOptional({ description: 'The status text', example: 'Not Found' }) error?: string;
  @ApiPropertyOptional({
    type: [FieldProblemDto],
    description: 'The fields at fault, when the problem lies in named fields',
  })
  errors?: FieldProblemDto[];
}

/**
 * A 400. From validation (the pipe, the access rule's id check, the services' own checks) every
 * field at fault is named in errors, with the same text joined in message; the few 400s raised
 * before a field is known (a body that is not JSON, a value PostgreSQL itself refused) carry
 * statusCode and message only.
 */
export class ValidationErrorDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({
    example:
      'email: must be an email address; name: must be shorter than or equal to 200 characters',
  })
  message!: string;
  @ApiPropertyOptional({ example: 'Bad Request' }) error?: string;
  @ApiPropertyOptional({
    type: [FieldProblemDto],
    description: 'Each field at fault; present whenever the problem lies in named fields',
  })
  errors?: FieldProblemDto[];
}

/** A 400 for an uploaded file: nothing was written, and every bad line and column is named. */
export class FileRejectedDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'the file has 2 problems; nothing was imported' }) message!: string;
  @ApiPropertyOptional({ example: 'Bad Request' }) error?: string;
  @ApiPropertyOptional({
    type: [LineProblemDto],
    description: 'Present when the file itself is at fault',
  })
  problems?: LineProblemDto[];
  @ApiPropertyOptional({
    type: [FieldProblemDto],
    description: 'Present when a query parameter is at fault',
  })
  errors?: FieldProblemDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'A field, parameter or the body is wrong; errors names each one, and nothing was written',
  401: 'No session or token, or it is unknown, expired or revoked',
  403: 'Signed in, without the role this needs',
  404: 'Not found, or in another organisation',
  409: 'Conflicts with what exists (a duplicate, or a state that does not allow it)',
  410: 'It existed and is gone for good',
  413: 'The body is larger than the server accepts',
  415: 'The body is not of a type this operation takes (a file goes as text/csv)',
  429: 'Too many requests; wait a little and try again',
  503: 'A backing service (PostgreSQL, Redis) is unavailable, or the answer is being recomputed; retry after Retry-After seconds',
};

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 503;

/** The error answers an operation can give, each with the shared error body. */
export function ApiErrors(...statuses: ErrorStatus[]) {
  return applyDecorators(
    ApiExtraModels(ErrorDto, ValidationErrorDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        // Always JSON, also where the success is a file (ApiProduces would otherwise apply).
        content: {
          'application/json': {
            schema: { $ref: getSchemaPath(status === 400 ? ValidationErrorDto : ErrorDto) },
          },
        },
        ...(status === 503 || status === 429
          ? {
              headers: {
                'Retry-After': {
                  description: 'Seconds to wait before trying again',
                  schema: { type: 'integer' },
                },
              },
            }
          : {}),
      }),
    ),
  );
}

/** A 400 for an uploaded file: problems by line and column, or a query parameter at fault. */
export function ApiFileRejected() {
  return applyDecorators(
    ApiExtraModels(FileRejectedDto),
    ApiResponse({
      status: 400,
      description:
        'The file or a query parameter is wrong; every problem is named and nothing was written',
      content: { 'application/json': { schema: { $ref: getSchemaPath(FileRejectedDto) } } },
    }),
  );
}

/**
 * For an operation (or a controller whose operations all) need a signed-in caller: either
 * credential works, and any can answer 401, 429 (rate limit) or 503, and 403 when the access rule
 * asks for a role. `{ self: true }` for what any signed-in person may do about themselves.
 */
export function ApiSignedIn(options: { self?: boolean } = {}) {
  return applyDecorators(
    ApiBearerAuth(),
    ApiCookieAuth(),
    ApiErrors(...((options.self ? [401, 429, 503] : [401, 403, 429, 503]) as ErrorStatus[])),
  );
}

/** @nestjs/swagger's metadata key for ApiOperation (its constants are not exported). */
const API_OPERATION = 'swagger/apiOperation';

/**
 * Marks an operation as asking for no credential, keeping whatever ApiOperation says (an
 * ApiOperation({ security: [] }) here would reset a summary set above it).
 */
const noSecurity: MethodDecorator = (_target, _key, descriptor) => {
  const previous = (Reflect.getMetadata(API_OPERATION, descriptor.value as object) ?? {}) as Record<
    string,
    unknown
  >;
  Reflect.defineMetadata(API_OPERATION, { ...previous, security: [] }, descriptor.value as object);
  return descriptor;
};

/** Anyone may call it: no credential is asked for (security: []); still rate-limited. */
export function ApiPublic() {
  return applyDecorators(noSecurity, ApiErrors(429));
}
