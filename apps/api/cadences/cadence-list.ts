/**
 * One page of the per-system cadence Schedules, read from Temporal's schedule list: the list
 * entries carry the spec, paused state and next action times, so a page costs one call however
 * many thousand Schedules there are (no describe per Schedule). The cursor is Temporal's page
 * token (base64url); the SDK's `schedule.list()` iterates every page and keeps the token to itself.
 */
import { Client, ScheduleDescription } from '@temporalio/client';
import { decodeScheduleRecentActions, decodeScheduleSpec } from '@temporalio/client/lib/schedule-helpers';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { parseCadenceId } from '../../../libs/domain';
import { isTemporalUnavailable } from '../common/temporal-errors';
import { fieldError } from '../common/validation';
import { cadenceView, CadenceView } from './schedule-spec';

export const CURSOR_PATTERN = '^[A-Za-z0-9_-]{1,4000}$';

export async function systemCadencePage(
  client: Client,
  limit: number,
  cursor?: string,
): Promise<{ items: CadenceView[]; nextCursor: string | null }> {
  let response;
  try {
    response = await client.workflowService.listSchedules({
      namespace: client.schedule.options.namespace,
      maximumPageSize: limit,
      ...(cursor ? { nextPageToken: Buffer.from(cursor, 'base64url') } : {}),
    });
  } catch (err) {
    // A token Temporal did not issue (or one from another page size) is the caller's mistake.
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
  return { items, nextCursor: token && token.length ? Buffer.from(token).toString('base64url') : null };
}
