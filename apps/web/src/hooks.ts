/** Reading the API from a page: one load per path, its error kept, reloadable. */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, query } from './api/client';
import type { FormDefinition, Page, PersonView } from './api/types';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
  /** Replace the data with an answer the page already has (the task after an approve). */
  setData(data: T): void;
}

/** GET `path` (none while it is null); the page re-renders with the answer or the error. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ path: string | null; data?: T; error?: unknown; loading: boolean }>({
    path,
    loading: path !== null,
  });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (path === null) {
      setState({ path, loading: false });
      return;
    }
    const ctrl = new AbortController();
    setState((s) => ({ path, data: s.path === path ? s.data : undefined, loading: true }));
    api
      .get<T>(path, { signal: ctrl.signal })
      .then((data) => setState({ path, data, loading: false }))
      .catch((error: unknown) => {
        if (!ctrl.signal.aborted) setState({ path, error, loading: false });
      });
    return () => ctrl.abort();
  }, [path, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const setData = useCallback((data: T) => setState({ path, data, loading: false }), [path]);
  const current = state.path === path;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: current ? state.loading : true,
    reload,
    setData,
  };
}

/** True when the API has no such route or thing (another part of the API not there yet answers 404 too). */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}

/** Every page of a paged list (limit 200 each), up to `max` items. */
export async function getAll<T>(path: string, params: Record<string, string | undefined> = {}, max = 2000): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; offset < max; offset += 200) {
    const page = await api.get<Page<T>>(`${path}${query({ ...params, limit: 200, offset })}`);
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) break;
  }
  return items;
}

const forms = new Map<string, Promise<FormDefinition | null>>();

/** GET /forms/:kind once per page load; null when the kind has no form (404). */
export function loadForm(kind: string): Promise<FormDefinition | null> {
  let p = forms.get(kind);
  if (!p) {
    p = api.get<FormDefinition>(`/forms/${encodeURIComponent(kind)}`).catch((err: unknown) => {
      if (isNotFound(err)) return null;
      forms.delete(kind);
      throw err;
    });
    forms.set(kind, p);
  }
  return p;
}

/** The form of a kind of work: undefined while loading, null when it has none (or it failed to load). */
export function useForm(kind: string | undefined): FormDefinition | null | undefined {
  const [form, setForm] = useState<{ kind?: string; form?: FormDefinition | null }>({});
  useEffect(() => {
    if (!kind) return;
    let live = true;
    loadForm(kind).then(
      (f) => live && setForm({ kind, form: f }),
      () => live && setForm({ kind, form: null }),
    );
    return () => {
      live = false;
    };
  }, [kind]);
  return kind && form.kind === kind ? form.form : undefined;
}

let people: Promise<Map<string, PersonView>> | undefined;

/** Everyone's names by id (GET /people, read once per page load): owners, submitters, approvers. */
export function usePeople(): Map<string, PersonView> {
  const [map, setMap] = useState<Map<string, PersonView>>(new Map());
  useEffect(() => {
    let live = true;
    people ??= getAll<PersonView>('/people').then(
      (list) => new Map(list.map((p) => [p.id, p])),
      (err: unknown) => {
        people = undefined;
        throw err;
      },
    );
    people.then((m) => live && setMap(m)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return map;
}

/** A person's name, or a short form of the id while names load (or for someone not listed). */
export function nameOf(map: Map<string, PersonView>, id: string | undefined | null): string {
  if (!id) return '';
  return map.get(id)?.name ?? `person ${id.slice(0, 8)}`;
}
