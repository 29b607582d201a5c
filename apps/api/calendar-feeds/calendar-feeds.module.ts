import { Module } from '@nestjs/common';
import { CalendarFileController, MyCalendarFeedsController } from './calendar-feeds.controller';
import { CalendarFeedsService } from './calendar-feeds.service';

/** Private iCalendar feeds: a person's own feeds (create, list, revoke) and the public file a calendar fetches. */
@Module({ controllers: [MyCalendarFeedsController, CalendarFileController], providers: [CalendarFeedsService] })
export class CalendarFeedsModule {}
