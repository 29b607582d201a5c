/**
 * apps/api/systems/systems-import: CSV and JSON rows read and checked as POST /systems checks
 * its body, each error naming the row (and the CSV line) and the field; the file's own
 * problems (header, shape, too many rows) refused before any row.
 */
import {
  CSV_COLUMNS,
  IMPORT_MAX_ROWS,
  parseCsvRows,
  parseJsonRows,
  TooManyRowsError,
  UnreadableImportError,
  validateRows,
} from '../../../apps/api/systems/systems-import';

const OWNER = '0b7a4f4e-5d5c-4c3b-9a2a-1f0e0d0c0b0a';
const HEADER = CSV_COLUMNS.join(',');
const csvRow = (name: string, over: Partial<Record<(typeof CSV_COLUMNS)[number], string>> = {}) => {
  const v: Record<string, string> = {
    name,
    description: 'Scores loan applications',
    purpose: 'Consumer credit',
    'provider.type': 'internal',
    'provider.name': '',
    deployer: 'Retail lending',
    ownerId: OWNER,
    businessUnit: '',
    riskTier: 'high',
    lifecycleStage: 'operation_and_monitoring',
    goLiveDate: '2026-03-01',
    dataInputs: 'bureau data; applications',
    dataOutputs: 'score',
    oversightMeasures: '',
    complianceStatus: '',
    ...over,
  };
  return CSV_COLUMNS.map((c) => (/[",\n]/.test(v[c]) ? `"${v[c].replace(/"/g, '""')}"` : v[c])).join(',');
};
const jsonRow = (name: string, over: Record<string, unknown> = {}) => ({
  name,
  description: 'd',
  purpose: 'p',
  provider: { type: 'internal' },
  deployer: 'ops',
  ownerId: OWNER,
  riskTier: 'limited',
  lifecycleStage: 'design_and_development',
  dataInputs: [],
  dataOutputs: [],
  oversightMeasures: [],
  ...over,
});

describe('CSV rows', () => {
  it('reads a header and rows: nested provider, lists split on ";", empty cells absent, lines counted', async () => {
    const csv = [HEADER, csvRow('A'), csvRow('B, with a comma', { 'provider.type': 'third_party', 'provider.name': 'Acme' })].join('\r\n');
    const rows = parseCsvRows(csv);
    expect(rows.map((r) => [r.row, r.line])).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(rows[0].value).toEqual({
      name: 'A',
      description: 'Scores loan applications',
      purpose: 'Consumer credit',
      provider: { type: 'internal' },
      deployer: 'Retail lending',
      ownerId: OWNER,
      riskTier: 'high',
      lifecycleStage: 'operation_and_monitoring',
      goLiveDate: '2026-03-01',
      dataInputs: ['bureau data', 'applications'],
      dataOutputs: ['score'],
      oversightMeasures: [],
    });
    const { valid, errors } = await validateRows(rows);
    expect(errors).toEqual([]);
    expect(valid.map((v) => [v.dto.name, v.dto.provider.name])).toEqual([
      ['A', undefined],
      ['B, with a comma', 'Acme'],
    ]);
  });

  it("names the row, the line and the field of each error, every row's at once", async () => {
    const lines = [HEADER];
    for (let i = 1; i <= 8; i++) lines.push(csvRow(`S${i}`, i === 7 ? { riskTier: 'severe' } : {}));
    lines.push(csvRow('S9', { 'provider.type': 'third_party', goLiveDate: '2026-02-30' }));
    const { valid, errors } = await validateRows(parseCsvRows(lines.join('\n')));
    expect(valid).toHaveLength(7);
    expect(errors).toEqual([
      { row: 7, line: 8, field: 'riskTier', messages: [expect.stringContaining('riskTier must be one of')] },
      { row: 9, line: 10, field: 'provider.name', messages: ['provider.name is required'] },
      { row: 9, line: 10, field: 'goLiveDate', messages: [expect.stringContaining('valid calendar date')] },
    ]);
  });

  it('refuses an unknown column, a duplicate one and a missing required one, before any row', () => {
    let err: unknown;
    try {
      parseCsvRows('name,name,colour,description\nA,A,red,d\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnreadableImportError);
    const fields = (err as UnreadableImportError).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['colour', 'name', 'purpose', 'provider.type', 'ownerId', 'riskTier', 'lifecycleStage']));
  });

  it('refuses malformed CSV naming the line', () => {
    const csv = [HEADER, csvRow('A'), 'only,three,cells'].join('\n');
    expect(() => parseCsvRows(csv)).toThrow(UnreadableImportError);
    try {
      parseCsvRows(csv);
    } catch (e) {
      expect((e as UnreadableImportError).errors[0]).toMatchObject({ row: 0, line: 3, field: 'body' });
    }
  });

  it(`takes ${IMPORT_MAX_ROWS} rows, refuses one more`, () => {
    const row = csvRow('same');
    const body = (n: number) => [HEADER, ...Array.from({ length: n }, () => row)].join('\n');
    expect(parseCsvRows(body(IMPORT_MAX_ROWS))).toHaveLength(IMPORT_MAX_ROWS);
    expect(() => parseCsvRows(body(IMPORT_MAX_ROWS + 1))).toThrow(TooManyRowsError);
  });
});

describe('JSON rows', () => {
  it('checks each POST /systems body: unknown fields, wrong types, NUL, a row that is no object', async () => {
    const rows = parseJsonRows({
      systems: [jsonRow('ok'), jsonRow('x', { colour: 'red' }), 42, jsonRow('bad\u0000name'), jsonRow('  ', { ownerId: 'nope' })],
    });
    const { valid, errors } = await validateRows(rows);
    expect(valid.map((v) => v.row)).toEqual([1]);
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [2, 'colour'],
      [3, 'row'],
      [4, 'name'],
      [5, 'name'],
      [5, 'ownerId'],
    ]);
    expect(errors.every((e) => e.line === undefined)).toBe(true);
  });

  it('trims as POST /systems does', async () => {
    const { valid } = await validateRows(parseJsonRows({ systems: [jsonRow('  Padded  ', { dataInputs: [' a '] })] }));
    expect(valid[0].dto).toMatchObject({ name: 'Padded', dataInputs: ['a'] });
  });

  it('refuses another shape, and more than the limit', () => {
    expect(() => parseJsonRows([jsonRow('a')])).toThrow(UnreadableImportError);
    expect(() => parseJsonRows({ systems: [], extra: 1 })).toThrow(UnreadableImportError);
    expect(() => parseJsonRows({ systems: 'no' })).toThrow(UnreadableImportError);
    expect(() => parseJsonRows({ systems: Array.from({ length: IMPORT_MAX_ROWS + 1 }, () => ({})) })).toThrow(TooManyRowsError);
  });
});
