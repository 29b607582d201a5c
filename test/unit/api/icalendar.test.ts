/**
 * The iCalendar writer of the calendar feed (RFC 5545): CRLF lines folded at 75 octets without
 * splitting a UTF-8 character, TEXT escaping, UTC date-times; and what it writes reads back
 * through a real parser (ical.js, Mozilla's) as written.
 */
import ICAL from 'ical.js';
import { CalendarEvent, escapeText, foldLine, serializeCalendar, utcDateTime } from '../../../apps/api/calendar-feeds/icalendar';

const octets = (s: string) => Buffer.byteLength(s, 'utf8');
/** RFC 5545 3.1 unfolding: a CRLF followed by one space or tab goes. */
const unfold = (s: string) => s.replace(/\r\n[ \t]/g, '');

function event(over: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    uid: 'task-high-risk-review:0b7a4f4e-5d5c-4c3b-9a2a-1f0e0d0c0b0a:2026-Q4-due@aims-orchestrator',
    start: new Date('2026-12-01T09:00:00Z'),
    durationMinutes: 30,
    summary: 'Due: High-risk review 2026-Q4',
    description: 'Review it.\nTask: http://localhost:3000/app/tasks/x',
    url: 'http://localhost:3000/app/tasks/high-risk-review%3A1%3A2026-Q4',
    sequence: 3,
    lastModified: new Date('2026-11-01T08:30:15.123Z'),
    ...over,
  };
}

describe('instants', () => {
  it('are UTC date-times, FORM #2, whole seconds', () => {
    expect(utcDateTime(new Date('2026-12-01T09:00:00Z'))).toBe('20261201T090000Z');
    expect(utcDateTime(new Date('2026-03-29T01:30:00+02:00'))).toBe('20260328T233000Z');
    expect(utcDateTime(new Date('2028-02-29T23:59:59.999Z'))).toBe('20280229T235959Z');
    expect(() => utcDateTime(new Date('nope'))).toThrow(RangeError);
  });
});

describe('TEXT escaping', () => {
  it('escapes backslash, semicolon and comma, and writes every line break as \\n', () => {
    expect(escapeText('a\\b;c,d')).toBe('a\\\\b\\;c\\,d');
    expect(escapeText('one\ntwo\r\nthree\rfour')).toBe('one\\ntwo\\nthree\\nfour');
    // A backslash before an n stays a backslash: it is escaped first.
    expect(escapeText('C:\\new')).toBe('C:\\\\new');
  });

  it('drops the control characters TEXT may not hold, keeps a tab and everything else', () => {
    expect(escapeText('a\u0000b\u0007c\u001bd\u007fe\tf')).toBe('abcde\tf');
    expect(escapeText('Grüße 😀 – “quotes”')).toBe('Grüße 😀 – “quotes”');
  });
});

