/**
 * Reading a bulk import of the inventory (POST /systems/import): CSV or JSON rows, each
 * checked against the rules of POST /systems (CreateSystemDto, with the global pipe's
 * options), every row's errors at once, named by row (1-based data row; for CSV also the
 * line) and field. No I/O: the checks against the records (owners, names) are the service's.
 */
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { CreateSystemDto } from './systems.dto';
import { fieldsWithNul, flattenValidationErrors } from '../common/validation';

/** The most rows one import takes (more is a 413). */
export const IMPORT_MAX_ROWS = 10_000;
/** Errors listed in a refusal; the rest are counted. */
export const IMPORT_ERRORS_LISTED = 100;
/** What separates the items of a list field (dataInputs, dataOutputs, oversightMeasures) in a CSV cell. */
export const CSV_LIST_SEPARATOR = ';';

/**
 * The CSV columns, in the order a template lists them. `provider.type` and `provider.name`
 * fill the nested provider; list columns hold items separated by `;`; an empty cell is an
 * absent field (an empty list for a list column). Columns may come in any order.
 */
export const CSV_COLUMNS = [
  'name',
  'description',
  'purpose',
  'provider.type',
  'provider.name',
  'deployer',
  'ownerId',
  'businessUnit',
  'riskTier',
  'lifecycleStage',
  'goLiveDate',
  'dataInputs',
  'dataOutputs',
  'oversightMeasures',
  'complianceStatus',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
export const CSV_REQUIRED_COLUMNS: readonly CsvColumn[] = [
  'name',
  'description',
  'purpose',
  'provider.type',
  'deployer',
  'ownerId',
  'riskTier',
  'lifecycleStage',
];
const LIST_COLUMNS = new Set<string>(['dataInputs', 'dataOutputs', 'oversightMeasures']);

/** One refused row's field (or the file itself: row 0, field `body` or a column). */
export interface ImportError {
  row: number;
  /** The CSV line the row ends on. */
  line?: number;
  field: string;
  messages: string[];
}

/** One row as read, before its checks. */
export interface RawRow {
  row: number;
  line?: number;
  value: unknown;
}

export interface ValidRow {
  row: number;
  line?: number;
  dto: CreateSystemDto;
}

/** Thrown when the file has more rows than an import takes. */
export class TooManyRowsError extends Error {
  constructor(readonly rows: number) {
    super(`an import takes at most ${IMPORT_MAX_ROWS} rows; this one has ${rows === IMPORT_MAX_ROWS + 1 ? 'more' : rows}`);
  }
}

/** Thrown when the file cannot be read as rows at all (malformed CSV, a header problem, a JSON body of another shape). */
export class UnreadableImportError extends Error {
  constructor(readonly errors: ImportError[]) {
    super(errors.map((e) => e.messages.join('; ')).join('; '));
  }
}

/** The rows of a CSV file: a header row naming the columns, then one system per row. */
export function parseCsvRows(text: string): RawRow[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      // The header plus one row too many is enough to tell a file that is too long.
      to: IMPORT_MAX_ROWS + 2,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new UnreadableImportError([
      { row: 0, ...(e.lines ? { line: e.lines } : {}), field: 'body', messages: [`the CSV cannot be read: ${e.message}`] },
    ]);
  }
  if (!records.length) throw new UnreadableImportError([{ row: 0, line: 1, field: 'body', messages: ['the CSV has no header row'] }]);
  const header = records[0].record.map((h) => h.trim());
  const problems: ImportError[] = [];
  const seen = new Set<string>();
  for (const h of header) {
    if (!(CSV_COLUMNS as readonly string[]).includes(h)) {
      problems.push({
        row: 0,
        line: 1,
        field: h || '(empty)',
        messages: [`unknown column '${h}'; the columns are ${CSV_COLUMNS.join(', ')}`],
      });
    } else if (seen.has(h)) {
      problems.push({ row: 0, line: 1, field: h, messages: [`column '${h}' appears twice`] });
    }
    seen.add(h);
  }
  for (const c of CSV_REQUIRED_COLUMNS) {
    if (!seen.has(c)) problems.push({ row: 0, line: 1, field: c, messages: [`the header lacks the required column '${c}'`] });
  }
  if (problems.length) throw new UnreadableImportError(problems);
  const rows = records.slice(1);
  if (rows.length > IMPORT_MAX_ROWS) throw new TooManyRowsError(rows.length);
  return rows.map(({ record, info }, i) => ({ row: i + 1, line: info.lines, value: csvRecordToBody(header as CsvColumn[], record) }));
}

