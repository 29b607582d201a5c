/**
 * Keeps a workflow's custom search attributes (libs/contracts/search-attributes.ts) current: the
 * returned function upserts every attribute when any value changed since the last upsert. Behind
 * patched(): a history recorded before search attributes existed replays without the upserts,
 * and a workflow already running gets them at its next transition after the change.
 */
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES_PATCH, searchAttributeUpdates, SearchableWork } from '../libs/contracts';

export function searchIndex(): (work: SearchableWork) => void {
  let last: string | undefined;
  return (work) => {
    const key = JSON.stringify([work.kind, work.ownerId, work.subjectId, work.state, work.dueAt ?? null]);
    if (key === last || !patched(SEARCH_ATTRIBUTES_PATCH)) return;
    upsertSearchAttributes(searchAttributeUpdates(work));
    last = key;
  };
}
