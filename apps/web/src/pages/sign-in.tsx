/**
 * Signing in. Without a link: ask for one by email (POST /auth/sign-in-links), or use an API
 * token. With `#link=<token>` (the email's link; a fragment never reaches a server log or a
 * Referer): a "Sign in" button POSTs it, so a mail scanner that opens the link cannot use it up.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import type { Session } from '../api/types';
import { errorsFor, FormError, TextInput, useAction } from '../components/fields';
import { Notice, Page } from '../components/page';
import { ROLE_LABELS } from '../labels';
import { Link, navigate, paths, safeNext, useLocation } from '../router';
import { useSession } from '../session';

function linkFromFragment(hash: string): { token?: string; email?: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return { token: params.get('link') || undefined, email: params.get('email') || undefined };
}

export function SignInPage() {
  const { hash, search } = useLocation();
  const { status, person } = useSession();
  const link = linkFromFragment(hash);
  const next = safeNext(search.get('next'));
  return (
    <Page title="Sign in">
      {status === 'signed-in' && person && !link.token && (
        <Notice kind="info">
          <p>
            You are signed in as {person.name} ({ROLE_LABELS[person.role]}). <Link to={next ?? paths.myWork}>Continue</Link>
          </p>
        </Notice>
      )}
      {link.token ? <UseLink token={link.token} email={link.email} next={next} /> : <RequestLink next={next} />}
      {!link.token && <TokenSignIn next={next} />}
    </Page>
  );
}

/** Where to go once signed in: the link's remembered page, the page asked for, or My work. */
function goOn(session: Session, next: string | undefined): void {
  navigate(safeNext(session.next) ?? next ?? paths.myWork, { replace: true });
}

function UseLink({ token, email, next }: { token: string; email?: string; next?: string }) {
  const { signedIn } = useSession();
  const action = useAction();
  const [refused, setRefused] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const session = await action.run(() => api.post<Session>('/auth/sessions', { signInLink: token }, { allowUnauthorized: true }));
    if (session) {
      signedIn(session);
      goOn(session, next);
    } else setRefused(true);
  };
  if (refused && action.error instanceof ApiError && action.error.status === 401) {
    return (
      <>
        <Notice kind="error">
          <p>This sign-in link cannot be used: it was used already, or it expired (links last 15 minutes). Ask for a new one below.</p>
        </Notice>
        <RequestLink next={next} initialEmail={email} />
      </>
    );
  }
  return (
    <section aria-labelledby="use-link-heading" className="card narrow">
      <h2 id="use-link-heading">Sign in with your link</h2>
      <p>{email ? `You are signing in as ${email}.` : 'You opened a sign-in link from your email.'} The link works once.</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormError error={action.error} />
        <button type="submit" disabled={action.busy}>
          Sign in
        </button>
      </form>
    </section>
  );
}

function RequestLink({ next, initialEmail = '' }: { next?: string; initialEmail?: string }) {
  const [email, setEmail] = useState(initialEmail);
  const [sent, setSent] = useState<{ email: string; minutes: number } | undefined>();
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const res = await action.run(() =>
      api.post<{ sent: boolean; expiresInMinutes: number }>('/auth/sign-in-links', { email: email.trim(), ...(next ? { next } : {}) }),
    );
    if (res) setSent({ email: email.trim(), minutes: res.expiresInMinutes ?? 15 });
  };
  if (sent) {
    return (
      <section aria-labelledby="inbox-heading" className="card narrow">
        <h2 id="inbox-heading">Check your inbox</h2>
        <Notice kind="success">
          <p>
            If {sent.email} belongs to someone who may sign in, a sign-in link is on its way. It works once, for {sent.minutes} minutes.
          </p>
        </Notice>
        <button type="button" className="button-secondary" onClick={() => setSent(undefined)}>
          Use another address
        </button>
      </section>
    );
  }
  return (
    <section aria-labelledby="email-heading" className="card narrow">
      <h2 id="email-heading">Get a sign-in link by email</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextInput
          label="Email address"
          type="email"
          autoComplete="email"
          value={email}
          onChange={setEmail}
          required
          errors={errorsFor(action.fieldErrors, 'email')}
        />
        <FormError error={action.error} shown={['email']} />
        <button type="submit" disabled={action.busy}>
          Email me a sign-in link
        </button>
      </form>
    </section>
  );
}

function TokenSignIn({ next }: { next?: string }) {
  const { signedIn } = useSession();
  const [token, setToken] = useState('');
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const session = await action.run(() => api.post<Session>('/auth/sessions', { apiToken: token.trim() }, { allowUnauthorized: true }));
    if (session) {
      signedIn(session);
      goOn(session, next);
    }
  };
  const refused = action.error instanceof ApiError && action.error.status === 401;
  return (
    <section aria-labelledby="token-heading" className="card narrow">
      <h2 id="token-heading">Use an API token</h2>
      <p className="hint">For people who have an API token (aims_…) from an admin.</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextInput
          label="API token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={setToken}
          required
          errors={refused ? ['This token is not valid: it is unknown, revoked or expired'] : errorsFor(action.fieldErrors, 'apiToken')}
        />
        {!refused && <FormError error={action.error} shown={['apiToken']} />}
        <button type="submit" disabled={action.busy}>
          Sign in with token
        </button>
      </form>
    </section>
  );
}
