/**
 * Builds the Nest application over a loaded configuration (used by main.ts): validation,
 * the error format, Swagger at /docs (JSON at /docs-json), the web app at /app/, shutdown hooks.
 */
import { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ApiConfig } from '../../libs/config';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/http-exception.filter';
import { completeDocument, methodNotAllowed } from './common/openapi-contract';
import { createValidationPipe } from './common/validation';
import { csvImportBody, importBodyParsers, IMPORT_PATH } from './systems/import-body';
import { CSV_DESCRIPTION } from './systems/systems.controller';
import { webApp } from './web/web-app';

export interface CreateAppOptions {
  logger?: LoggerService | LogLevel[] | false;
}

export async function createApp(config: ApiConfig, opts: CreateAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    logger: opts.logger ?? ['log', 'error', 'warn'],
    abortOnError: false,
  });
  // Before Nest's own parsers (registered at init): the import's bodies may be large.
  app.use(IMPORT_PATH, ...importBodyParsers());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  const doc = new DocumentBuilder()
    .setTitle('AIMS orchestrator')
    .setDescription(
      'ISO/IEC 42001 AI management system: AI system inventory, people and roles, cadences, owned work ' +
        '(reviews, impact assessments, incident reports) with reminders, escalations and approvals.\n\n' +
        'Every route except /health, sign-in (/auth/sign-in-links, /auth/sessions) and a calendar feed (/calendar/{file}) needs ' +
        '`Authorization: Bearer <token>` or the session cookie of a signed-in person (then changes also need `X-CSRF-Token`). Errors: `{ statusCode, error, message }`; ' +
        'validation errors add `errors: [{ field, messages }]`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'An API token (aims_...)' })
    .build();
  const document = completeDocument(app, SwaggerModule.createDocument(app, doc));
  csvImportBody(document, CSV_DESCRIPTION);
  // The web app's files: middleware, not routes, so never in the OpenAPI document.
  app.use(webApp({ webDir: config.webDir, timeZone: config.timeZone }));
  app.use(methodNotAllowed(document));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
  return app;
}
