import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import type { ApiConfig } from '../../../libs/config';
import {
  activeCalendarFeedCount,
  CalendarFeedRecord,
  calendarFeedOwner,
  calendarFeedsOf,
  createCalendarFeed,
  markCalendarFeedFetched,
  revokeCalendarFeed,
} from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { hashToken } from '../auth/tokens';
import { API_CONFIG } from '../config/api-config.module';
import { CalendarFeedList, CalendarFeedView, CreateCalendarFeedDto, CreatedCalendarFeedView } from './calendar-feeds.dto';
import { feedEvents } from './feed-events';
import { loadFeedSources } from './feed-sources';
import { serializeCalendar } from './icalendar';

/** A feed's file name: 32 random bytes, base64url (43 characters), then `.ics`. */
export const FEED_FILE_PATTERN = '^[A-Za-z0-9_-]{43}\\.ics$';
const FEED_FILE = new RegExp(FEED_FILE_PATTERN);

/** Active feeds a person may hold at once: each is a standing credential to read their work. */
export const MAX_ACTIVE_FEEDS = 20;
/** How many of a person's feeds the list shows (the active ones always fit). */
const MAX_LISTED_FEEDS = 100;
/** How often a subscriber should fetch again. */
const REFRESH_MINUTES = 15;

/** One answer for a file that is malformed, unknown, revoked or a deactivated person's: nothing to learn from it. */
const NOT_FOUND = 'calendar feed not found';

export function toCalendarFeedView(f: CalendarFeedRecord): CalendarFeedView {
  return {
    id: f.id,
    label: f.label,
    createdAt: f.createdAt.toISOString(),
    ...(f.revokedAt ? { revokedAt: f.revokedAt.toISOString() } : {}),
    ...(f.lastFetchedAt ? { lastFetchedAt: f.lastFetchedAt.toISOString() } : {}),
  };
}

@Injectable()
export class CalendarFeedsService {
  private readonly logger = new Logger('CalendarFeeds');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async create(person: AuthenticatedPerson, dto: CreateCalendarFeedDto): Promise<CreatedCalendarFeedView> {
    const secret = randomBytes(32).toString('base64url');
    const feed = await this.db.transaction(async (tx) => {
      // Locks the person: two creations at once cannot both pass the limit, nor race a deactivation.
      const rows: Array<{ active: boolean }> = await tx.query(`SELECT active FROM people WHERE id = $1 FOR UPDATE`, [person.id]);
      if (!rows[0]?.active) throw new NotFoundException(`person ${person.id} not found or deactivated`);
      if ((await activeCalendarFeedCount(tx, person.id)) >= MAX_ACTIVE_FEEDS) {
        throw new ConflictException(`you hold ${MAX_ACTIVE_FEEDS} active calendar feeds, the most at once: revoke one first`);
      }
      return createCalendarFeed(tx, { personId: person.id, label: dto.label ?? '', secretHash: hashToken(secret) }, person.id);
    });
    return {
      id: feed.id,
      label: feed.label,
      url: `${this.config.publicUrl}/calendar/${secret}.ics`,
      createdAt: feed.createdAt.toISOString(),
    };
  }

  async list(person: AuthenticatedPerson): Promise<CalendarFeedList> {
    return { items: (await calendarFeedsOf(this.db, person.id, MAX_LISTED_FEEDS)).map(toCalendarFeedView) };
  }

  /** Idempotent: a feed of the caller's revoked before answers as done; anyone else's, or none, is a 404. */
  async revoke(person: AuthenticatedPerson, feedId: string): Promise<void> {
    const feed = await this.db.transaction((tx) => revokeCalendarFeed(tx, person.id, feedId, person.id));
    if (!feed) throw new NotFoundException(`calendar feed ${feedId} not found`);
  }

  /** The iCalendar text behind a feed's file name. */
  async file(file: string): Promise<string> {
    if (!FEED_FILE.test(file)) throw new NotFoundException(NOT_FOUND);
    const found = await calendarFeedOwner(this.db, hashToken(file.slice(0, -'.ics'.length)));
    if (!found) throw new NotFoundException(NOT_FOUND);
    const events = await feedEvents(await loadFeedSources(this.db, found.person, this.config.publicUrl));
    // Best effort: a feed is never refused over bookkeeping.
    markCalendarFeedFetched(this.db, found.feedId).catch((err: unknown) =>
      this.logger.warn(`last fetch of feed ${found.feedId}: ${String(err)}`),
    );
    return serializeCalendar({
      productId: '-//aims-orchestrator//Calendar feed//EN',
      name: `AIMS work: ${found.person.name}`,
      refreshMinutes: REFRESH_MINUTES,
      events,
    });
  }
}