describe('folding', () => {
  it('leaves a line of 75 octets as it is and folds the 76th onto a continuation line', () => {
    const line = 'X'.repeat(75);
    expect(foldLine(line)).toBe(line);
    expect(foldLine(line + 'Y')).toBe(`${line}\r\n Y`);
  });

  it('no physical line is longer than 75 octets, continuation lines start with one space, and unfolding gives the line back', () => {
    const line = `DESCRIPTION:${'abcdefghij'.repeat(40)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBe(Math.ceil((octets(line) - 75) / 74) + 1);
    for (const p of physical) expect(octets(p)).toBeLessThanOrEqual(75);
    for (const p of physical.slice(1)) expect(p[0]).toBe(' ');
    expect(unfold(folded)).toBe(line);
  });

  it('never splits a UTF-8 character, at any offset: every physical line is valid UTF-8 on its own', () => {
    for (const ch of ['é', '€', '😀', '👩‍💻']) {
      for (let pad = 0; pad < 8; pad++) {
        const line = `SUMMARY:${'x'.repeat(pad)}${ch.repeat(60)}`;
        const folded = foldLine(line);
        for (const p of folded.split('\r\n')) {
          expect(octets(p)).toBeLessThanOrEqual(75);
          // A cut character would not survive a UTF-8 round trip (it decodes to U+FFFD).
          expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p);
          expect(p).not.toMatch(/[\ud800-\udbff]$/);
        }
        expect(unfold(folded)).toBe(line);
      }
    }
  });
});

describe('a feed', () => {
  const text = serializeCalendar({
    productId: '-//aims-orchestrator//Calendar feed//EN',
    name: 'AIMS work: Olga, Owner; Risk\\IT',
    refreshMinutes: 15,
    events: [
      event(),
      event({
        uid: 'incident-1-gdpr-art33:notification@aims-orchestrator',
        start: new Date('2026-12-03T12:00:00Z'),
        summary: 'Notification, GDPR art. 33 due: Scores leaked; see ticket, now',
        description: `Line one, with a comma; a semicolon and a \\ backslash.\nLine two: ${'long text '.repeat(20)}é😀`,
        url: undefined,
        sequence: 0,
      }),
    ],
  });

  it('is CRLF lines only, each at most 75 octets, ending with a CRLF', () => {
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
  });

  it('says what it is: VERSION 2.0, PRODID, CALSCALE, METHOD:PUBLISH, its name, how often to fetch it', () => {
    const lines = unfold(text).split('\r\n');
    expect(lines.slice(0, 8)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//aims-orchestrator//Calendar feed//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'X-WR-CALNAME:AIMS work: Olga\\, Owner\\; Risk\\\\IT',
      'REFRESH-INTERVAL;VALUE=DURATION:PT15M',
      'X-PUBLISHED-TTL:PT15M',
    ]);
    expect(lines).toContain('DTSTART:20261201T090000Z');
    expect(lines).toContain('DTSTAMP:20261101T083015Z');
    expect(lines).toContain('LAST-MODIFIED:20261101T083015Z');
    expect(lines).toContain('DURATION:PT30M');
  });

  it('reads back through ical.js as written: UIDs, UTC starts, 30 minutes, texts with their commas, semicolons, backslashes and line breaks', () => {
    const cal = new ICAL.Component(ICAL.parse(text));
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    // An X- property's value type is unknown to a parser, which gives it raw: escaped as TEXT, as calendars read it.
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('AIMS work: Olga\\, Owner\\; Risk\\\\IT');
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.uid)).toEqual([
      'task-high-risk-review:0b7a4f4e-5d5c-4c3b-9a2a-1f0e0d0c0b0a:2026-Q4-due@aims-orchestrator',
      'incident-1-gdpr-art33:notification@aims-orchestrator',
    ]);
    expect(events[0].startDate.toJSDate().toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(events[0].startDate.zone.tzid).toBe('UTC');
    expect(events[0].endDate.toJSDate().toISOString()).toBe('2026-12-01T09:30:00.000Z');
    expect(events[0].sequence).toBe(3);
    expect(events[0].component.getFirstPropertyValue('url')).toBe('http://localhost:3000/app/tasks/high-risk-review%3A1%3A2026-Q4');
    expect(events[0].description).toBe('Review it.\nTask: http://localhost:3000/app/tasks/x');
    expect(events[1].summary).toBe('Notification, GDPR art. 33 due: Scores leaked; see ticket, now');
    expect(events[1].description).toBe(`Line one, with a comma; a semicolon and a \\ backslash.\nLine two: ${'long text '.repeat(20)}é😀`);
    expect(events[1].sequence).toBe(0);
  });

  it('refuses what it cannot write truthfully: a negative or fractional SEQUENCE, a URL with a space', () => {
    const doc = (e: CalendarEvent) => ({ productId: 'p', name: 'n', refreshMinutes: 15, events: [e] });
    expect(() => serializeCalendar(doc(event({ sequence: -1 })))).toThrow(/SEQUENCE/);
    expect(() => serializeCalendar(doc(event({ sequence: 1.5 })))).toThrow(/SEQUENCE/);
    expect(() => serializeCalendar(doc(event({ url: 'http://x.test/a b' })))).toThrow(/not a URI/);
  });
});
