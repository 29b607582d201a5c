/**
 * The signed-in person: `GET /auth/session` at start (401: nobody), kept in memory with the
 * CSRF token; signing out is `DELETE /auth/session`. A 401 from any later call means the
 * session ended: the app goes to the sign-in page, keeping where the person was as `next`.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler } from './api/client';
import type { Person, Session } from './api/types';
import { BASE, navigate, paths } from './router';

type Status = 'loading' | 'signed-in' | 'signed-out' | 'unreachable';

interface SessionContextValue {
  status: Status;
  person?: Person;
  expiresAt?: string;
  /** After POST /auth/sessions. */
  signedIn(session: Session): void;
  signOut(): Promise<void>;
  retry(): void;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

const here = () => window.location.pathname + window.location.search;

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('loading');
  const [session, setSession] = useState<Session | undefined>();
  const [attempt, setAttempt] = useState(0);

  const signedIn = useCallback((s: Session) => {
    setCsrfToken(s.csrfToken);
    setSession(s);
    setStatus('signed-in');
  }, []);

  const signedOut = useCallback(() => {
    setCsrfToken(undefined);
    setSession(undefined);
    setStatus('signed-out');
  }, []);

  useEffect(() => {
    let live = true;
    api
      .get<Session>('/auth/session', { allowUnauthorized: true })
      .then((s) => live && signedIn(s))
      .catch((err: unknown) => {
        if (!live) return;
        if (err instanceof ApiError && (err.status === 401 || err.status === 404)) signedOut();
        else setStatus('unreachable');
      });
    return () => {
      live = false;
    };
  }, [attempt, signedIn, signedOut]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      signedOut();
      if (!window.location.pathname.startsWith(`${BASE}/sign-in`)) navigate(paths.signIn(here()), { replace: true });
    });
    return () => setUnauthorizedHandler(undefined);
  }, [signedOut]);

  const signOut = useCallback(async () => {
    try {
      await api.delete('/auth/session', { allowUnauthorized: true });
    } finally {
      signedOut();
      navigate(paths.signIn());
    }
  }, [signedOut]);

  const value = useMemo<SessionContextValue>(
    () => ({
      status,
      person: session?.person,
      expiresAt: session?.expiresAt,
      signedIn,
      signOut,
      retry: () => {
        setStatus('loading');
        setAttempt((n) => n + 1);
      },
    }),
    [status, session, signedIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in person, for pages that only render when someone is. */
export function useMe(): Person {
  const { person } = useSession();
  if (!person) throw new Error('no signed-in person');
  return person;
}
