/**
 * Registers the product's custom search attributes (libs/contracts/search-attributes.ts) in a
 * namespace: on the dev server `npm start` and the e2e stack run, and on the time-skipping test
 * server. Idempotent: an attribute already there with its type is left alone.
 *
 * `temporal server start-dev --search-attribute` registers attributes only when it creates its
 * SQLite file (CLI 1.5.1): started again on an existing .data/ it adds none, so the launcher
 * also calls this once the server answers. The time-skipping test server implements
 * AddSearchAttributes but not ListSearchAttributes.
 */
import {
  INDEXED_VALUE_TYPE,
  searchAttributeCliType,
  searchAttributeGaps,
  SEARCH_ATTRIBUTE_KEYS,
} from '../../libs/contracts/search-attributes';

/** The part of a Connection's operatorService this needs. */
export interface SearchAttributeOperator {
  listSearchAttributes(req: { namespace: string }): Promise<{ customAttributes?: Record<string, number> | null }>;
  addSearchAttributes(req: { namespace: string; searchAttributes: Record<string, number> }): Promise<unknown>;
}

const GRPC_ALREADY_EXISTS = 6;
const GRPC_UNIMPLEMENTED = 12;
const codeOf = (err: unknown): number | undefined => (err as { code?: number })?.code;

/** Adds the attributes the namespace lacks; returns their names. Fails on one registered with another type. */
export async function ensureSearchAttributes(operator: SearchAttributeOperator, namespace: string): Promise<string[]> {
  let existing: Record<string, number> = {};
  try {
    existing = (await operator.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (err) {
    if (codeOf(err) !== GRPC_UNIMPLEMENTED) throw err; // the time-skipping test server: add them all
  }
  const { missing, wrongType } = searchAttributeGaps(existing);
  if (wrongType.length)
    throw new Error(
      `namespace ${namespace} has ${wrongType.map((w) => `${w.name} with IndexedValueType ${w.actual}, not ${w.expected}`).join('; ')}`,
    );
  if (!missing.length) return [];
  const searchAttributes = Object.fromEntries(missing.map((k) => [k.name, INDEXED_VALUE_TYPE[k.type]]));
  try {
    await operator.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    if (codeOf(err) !== GRPC_ALREADY_EXISTS) throw err;
  }
  return missing.map((k) => k.name);
}

/** `--search-attribute Name=Type` for `temporal server start-dev`, every attribute. */
export function devServerSearchAttributeArgs(): string[] {
  return SEARCH_ATTRIBUTE_KEYS.flatMap((k) => ['--search-attribute', `${k.name}=${searchAttributeCliType(k.type)}`]);
}
