/**
 * Private calendar feeds: their one writer (created, revoked, each with its event in the
 * person's audit stream in the same transaction) and their reads. Only the secret's sha256 is
 * stored; the caller hashes it.
 */
import { randomUUID } from 'crypto';
import type { EntityManager } from 'typeorm';
import type { Role } from '../contracts';
import { appendToStream, AUDIT_STREAMS } from './audit-streams';

type Db = Pick<EntityManager, 'query'>;

export interface CalendarFeedRecord {
  id: string;
  personId: string;
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastFetchedAt: Date | null;
}

interface FeedRow {
  id: string;
  person_id: string;
  label: string;
  created_at: Date;
  revoked_at: Date | null;
  last_fetched_at: Date | null;
}

const COLUMNS = 'id, person_id, label, created_at, revoked_at, last_fetched_at';

function toRecord(r: FeedRow): CalendarFeedRecord {
  const at = (d: Date | null) => (d ? new Date(d) : null);
  return {
    id: r.id,
    personId: r.person_id,
    label: r.label,
    createdAt: new Date(r.created_at),
    revokedAt: at(r.revoked_at),
    lastFetchedAt: at(r.last_fetched_at),
  };
}

/** How often last_fetched_at is refreshed at most: a calendar polls, and a write per poll would be wasteful. */
const LAST_FETCHED_RESOLUTION = '1 minute';

/** Feeds of a person that still answer. */
export async function activeCalendarFeedCount(db: Db, personId: string): Promise<number> {
  const rows: Array<{ n: number }> = await db.query(
    `SELECT count(*)::int AS n FROM calendar_feeds WHERE person_id = $1 AND revoked_at IS NULL`,
    [personId],
  );
  return rows[0].n;
}

export async function createCalendarFeed(
  tx: EntityManager,
  feed: { personId: string; label: string; secretHash: string },
  actorId: string,
  at = new Date(),
): Promise<CalendarFeedRecord> {
  const id = randomUUID();
  const rows: FeedRow[] = await tx.query(
    `INSERT INTO calendar_feeds (id, person_id, secret_hash, label, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [id, feed.personId, feed.secretHash, feed.label, at],
  );
  await appendToStream(tx, AUDIT_STREAMS.person(feed.personId), {
    event: 'calendar-feed.created',
    onceFor: id,
    actorId,
    occurredAt: at,
    detail: { feedId: id, label: feed.label },
  });
  return toRecord(rows[0]);
}

/**
 * Revokes a person's feed at once, with a `calendar-feed.revoked` event the first time only.
 * Undefined when the person has no such feed; a feed revoked before comes back as it is.
 */
export async function revokeCalendarFeed(
  tx: EntityManager,
  personId: string,
  feedId: string,
  actorId: string,
  at = new Date(),
): Promise<CalendarFeedRecord | undefined> {
  const rows: FeedRow[] = await tx.query(`SELECT ${COLUMNS} FROM calendar_feeds WHERE id = $1 AND person_id = $2 FOR UPDATE`, [
    feedId,
    personId,
  ]);
  const feed = rows[0];
  if (!feed || feed.revoked_at) return feed && toRecord(feed);
  // An UPDATE answers [rows, rowCount] through TypeORM's postgres driver.
  const [updated]: [FeedRow[], number] = await tx.query(`UPDATE calendar_feeds SET revoked_at = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [
    feedId,
    at,
  ]);
  await appendToStream(tx, AUDIT_STREAMS.person(personId), {
    event: 'calendar-feed.revoked',
    onceFor: feedId,
    actorId,
    occurredAt: at,
    detail: { feedId, label: feed.label },
  });
  return toRecord(updated[0]);
}

/** A person's feeds: the active ones first, then the revoked ones, newest first in each; at most `limit`. */
export async function calendarFeedsOf(db: Db, personId: string, limit: number): Promise<CalendarFeedRecord[]> {
  const rows: FeedRow[] = await db.query(
    `SELECT ${COLUMNS} FROM calendar_feeds WHERE person_id = $1
      ORDER BY (revoked_at IS NULL) DESC, created_at DESC, id LIMIT $2`,
    [personId, limit],
  );
  return rows.map(toRecord);
}

/** Whose calendar a feed secret opens: an active feed of an active person, or undefined. */
export async function calendarFeedOwner(
  db: Db,
  secretHash: string,
): Promise<{ feedId: string; person: { id: string; name: string; role: Role } } | undefined> {
  const rows: Array<{ feed_id: string; id: string; name: string; role: Role }> = await db.query(
    `SELECT f.id AS feed_id, p.id, p.name, p.role
       FROM calendar_feeds f JOIN people p ON p.id = f.person_id
      WHERE f.secret_hash = $1 AND f.revoked_at IS NULL AND p.active`,
    [secretHash],
  );
  const r = rows[0];
  return r && { feedId: r.feed_id, person: { id: r.id, name: r.name, role: r.role } };
}

/** Records that the feed was read (at most once a minute): bookkeeping, not an audit event. */
export async function markCalendarFeedFetched(db: Db, feedId: string): Promise<void> {
  await db.query(
    `UPDATE calendar_feeds SET last_fetched_at = now()
      WHERE id = $1 AND (last_fetched_at IS NULL OR last_fetched_at < now() - interval '${LAST_FETCHED_RESOLUTION}')`,
    [feedId],
  );
}
