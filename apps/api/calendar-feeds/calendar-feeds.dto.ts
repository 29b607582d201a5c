import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, ValidateIf } from 'class-validator';
import { trim } from '../common/text';

export const MAX_FEED_LABEL = 100;

export class CreateCalendarFeedDto {
  @ApiPropertyOptional({ maxLength: MAX_FEED_LABEL, description: 'What the feed is for, to tell it from your others (e.g. "work phone")' })
  // Absent is no label; null is no text, so it is refused like any other non-string.
  @ValidateIf((_o: unknown, v: unknown) => v !== undefined)
  @Transform(trim)
  @IsString()
  @MaxLength(MAX_FEED_LABEL)
  label?: string;
}

/** A feed as listed: never its secret. */
export class CalendarFeedView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Empty when none was given' }) label!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Set once revoked: its URL answers 404 from then on' })
  revokedAt?: string;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'When a calendar last fetched it (refreshed at most once a minute)',
  })
  lastFetchedAt?: string;
}

/** A new feed: its URL holds the secret and is shown only in this answer. */
export class CreatedCalendarFeedView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() label!: string;
  @ApiProperty({
    format: 'uri',
    example: 'http://localhost:3000/calendar/3q2-7wVXlGk0mB1yZ9cR8sT4uA6eD5fH2jK0nP1qS3v.ics',
    description: 'Subscribe to it in a calendar; whoever has it reads your work, so treat it as a password. Shown only here.',
  })
  url!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}

export class CalendarFeedList {
  @ApiProperty({ type: [CalendarFeedView], description: 'Active feeds first, then revoked ones; newest first in each' })
  items!: CalendarFeedView[];
}
