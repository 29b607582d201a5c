/**
 * Browser sessions: the cookie that carries one, the CSRF token bound to it, and how long
 * links and sessions live. The cookie is HttpOnly and SameSite=Strict; state-changing requests
 * made with it must also send the session's CSRF token in a header, which a page on another
 * site can neither read nor forge.
 */
import { createHash, timingSafeEqual } from 'crypto';

export const SESSION_COOKIE = 'aims_session';
export const CSRF_HEADER = 'x-csrf-token';
/** The rule: a sign-in link expires 15 minutes after it is sent. */
export const SIGN_IN_LINK_TTL_MINUTES = 15;
/** A session lasts a working day; then the person signs in again. */
export const SESSION_TTL_HOURS = 12;
/** At most this many unused links at once per person: requests beyond are answered alike but not sent. */
export const MAX_OPEN_SIGN_IN_LINKS = 5;
/** Methods that change nothing: no CSRF token needed. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF token of a session: derived from its secret, so only who holds the cookie's value can know it. */
export function csrfTokenFor(sessionSecret: string): string {
  return createHash('sha256').update(`aims-csrf:${sessionSecret}`, 'utf8').digest('base64url');
}

export function csrfTokenMatches(sessionSecret: string, sent: unknown): boolean {
  if (typeof sent !== 'string' || !sent) return false;
  const expected = Buffer.from(csrfTokenFor(sessionSecret));
  const given = Buffer.from(sent);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function needsCsrfToken(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** One cookie's value from a Cookie header (RFC 6265 pairs), or undefined. */
export function readCookie(header: unknown, name: string): string | undefined {
  if (typeof header !== 'string') return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    return value ? value : undefined;
  }
  return undefined;
}

/** The cookie attributes Express's `res.cookie` takes (the subset used here). */
export interface CookieOptions {
  httpOnly: boolean;
  sameSite: 'strict';
  secure: boolean;
  path: string;
  expires?: Date;
}

/** The bits of Express's response the session routes use. */
export interface SessionResponse {
  cookie(name: string, value: string, options: CookieOptions): unknown;
  clearCookie(name: string, options: CookieOptions): unknown;
  setHeader(name: string, value: string): unknown;
}

export function sessionCookieOptions(publicUrl: string, expiresAt?: Date): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    secure: publicUrl.startsWith('https:'),
    path: '/',
    ...(expiresAt ? { expires: expiresAt } : {}),
  };
}

/** A next page after sign-in: a path of the app on this origin, never another site. */
export const APP_PATH_PATTERN = '^/app(/[^\\s\\\\]*)?$';
export function isAppPath(value: string): boolean {
  return new RegExp(APP_PATH_PATTERN).test(value) && !value.startsWith('//');
}
