import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { Logger } from 'nestjs-pino';
import { AppConfig, requestId } from '@trellis/config';

/** Everything main.ts and the tests both need, so tests exercise the app exactly as it runs. */
export function setupApp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // Before the body parsers, so a body they refuse still answers with its request id.
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    requestId(req, res);
    next();
  });
  app.use(cookieParser());
  const limit = config.env.MAX_BODY_BYTES;
  app.useBodyParser('json', { limit });
  app.useBodyParser('urlencoded', { limit, extended: false });
  app.useBodyParser('text', { limit, type: ['text/csv', 'text/plain'] });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Trellis API')
      .setDescription(
        'Pulse surveys and team health indicators. Authenticate with a session token from POST /auth/sign-in ' +
          'or an HR API token, as "Authorization: Bearer <token>".',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .addCookieAuth('trellis_session')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
