/** What every page has: its title (the document's and the one h1), and the ways it says how loading went. */
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { isNotFound } from '../hooks';
import { reasonOf } from '../api/client';

let firstPage = true;

/** The page's h1, also the document title; focused after an in-app navigation so a screen reader hears where it is. */
export function Page({ title, children, lead }: { title: string; children: ReactNode; lead?: ReactNode }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · AIMS`;
  }, [title]);
  useEffect(() => {
    if (firstPage) firstPage = false;
    else h1.current?.focus({ preventScroll: true });
  }, []);
  return (
    <>
      <h1 ref={h1} tabIndex={-1} className="page-title">
        {title}
      </h1>
      {lead && <div className="lead">{lead}</div>}
      {children}
    </>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="loading" role="status">
      {what}…
    </p>
  );
}

/** A failed load: its reason, and a way to try again. */
export function LoadError({ error, what, retry }: { error: unknown; what: string; retry?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <p>
        Could not load {what}: {reasonOf(error)}
      </p>
      {retry && (
        <button type="button" className="button-secondary" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Loading, failed, or the content; a 404 can be a message of its own (a part of the API not there). */
export function Loaded<T>({
  state,
  what,
  notFound,
  children,
}: {
  state: { data: T | undefined; error: unknown; loading: boolean; reload(): void };
  what: string;
  notFound?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (state.error !== undefined) {
    if (notFound !== undefined && isNotFound(state.error)) return <>{notFound}</>;
    return <LoadError error={state.error} what={what} retry={state.reload} />;
  }
  if (state.data === undefined) return <Loading what={`Loading ${what}`} />;
  return <>{children(state.data)}</>;
}

/** A message after an action: announced politely (success) or at once (failure). */
export function Notice({ kind, children }: { kind: 'success' | 'error' | 'info'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** One fact of a description list (inside a `<dl className="facts">`): its term and what it is. */
export function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function Badge({ tone, children }: { tone: 'neutral' | 'good' | 'warn' | 'bad' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** A wide table scrolls sideways on a phone, inside a focusable, named region (keyboard users can scroll it). */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
