/**
 * The custom search attributes of owned work in Temporal's visibility store, defined once: the
 * workflows upsert them, the dev server, the time-skipping test server and a cluster register
 * them (README: "Finding work in the Temporal Web UI"), and the worker checks at start-up that
 * its namespace has them (a workflow that upserts an unregistered attribute fails its workflow
 * task). Within the dev server's SQLite limits (10 Keyword, 3 of each other type). Visibility
 * stores values unencrypted: ids and enums only, never names, emails or summaries.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';

export const SEARCH_ATTRIBUTES = {
  /** A task's kind (`high-risk-review`, `aiia`, `incident-report`, ...), `incident` or `corrective-action`. */
  kind: defineSearchAttributeKey('AimsKind', SearchAttributeType.KEYWORD),
  /** The person id of the current owner: a task's owner, an incident's responder, a corrective action's action owner. */
  ownerId: defineSearchAttributeKey('AimsOwnerId', SearchAttributeType.KEYWORD),
  /** What the work is about: a task's subject id (system, incident or nonconformity), an incident's system, a corrective action's nonconformity. */
  subjectId: defineSearchAttributeKey('AimsSubjectId', SearchAttributeType.KEYWORD),
  /** The state in the domain's words: a task's (open, submitted, approved, completed, cancelled), a case's (open, closed). */
  state: defineSearchAttributeKey('AimsState', SearchAttributeType.KEYWORD),
  /** The current due time: a task's, a case's next deadline (absent when none is running). */
  dueAt: defineSearchAttributeKey('AimsDueAt', SearchAttributeType.DATETIME),
} as const;

/** Every attribute, in the order the README's command lists them. */
export const SEARCH_ATTRIBUTE_KEYS: ReadonlyArray<SearchAttributeKey<SearchAttributeType>> = Object.values(SEARCH_ATTRIBUTES);

/** The patch id of search attributes: workflows started before them replay without the upserts. */
export const SEARCH_ATTRIBUTES_PATCH = 'search-attributes';

/** What one workflow shows in visibility; `dueAt` ISO, absent to remove it. */
export interface SearchableWork {
  kind: string;
  ownerId: string;
  subjectId: string;
  state: string;
  dueAt?: string;
}

export function searchAttributeUpdates(work: SearchableWork): SearchAttributeUpdatePair[] {
  return [
    { key: SEARCH_ATTRIBUTES.kind, value: work.kind },
    { key: SEARCH_ATTRIBUTES.ownerId, value: work.ownerId },
    { key: SEARCH_ATTRIBUTES.subjectId, value: work.subjectId },
    { key: SEARCH_ATTRIBUTES.state, value: work.state },
    { key: SEARCH_ATTRIBUTES.dueAt, value: work.dueAt !== undefined ? new Date(work.dueAt) : null },
  ];
}

/** The protocol's IndexedValueType number of each type (temporal.api.enums.v1), as OperatorService reads and writes it. */
export const INDEXED_VALUE_TYPE: Record<SearchAttributeType, number> = {
  TEXT: 1,
  KEYWORD: 2,
  INT: 3,
  DOUBLE: 4,
  BOOL: 5,
  DATETIME: 6,
  KEYWORD_LIST: 7,
};

/**
 * What a namespace lacks of SEARCH_ATTRIBUTE_KEYS, given its custom attributes by name and
 * IndexedValueType: the missing ones, and those registered with another type.
 */
export function searchAttributeGaps(existing: Record<string, number>): {
  missing: Array<SearchAttributeKey<SearchAttributeType>>;
  wrongType: Array<{ name: string; expected: SearchAttributeType; actual: number }>;
} {
  const missing: Array<SearchAttributeKey<SearchAttributeType>> = [];
  const wrongType: Array<{ name: string; expected: SearchAttributeType; actual: number }> = [];
  for (const key of SEARCH_ATTRIBUTE_KEYS) {
    const actual = existing[key.name];
    if (actual === undefined) missing.push(key);
    else if (actual !== INDEXED_VALUE_TYPE[key.type]) wrongType.push({ name: key.name, expected: key.type, actual });
  }
  return { missing, wrongType };
}

/** The type's name in the `temporal` CLI (`Keyword`, `Datetime`). */
export function searchAttributeCliType(type: SearchAttributeType): string {
  const names: Record<SearchAttributeType, string> = {
    TEXT: 'Text',
    KEYWORD: 'Keyword',
    INT: 'Int',
    DOUBLE: 'Double',
    BOOL: 'Bool',
    DATETIME: 'Datetime',
    KEYWORD_LIST: 'KeywordList',
  };
  return names[type];
}

/** `temporal operator search-attribute create ...` for every attribute: what a cluster needs once (idempotent). */
export function searchAttributesCreateCommand(namespace: string): string {
  const pairs = SEARCH_ATTRIBUTE_KEYS.map((k) => `--name ${k.name} --type ${searchAttributeCliType(k.type)}`).join(' ');
  return `temporal operator search-attribute create --namespace ${namespace} ${pairs}`;
}
