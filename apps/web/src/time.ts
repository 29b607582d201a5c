/**
 * Times as people read them: in the organisation's zone (the API puts AIMS_TIMEZONE in
 * index.html's `aims-time-zone` meta tag), and relative to now ("due in 3 days", "2 days overdue").
 */
import { useEffect, useState } from 'react';

function readZone(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="aims-time-zone"]')?.content?.trim();
  if (meta) {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: meta });
      return meta;
    } catch {
      // An unknown zone: fall back to the browser's.
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export const ORG_TIME_ZONE = readZone();

const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: ORG_TIME_ZONE,
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', { timeZone: ORG_TIME_ZONE, day: 'numeric', month: 'short', year: 'numeric' });

/** "Mon, 12 Jan 2027, 17:00 CET" in the organisation's zone. */
export function formatInstant(iso: string | undefined | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatDate(iso: string | undefined | null): string {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? iso : dateOnly.format(d);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** "3 days", "5 hours", "12 minutes", "less than a minute": the larger unit, rounded down. */
export function span(ms: number): string {
  const a = Math.abs(ms);
  if (a >= DAY) return plural(Math.floor(a / DAY), 'day');
  if (a >= HOUR) return plural(Math.floor(a / HOUR), 'hour');
  if (a >= MINUTE) return plural(Math.floor(a / MINUTE), 'minute');
  return 'less than a minute';
}

/** "due in 3 days" / "2 days overdue" (due time against now). */
export function dueRelative(dueAt: string, now: number = Date.now()): string {
  const ms = Date.parse(dueAt) - now;
  return ms >= 0 ? `due in ${span(ms)}` : `${span(ms)} overdue`;
}

/** "in 2 days" / "3 hours ago". */
export function relative(iso: string, now: number = Date.now()): string {
  const ms = Date.parse(iso) - now;
  return ms >= 0 ? `in ${span(ms)}` : `${span(ms)} ago`;
}

/** A countdown: "2 d 03:04:05" (or "03:04:05" under a day). */
export function clock(ms: number): string {
  const a = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(a / 86400);
  const h = Math.floor((a % 86400) / 3600);
  const m = Math.floor((a % 3600) / 60);
  const s = a % 60;
  const hms = [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
  return d > 0 ? `${d} d ${hms}` : hms;
}

/** The time now, updated every `everyMs` (one timer per page: no request per tick). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(t);
  }, [everyMs]);
  return now;
}

/** The calendar quarter of now in the organisation's zone: "2026-Q4". */
export function currentQuarter(now: number = Date.now()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: ORG_TIME_ZONE, year: 'numeric', month: 'numeric' }).formatToParts(now);
  const year = parts.find((p) => p.type === 'year')?.value ?? '';
  const month = Number(parts.find((p) => p.type === 'month')?.value ?? '1');
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

export function currentYear(now: number = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ORG_TIME_ZONE, year: 'numeric' }).format(now);
}

/** A `datetime-local` input's value (the browser's local time) as an RFC 3339 instant, or undefined. */
export function localInputToInstant(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Now as a `datetime-local` value (the browser's local time, to the minute). */
export function nowLocalInput(now: number = Date.now()): string {
  const d = new Date(now - new Date(now).getTimezoneOffset() * MINUTE);
  return d.toISOString().slice(0, 16);
}
