/**
 * The bodies of POST /systems/import: a CSV or JSON file of up to 10,000 systems, far larger
 * than the 100 kB every other route reads. These parsers are mounted on that path alone,
 * ahead of Nest's own (which then leave the parsed body be), so no other route reads more.
 */
// body-parser ships without types here; the two factories used are typed below.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bodyParser = require('body-parser') as {
  json(o: { limit: string; type: string }): Middleware;
  text(o: { limit: string; type: string; defaultCharset: string }): Middleware;
};
type Middleware = (req: unknown, res: unknown, next: (err?: unknown) => void) => void;

export const IMPORT_PATH = '/systems/import';
/** 10,000 rows of a few hundred bytes each with room to spare; a larger body is a 413. */
export const IMPORT_BODY_LIMIT = '32mb';

/**
 * Wrapped under their own names: Nest skips registering its global JSON parser when it finds a
 * middleware named `jsonParser` already on the app, which would leave every other route unparsed.
 */
export function importBodyParsers(): Middleware[] {
  const json = bodyParser.json({ limit: IMPORT_BODY_LIMIT, type: 'application/json' });
  const text = bodyParser.text({ limit: IMPORT_BODY_LIMIT, type: 'text/csv', defaultCharset: 'utf-8' });
  return [
    function importJsonBody(req, res, next) {
      json(req, res, next);
    },
    function importCsvBody(req, res, next) {
      text(req, res, next);
    },
  ];
}

/**
 * The OpenAPI document's text/csv body of POST /systems/import: a string (Swagger's decorators
 * give every content type of an operation the same schema, the JSON object's).
 */
export function csvImportBody(document: { paths: Record<string, Record<string, any>> }, description: string): void {
  const body = document.paths[IMPORT_PATH]?.post?.requestBody;
  if (body?.content) body.content['text/csv'] = { schema: { type: 'string', minLength: 1, description } };
}
