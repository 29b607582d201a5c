import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Public } from '../auth/public.decorator';
import { UuidPipe } from '../common/validation';
import { CalendarFeedList, CreateCalendarFeedDto, CreatedCalendarFeedView } from './calendar-feeds.dto';
import { CalendarFeedsService, FEED_FILE_PATTERN, MAX_ACTIVE_FEEDS } from './calendar-feeds.service';

const TAG = 'calendar feeds';

/** The caller's own feeds: anyone may hold some, for their own work only. */
@AuthenticatedController('me/calendar-feeds', TAG)
export class MyCalendarFeedsController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Create a private iCalendar feed of your due dates, the reminder and escalation steps that reach you and the deadlines ' +
      'of incidents you handle; its URL holds a secret and is shown only in this answer',
  })
  // Every field is optional, so is the body: a bare POST makes an unlabelled feed.
  @ApiBody({ type: CreateCalendarFeedDto, required: false })
  @ApiCreatedResponse({ type: CreatedCalendarFeedView })
  @ApiConflictResponse({ description: `You hold ${MAX_ACTIVE_FEEDS} active feeds already: revoke one first` })
  create(@Body() dto: CreateCalendarFeedDto, @CurrentPerson() person: AuthenticatedPerson): Promise<CreatedCalendarFeedView> {
    return this.feeds.create(person, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Your calendar feeds, revoked ones too; never their secret' })
  @ApiOkResponse({ type: CalendarFeedList })
  list(@CurrentPerson() person: AuthenticatedPerson): Promise<CalendarFeedList> {
    return this.feeds.list(person);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke one of your feeds at once: its URL answers 404 from then on. Revoking a revoked feed answers 204 again',
  })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'You have no such feed (another person’s feed is not yours to see)' })
  async revoke(@Param('id', UuidPipe('id')) id: string, @CurrentPerson() person: AuthenticatedPerson): Promise<void> {
    await this.feeds.revoke(person, id);
  }
}

/** What a calendar subscribes to: the secret in the path is the only credential. */
@ApiTags(TAG)
@Controller('calendar')
export class CalendarFileController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  @Public()
  @Get(':file')
  @ApiOperation({
    summary:
      'A feed (RFC 5545): one event per due time, pending ladder step and running incident clock, each with a stable UID and a ' +
      'SEQUENCE that grows with every change; done work leaves the feed. No bearer token: the file name is the secret',
  })
  @ApiParam({
    name: 'file',
    description: 'The file name of the URL POST /me/calendar-feeds answered',
    schema: { type: 'string', pattern: FEED_FILE_PATTERN },
  })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'The feed', content: { 'text/calendar': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: 'No such feed: unknown, malformed, revoked, or its person deactivated (one answer for all)' })
  async file(
    @Param('file') file: string,
    @Res({ passthrough: true }) res: { setHeader(name: string, value: string): unknown },
  ): Promise<string> {
    const body = await this.feeds.file(file);
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    // Personal: no shared cache keeps it; a calendar polling faster than this gets the same copy.
    res.setHeader('Cache-Control', 'private, max-age=300');
    return body;
  }
}
