/**
 * One page of the per-system cadence Schedules, read from Temporal's schedule list: the list
 * entries carry the spec, paused state and next action times, so a page costs one call however
 * many thousand Schedules there are (no describe per Schedule). The cursor is Temporal's page
 * token with a short checksum (base64url), so a cursor this list did not give is a 400 before
 * Temporal is asked; the SDK's `schedule.list()` iterates every page and keeps the token to itself.
 */
import { createHash } from 'crypto';
import { Client, ScheduleDescription } from '@temporalio/client';
import { decodeScheduleRecentActions, decodeScheduleSpec } from '@temporalio/client/lib/schedule-helpers';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { parseCadenceId } from '../../../libs/domain';
import { isTemporalUnavailable } from '../common/temporal-errors';
import { fieldError } from '../common/validation';
import { cadenceView, CadenceView } from './schedule-spec';

export const CURSOR_PATTERN = '^[A-Za-z0-9_-]{1,4000}$';

const CHECK_BYTES = 6;
const check = (token: Uint8Array): Buffer => createHash('sha256').update(token).digest().subarray(0, CHECK_BYTES);

export function encodeCursor(token: Uint8Array): string {
  return Buffer.concat([check(token), token]).toString('base64url');
}

/** The page token of a cursor this list gave, else a 400 on `cursor`. */
export function decodeCursor(cursor: string): Buffer {
  const raw = Buffer.from(cursor, 'base64url');
  const token = raw.subarray(CHECK_BYTES);
  if (raw.length <= CHECK_BYTES || raw.toString('base64url') !== cursor || !check(token).equals(raw.subarray(0, CHECK_BYTES)))
    throw fieldError('cursor', 'cursor is not one this list gave');
  return token;
}

export async function systemCadencePage(
  client: Client,
  limit: number,
  cursor?: string,
): Promise<{ items: CadenceView[]; nextCursor: string | null }> {
  const nextPageToken = cursor ? decodeCursor(cursor) : undefined;
  let response;
  try {
    response = await client.workflowService.listSchedules({
      namespace: client.schedule.options.namespace,
      maximumPageSize: limit,
      ...(nextPageToken ? { nextPageToken } : {}),
    });
  } catch (err) {
    // A token Temporal no longer takes (it expired, or the list changed shape) is the caller's to restart.
    if (cursor && !isTemporalUnavailable(err)) throw fieldError('cursor', 'cursor is not one this list gave');
    throw err;
  }
  const items: CadenceView[] = [];
  for (const raw of response.schedules ?? []) {
    const id = raw.scheduleId ?? '';
    // Only per-system cadences (`<kind>:<system id>`); the org-wide ones are listed apart.
    if (!parseCadenceId(id)) continue;
    const info = raw.info ?? {};
    const desc = {
      scheduleId: id,
      spec: decodeScheduleSpec(info.spec ?? {}),
      memo: {},
      state: { paused: info.paused === true, note: info.notes ?? undefined },
      info: {
        nextActionTimes: (info.futureActionTimes ?? []).map((t) => optionalTsToDate(t)!).filter(Boolean),
        recentActions: decodeScheduleRecentActions(info.recentActions),
      },
    } as unknown as ScheduleDescription;
    items.push(cadenceView(desc));
  }
  const token = response.nextPageToken;
  return { items, nextCursor: token && token.length ? encodeCursor(token) : null };
}
