/**
 * An iCalendar (RFC 5545) writer for published feeds of short UTC events. Pure: lines end in
 * CRLF and fold at 75 octets without splitting a UTF-8 character, TEXT values are escaped, and
 * instants are UTC date-times (`20261201T090000Z`).
 */

export interface CalendarEvent {
  /** Stable across fetches, so a calendar updates the event instead of adding another. */
  uid: string;
  start: Date;
  durationMinutes: number;
  summary: string;
  description?: string;
  url?: string;
  /** Grows with every change of the event (RFC 5545 3.8.7.4), so the newer copy wins. */
  sequence: number;
  /**
   * LAST-MODIFIED, and DTSTAMP too: this copy of the event was made when its record last
   * changed, so the same records give the same feed byte for byte (and the same ETag).
   */
  lastModified: Date;
}

export interface CalendarDocument {
  /** PRODID: who wrote the feed. */
  productId: string;
  /** X-WR-CALNAME: the name calendars show for the subscription. */
  name: string;
  /** How often a subscriber should fetch again, in minutes (REFRESH-INTERVAL, RFC 7986). */
  refreshMinutes: number;
  events: CalendarEvent[];
}

const CRLF = '\r\n';
const MAX_OCTETS = 75;

/** A UTC DATE-TIME (FORM #2): `20261201T090000Z`. */
export function utcDateTime(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError('an invalid date has no iCalendar form');
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, every line break
 * as `\n`; other control characters, which TEXT may not hold, dropped (a tab stays).
 */
export function escapeText(value: string): string {
  return (
    value
      .replace(/\\/g, '\\\\')
      .replace(/;/g, '\\;')
      .replace(/,/g, '\\,')
      .replace(/\r\n|\r|\n/g, '\\n')
      // eslint-disable-next-line no-control-regex -- control characters are what this drops
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
  );
}

/** A URI value: no escaping in iCalendar, but it may hold no control character (nor a space). */
function uriValue(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters cannot stand in a content line
  if (/[\u0000-\u0020\u007f]/.test(value)) throw new RangeError(`not a URI: ${JSON.stringify(value)}`);
  return value;
}

/**
 * Folds a content line (RFC 5545 3.1): at most 75 octets a line, continuation lines starting
 * with one space, never inside a UTF-8 character.
 */
export function foldLine(line: string): string {
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > MAX_OCTETS) {
      lines.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  lines.push(current);
  return lines.join(CRLF);
}

function eventLines(e: CalendarEvent): string[] {
  if (!Number.isInteger(e.sequence) || e.sequence < 0) throw new RangeError(`SEQUENCE must be a non-negative integer, got ${e.sequence}`);
  if (!Number.isInteger(e.durationMinutes) || e.durationMinutes <= 0) throw new RangeError('an event lasts a whole number of minutes');
  return [
    'BEGIN:VEVENT',
    `UID:${escapeText(e.uid)}`,
    `DTSTAMP:${utcDateTime(e.lastModified)}`,
    `DTSTART:${utcDateTime(e.start)}`,
    `DURATION:PT${e.durationMinutes}M`,
    `SUMMARY:${escapeText(e.summary)}`,
    ...(e.description !== undefined ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
    ...(e.url !== undefined ? [`URL:${uriValue(e.url)}`] : []),
    `SEQUENCE:${e.sequence}`,
    `LAST-MODIFIED:${utcDateTime(e.lastModified)}`,
    // A deadline marks a moment; it does not make the person busy.
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ];
}

/** The whole feed: one VCALENDAR, every line folded and ended by CRLF. */
export function serializeCalendar(doc: CalendarDocument): string {
  const refresh = `PT${doc.refreshMinutes}M`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${escapeText(doc.productId)}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(doc.name)}`,
    `REFRESH-INTERVAL;VALUE=DURATION:${refresh}`,
    `X-PUBLISHED-TTL:${refresh}`,
    ...doc.events.flatMap(eventLines),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
