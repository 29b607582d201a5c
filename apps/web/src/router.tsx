/**
 * A small router on the History API: the app's pages are a handful of paths under /app/
 * (the API answers index.html for every one of them), so no router library is needed.
 */
import { useSyncExternalStore } from 'react';
import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from 'react';

export const BASE = '/app';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const current = () => window.location.pathname + window.location.search + window.location.hash;

/** The current location (path, query and fragment), re-rendering on every navigation. */
export function useLocation(): { pathname: string; search: URLSearchParams; hash: string } {
  const href = useSyncExternalStore(subscribe, current);
  const url = new URL(href, window.location.origin);
  return { pathname: url.pathname, search: url.searchParams, hash: url.hash };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === current()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
  if (!opts.replace) window.scrollTo(0, 0);
}

/** An app path that is safe to go to after signing in: under /app/, on this origin. */
export function safeNext(next: string | null | undefined): string | undefined {
  if (!next || !next.startsWith(`${BASE}/`) || next.startsWith('//') || next.includes('\\')) return undefined;
  if (next.startsWith(`${BASE}/sign-in`)) return undefined;
  return next;
}

export const paths = {
  myWork: `${BASE}/`,
  task: (id: string) => `${BASE}/tasks/${encodeURIComponent(id)}`,
  approvals: `${BASE}/approvals`,
  incidents: `${BASE}/incidents`,
  incident: (id: string) => `${BASE}/incidents/${encodeURIComponent(id)}`,
  inventory: `${BASE}/inventory`,
  dashboard: `${BASE}/dashboard`,
  settings: `${BASE}/settings`,
  signIn: (next?: string) => `${BASE}/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`,
};

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; children: ReactNode };

/** An in-app link: a real <a href> (open in a new tab works), navigated without a reload. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || rest.target) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
