/**
 * The one way the app talks to the API: same origin, the session cookie (never a token in
 * storage), the CSRF token of `GET /auth/session` on every state-changing request, and one
 * error type that keeps the API's field-level reasons so forms can show each next to its input.
 */

/** `{ statusCode, error, message, errors?: [{ field, messages }] }` (apps/api/common/validation.ts). */
export interface ErrorBody {
  statusCode?: number;
  error?: string;
  message?: string | string[];
  errors?: { field: string; messages?: string[] }[];
}

export class ApiError extends Error {
  /** Messages by field, as the API names fields (`summary`, `answers.impact`, `body`). */
  readonly fieldErrors: Record<string, string[]>;

  constructor(
    readonly status: number,
    readonly body: ErrorBody | undefined,
    fallback: string,
  ) {
    const message = Array.isArray(body?.message) ? body.message.join('; ') : body?.message || fallback;
    super(message);
    this.name = 'ApiError';
    this.fieldErrors = {};
    for (const e of body?.errors ?? []) {
      if (!e || typeof e.field !== 'string') continue;
      (this.fieldErrors[e.field] ??= []).push(...(e.messages?.length ? e.messages : [message]));
    }
  }

  get hasFieldErrors(): boolean {
    return Object.keys(this.fieldErrors).length > 0;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | undefined;
let onUnauthorized: (() => void) | undefined;

/** Kept in memory only: a new tab asks `GET /auth/session` again. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** What to do when the API answers 401 to a signed-in call (the session ended): go to the sign-in page. */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  /** A 401 is an answer for the caller (the session check, the sign-in itself), not a reason to leave the page. */
  allowUnauthorized?: boolean;
  signal?: AbortSignal;
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

async function send(method: string, path: string, body: unknown, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: opts.signal,
  });
}

/** Calls the API; resolves to the parsed answer, rejects with an ApiError (or a network error). */
export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  let res = await send(method, path, body, opts);
  // A CSRF token can go stale (a new session in another tab): take the current one and try once more.
  if (res.status === 403 && UNSAFE.has(method)) {
    const parsed = (await readBody(res.clone())) as ErrorBody | undefined;
    if (/csrf/i.test(String(parsed?.message ?? ''))) {
      const session = await fetch('/auth/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (session.ok) {
        setCsrfToken(((await session.json()) as { csrfToken?: string }).csrfToken);
        res = await send(method, path, body, opts);
      }
    }
  }
  const parsed = await readBody(res);
  if (res.ok) return parsed as T;
  if (res.status === 401 && !opts.allowUnauthorized) onUnauthorized?.();
  const errorBody = parsed && typeof parsed === 'object' ? (parsed as ErrorBody) : undefined;
  throw new ApiError(res.status, errorBody, typeof parsed === 'string' && parsed ? parsed : `${res.status} ${res.statusText}`);
}

/** `?a=1&b=x` from the defined values. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
  delete: <T = void>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
};

/** A path segment: task ids hold colons, cadence ids too. */
export const seg = (id: string): string => encodeURIComponent(id);

/** A readable reason for any failure (an ApiError's message, a network error's). */
export function reasonOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
  return err instanceof Error ? err.message : String(err);
}
