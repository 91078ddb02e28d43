import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SESSION_COOKIE } from './access/session-cookie';
import { ErrorDto, FieldProblemDto, ValidationErrorDto } from './common/openapi';

const LICENCE = 'Proprietary (UNLICENSED): all rights reserved';

/** Each tag in the document with what its operations are about. */
const TAGS: [name: string, description: string][] = [
  ['auth', 'Signing in and out, who you are, your own password.'],
  ['api tokens', 'Long-lived bearer tokens for integrations (BI tools, scripts); HR and admins.'],
  [
    'organisation',
    'The organisation, its units (departments and teams), people, roles and settings.',
  ],
  ['surveys', 'Instruments, campaigns and their rounds, and importing past answers.'],
  ['pulse', 'Answering a round through a personal link; the link is the only credential.'],
  [
    'reports',
    'Team reports, the heatmap, participation and commitments; every number passed the anonymity decision.',
  ],
  [
    'comments',
    'Comments of closed rounds, for the leaders of the unit they are read at and HR: by theme, without scores, only in pools of at least the comment minimum of people.',
  ],
  ['exports', 'Trend data as CSV or XLSX, streamed directly or built in the background.'],
  ['data', 'Trend rows as paginated JSON for BI tools.'],
  ['audit', 'Who viewed or exported what, and when.'],
  ['notifications', 'Flag notifications and how their delivery went.'],
  ['operations', 'Liveness, readiness and background work.'],
];

/**
 * The OpenAPI document of the JSON API: served at /docs/openapi.json and written to a file by
 * `node dist/apps/api/main.js openapi <file>` for the linter (npm run lint:openapi).
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Trellis API')
    .setDescription(
      'Pulse surveys and team health indicators. Authenticate with a session token from POST /auth/sign-in ' +
        '(sent back as the session cookie, or as "Authorization: Bearer <token>") or with an HR API token as a bearer token. ' +
        'Every error answers with the same JSON body: statusCode, message and, for a 400, errors naming each field.',
    )
    .setVersion('0.1.0')
    .addServer('/', 'The server this document is served from')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'A session token from POST /auth/sign-in, or an API token',
    })
    .addCookieAuth(SESSION_COOKIE, {
      type: 'apiKey',
      in: 'cookie',
      description: 'The session cookie POST /auth/sign-in sets',
    });
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ErrorDto, ValidationErrorDto, FieldProblemDto],
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  withBodyLimit(document);
  // Proprietary: a name and no URL (DocumentBuilder would write an empty one).
  document.info.license = { name: LICENCE };
  return document;
}

/**
 * The body parsers refuse a body over MAX_BODY_BYTES (MAX_JSON_BODY_BYTES for JSON) before any
 * handler runs, so every operation that takes a body can answer 413; said here once.
 */
function withBodyLimit(document: OpenAPIObject): void {
  for (const path of Object.values(document.paths)) {
    for (const method of ['post', 'put', 'patch'] as const) {
      const operation = path[method];
      if (!operation?.requestBody || operation.responses['413']) continue;
      operation.responses['413'] = {
        description: 'The body is larger than the server accepts',
        content: {
          'application/json': { schema: { $ref: getSchemaPath(ErrorDto) } },
        },
      };
    }
  }
}