/** A CSV row as the JSON body POST /systems takes. */
function csvRecordToBody(header: CsvColumn[], record: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const provider: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const cell = record[i] ?? '';
    if (LIST_COLUMNS.has(column)) {
      body[column] = cell
        .split(CSV_LIST_SEPARATOR)
        .map((s) => s.trim())
        .filter((s) => s !== '');
      return;
    }
    if (cell.trim() === '') return;
    if (column === 'provider.type') provider.type = cell;
    else if (column === 'provider.name') provider.name = cell;
    else body[column] = cell;
  });
  for (const c of LIST_COLUMNS) body[c] ??= [];
  if (Object.keys(provider).length) body.provider = provider;
  return body;
}

/** The rows of a JSON body: `{ "systems": [ <a POST /systems body>, ... ] }`. */
export function parseJsonRows(body: unknown): RawRow[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new UnreadableImportError([{ row: 0, field: 'body', messages: ['the body must be a JSON object: { "systems": [ ... ] }'] }]);
  }
  const extra = Object.keys(body).filter((k) => k !== 'systems');
  const systems = (body as { systems?: unknown }).systems;
  if (extra.length || !Array.isArray(systems)) {
    throw new UnreadableImportError([
      ...extra.map((k) => ({ row: 0, field: k, messages: [`property ${k} should not exist`] })),
      ...(Array.isArray(systems) ? [] : [{ row: 0, field: 'systems', messages: ['systems must be an array of systems'] }]),
    ]);
  }
  if (systems.length > IMPORT_MAX_ROWS) throw new TooManyRowsError(systems.length);
  return systems.map((value, i) => ({ row: i + 1, value }));
}

/**
 * Checks every row as POST /systems checks its body (the global pipe's options: unknown
 * fields refused, values trimmed, NUL refused) and answers the valid rows and all errors.
 */
export async function validateRows(rows: RawRow[]): Promise<{ valid: ValidRow[]; errors: ImportError[] }> {
  const valid: ValidRow[] = [];
  const errors: ImportError[] = [];
  for (const r of rows) {
    const at = { row: r.row, ...(r.line !== undefined ? { line: r.line } : {}) };
    if (!r.value || typeof r.value !== 'object' || Array.isArray(r.value)) {
      errors.push({ ...at, field: 'row', messages: ['a row must be an object (a POST /systems body)'] });
      continue;
    }
    const withNul = fieldsWithNul(r.value);
    if (withNul.length) {
      errors.push(...withNul.map((field) => ({ ...at, field, messages: [`${field} must not contain a NUL character (U+0000)`] })));
      continue;
    }
    const dto = plainToInstance(CreateSystemDto, r.value);
    const found = await validate(dto, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: true },
    });
    if (found.length) errors.push(...flattenValidationErrors(found).map((e) => ({ ...at, ...e })));
    else valid.push({ ...at, dto });
  }
  return { valid, errors };
}

/** "row 7 (line 8): riskTier must be one of ..." */
export function describeError(e: ImportError): string {
  const where = e.row
    ? `row ${e.row}${e.line !== undefined ? ` (line ${e.line})` : ''}`
    : e.line !== undefined
      ? `line ${e.line}`
      : 'the file';
  return `${where}: ${e.messages.join('; ')}`;
}
